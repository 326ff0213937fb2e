// The wall's own DOM (/wall, /wall/{code}): the side list of incidents with their markers, 最新督办 and the big
// numbers. Data from reports only ever reaches the page as text nodes; lists and markers are capped.

import { getJson } from "./api.js";
import { chinaDay, chinaParts, chinaTime } from "./china-time.js";
import { categoryName } from "./categories.js";
import { el } from "./dom.js";
import { SOURCE_LABELS, label } from "./labels.js";

export const MAX_MARKERS = 500; // incident markers kept on the map
const MAX_LIST = 50; // incidents kept in the side list
const FRESH_MS = 8000; // how long a new incident stays highlighted
const MAX_SUPERVISIONS = 20; // entries kept in 最新督办

/** Only known words become CSS class suffixes. */
export function sourceClass(source) {
  return Object.prototype.hasOwnProperty.call(SOURCE_LABELS, source) ? "src-" + source : "src-other";
}

/** Digits grouped for a big screen: 1,473. */
function formatCount(n) {
  return Number.isFinite(n) ? n.toLocaleString("en-US") : "–";
}

/** Incident markers and the side list, both capped, keyed by incident id. */
export class IncidentBoard {
  constructor(map, list) {
    this.map = map;
    this.list = list;
    this.records = new Map(); // id → { incident, marker, dot, li }; insertion order = oldest first
    this.fresh = new Map(); // id → time the highlight ends

    // One delegated listener for the whole list: items come and go, listeners do not.
    list.addEventListener("click", (event) => this.onActivate(event));
    list.addEventListener("keydown", (event) => {
      if (event.key === "Enter" || event.key === " ") {
        event.preventDefault();
        this.onActivate(event);
      }
    });
  }

  /**
   * Adds an incident (once); `listed` puts it in the side list too (and draws it large on the map: incidents
   * that leave the list shrink), `fresh` highlights it for a few seconds.
   */
  add(incident, { fresh = false, listed = true } = {}) {
    if (!incident || typeof incident.id !== "string" || this.records.has(incident.id)) return;
    const record = { incident, marker: null, dot: null, li: null };
    if (Number.isFinite(incident.latitude) && Number.isFinite(incident.longitude)) {
      const { marker, dot } = this.map.incidents.add(incident, { fresh, old: !listed });
      record.marker = marker;
      record.dot = dot;
    }
    if (listed) {
      record.li = this.listItem(incident, fresh);
      this.list.prepend(record.li);
      while (this.list.children.length > MAX_LIST) {
        const last = this.list.lastElementChild;
        const dropped = this.records.get(last.dataset.incidentId);
        if (dropped) {
          dropped.li = null;
          if (dropped.marker) this.map.incidents.age(dropped.marker, dropped.dot);
        }
        last.remove();
      }
    }
    this.records.set(incident.id, record);
    if (fresh) this.fresh.set(incident.id, Date.now() + FRESH_MS);
    while (this.records.size > MAX_MARKERS) this.drop(this.records.keys().next().value);
  }

  /** An incident changed (incident.updated / incident.supervised): its marker changes in place, or appears when new here. */
  update(incident) {
    const record = this.records.get(incident?.id);
    if (!record) {
      this.add(incident, { listed: false });
      return;
    }
    record.incident = incident;
    if (record.marker) this.map.incidents.update(record.marker, record.dot, incident);
  }

  drop(id) {
    const record = this.records.get(id);
    if (!record) return;
    if (record.marker) this.map.incidents.remove(record.marker);
    record.li?.remove();
    this.records.delete(id);
    this.fresh.delete(id);
  }

  clear() {
    this.map.incidents.clear();
    this.list.replaceChildren();
    this.records.clear();
    this.fresh.clear();
  }

  /** Ends the highlight of incidents older than FRESH_MS (called by the clock). */
  sweep(now) {
    for (const [id, until] of this.fresh) {
      if (until > now) continue;
      const record = this.records.get(id);
      record?.dot?.classList.remove("is-new");
      record?.li?.classList.remove("is-new");
      this.fresh.delete(id);
    }
  }

  listItem(incident, fresh) {
    const today = chinaDay(new Date()) === chinaDay(incident.reportedAt);
    const p = chinaParts(incident.reportedAt);
    const when = today || !p ? chinaTime(incident.reportedAt) : `${p.month}-${p.day} ${chinaTime(incident.reportedAt).slice(0, 5)}`;
    return el(
      "li",
      {
        "data-incident-id": incident.id,
        class: `wall-incident-item ${sourceClass(incident.source)}${fresh ? " is-new" : ""}`,
        tabindex: "0",
      },
      el(
        "div",
        { class: "wall-incident-meta" },
        el("time", { class: "wall-incident-time", datetime: incident.reportedAt }, when),
        el("span", { class: "wall-incident-source" }, label(SOURCE_LABELS, incident.source)),
        el("span", { class: "wall-incident-category" }, categoryName(incident.category)),
      ),
      el("div", { class: "wall-incident-title" }, incident.title),
      el("div", { class: "wall-incident-place" }, this.map.outlines.placeName(incident.gridCode)),
    );
  }

  onActivate(event) {
    const li = event.target.closest?.("li[data-incident-id]");
    if (!li || !this.list.contains(li)) return;
    const record = this.records.get(li.dataset.incidentId);
    for (const selected of this.list.querySelectorAll("li.is-selected")) selected.classList.remove("is-selected");
    li.classList.add("is-selected");
    if (record?.marker) this.map.incidents.focus(record.marker);
  }
}

/** 最新督办: the latest incident.supervised entries, newest first; the round comes from the incident itself. */
export class SupervisionList {
  constructor(list, signal) {
    this.list = list;
    this.signal = signal;
  }

  add(entry) {
    const incident = entry.incident;
    const round = el("span", { class: "wall-supervision-round" });
    const li = el(
      "li",
      { class: "wall-supervision", "data-incident-id": incident.id },
      el("div", { class: "wall-incident-title" }, incident.title),
      el("div", { class: "wall-supervision-meta" }, el("span", null, `${incident.supervisedBy ?? ""} 督办`), round, el("time", { datetime: entry.at }, chinaTime(entry.at))),
    );
    this.list.prepend(li);
    while (this.list.children.length > MAX_SUPERVISIONS) this.list.lastElementChild.remove();
    getJson(`api/incidents/${encodeURIComponent(incident.id)}`, this.signal)
      .then((details) => {
        if (details.supervision) round.textContent = `第${details.supervision.round}轮`;
      })
      .catch(() => {});
  }

  clear() {
    this.list.replaceChildren();
  }
}

/** The big numbers: 今日上报, 未办结, 超期, 督办, 今日办结, 在岗人员, 摄像头在线, 摄像头离线. */
export class Counters {
  constructor(container) {
    this.values = {};
    this.elements = {};
    for (const element of container.querySelectorAll("[data-counter]")) this.elements[element.dataset.counter] = element;
  }

  set(name, value, bump = false) {
    if (!Number.isFinite(value)) return;
    const changed = this.values[name] !== value;
    this.values[name] = value;
    const element = this.elements[name];
    if (!element) return;
    element.textContent = formatCount(value);
    element.dataset.value = String(value);
    if (bump && changed) {
      element.classList.remove("bump");
      void element.offsetWidth; // restart the animation
      element.classList.add("bump");
    }
  }

  add(name, delta) {
    this.set(name, (this.values[name] ?? 0) + delta, true);
  }
}
