// The command-center wall (/wall, /wall/{code}): map, live incidents, counters, clock and connection state.
// Loaded as a module by Components/Pages/Wall.razor after leaflet.js and signalr.min.js.
//
// Data from reports (titles, categories, names) only ever reaches the page as text nodes; no HTML strings of data.
// Meant to run for days: bounded marker and list sizes, one interval, listeners registered once.

import { WallMap } from "./wall-map.js";
import { FeedFollower, ConnectionState } from "./wall-feed.js";
import {
  el,
  label,
  SOURCE_LABELS,
  chinaClock,
  chinaDay,
  chinaTime,
  chinaParts,
  delay,
  formatCount,
  getJson,
  sourceClass,
} from "./wall-dom.js";

const MAX_MARKERS = 500; // incident markers kept on the map
const MAX_LIST = 50; // incidents kept in the side list
const FRESH_MS = 8000; // how long a new incident stays highlighted
const COUNTER_REFRESH_MS = 5 * 60 * 1000; // re-read the authoritative counters this often
const COUNTER_SETTLE_MS = 1500; // after changes to cases, re-read the counters once this long after the last one
const MAX_SUPERVISIONS = 20; // entries kept in 最新督办
const FEED_COUNTERS = ["reportedToday", "open", "overdue", "supervised", "closedToday"];

const STATUS_TEXT = {
  [ConnectionState.connecting]: "连接中…",
  [ConnectionState.live]: "实时",
  [ConnectionState.reconnecting]: "重连中",
  [ConnectionState.disconnected]: "已断开",
};

/** Incident markers and the side list, both capped, keyed by incident id. */
class IncidentBoard {
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
      const { marker, dot } = this.map.addIncident(incident, { fresh, old: !listed });
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
          if (dropped.marker) this.map.ageIncident(dropped.marker, dropped.dot);
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
    if (record.marker) this.map.updateIncident(record.marker, record.dot, incident);
  }

  drop(id) {
    const record = this.records.get(id);
    if (!record) return;
    if (record.marker) this.map.removeIncident(record.marker);
    record.li?.remove();
    this.records.delete(id);
    this.fresh.delete(id);
  }

  clear() {
    this.map.clearIncidents();
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
        el("span", { class: "wall-incident-category" }, incident.category),
      ),
      el("div", { class: "wall-incident-title" }, incident.title),
      el("div", { class: "wall-incident-place" }, this.map.placeName(incident.gridCode)),
    );
  }

  onActivate(event) {
    const li = event.target.closest?.("li[data-incident-id]");
    if (!li || !this.list.contains(li)) return;
    const record = this.records.get(li.dataset.incidentId);
    for (const selected of this.list.querySelectorAll("li.is-selected")) selected.classList.remove("is-selected");
    li.classList.add("is-selected");
    if (record?.marker) this.map.focus(record.marker);
  }
}

/** 最新督办: the latest incident.supervised entries, newest first; the round comes from the incident itself. */
class SupervisionList {
  constructor(list, api, signal) {
    this.list = list;
    this.api = api;
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
    getJson(this.api(`api/incidents/${encodeURIComponent(incident.id)}`), this.signal)
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
class Counters {
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

async function main(root) {
  const code = root.dataset.code;
  const api = (path) => new URL(path, document.baseURI).toString();
  const statusElement = document.getElementById("wall-status");
  const clockElement = document.getElementById("wall-clock");
  const counters = new Counters(document.getElementById("wall-counters"));
  const stopping = new AbortController();

  const setStatus = (state) => {
    statusElement.dataset.state = state;
    statusElement.textContent = STATUS_TEXT[state] ?? state;
  };

  // ---- clock (China time), highlight sweep and day roll: one interval for the page's life ----
  const clockDate = el("span", { class: "wall-clock-date" });
  const clockTime = el("span", { class: "wall-clock-time" });
  clockElement.replaceChildren(clockDate, clockTime);
  let board = null;
  let counterDay = chinaDay(new Date());
  let onNewDay = null;
  const tick = () => {
    const now = new Date();
    const { date, time } = chinaClock(now);
    if (clockDate.textContent !== date) clockDate.textContent = date;
    clockTime.textContent = time;
    board?.sweep(now.getTime());
    const day = chinaDay(now);
    if (day !== counterDay) {
      counterDay = day;
      onNewDay?.();
    }
  };
  tick();
  const clockTimer = setInterval(tick, 1000);

  // ---- the area, its outlines and what is in it ----
  const load = (path) => retry(() => getJson(api(path), stopping.signal), stopping.signal, setStatus);
  const overview = await load(`api/jurisdictions/${encodeURIComponent(code)}`);
  if (!overview) return;
  counters.set("workers", overview.workers);
  for (const name of FEED_COUNTERS) counters.set(name, overview.counters?.[name]);

  const mapElement = document.getElementById("wall-map");
  const map = new WallMap(mapElement, { tileUrl: root.dataset.tileUrl || "", bounds: overview.bounds, level: overview.level, api });
  mapElement.cameraPoint = (id) => map.cameraPoint(id); // for tests and diagnostics: cameras are canvas squares, not elements
  board = new IncidentBoard(map, document.getElementById("wall-incidents"));
  const supervisions = new SupervisionList(document.getElementById("wall-supervisions"), api, stopping.signal);

  const levels = ["county", "township", "village", "grid"];
  const wanted = levels.slice(Math.max(0, levels.indexOf(overview.level))).join(",");
  const [geojson, workers, cameras, cameraCounts, snapshot] = await Promise.all([
    load(`api/jurisdictions/${encodeURIComponent(code)}/geojson?levels=${wanted}`),
    load(`api/workers?jurisdiction=${encodeURIComponent(code)}`),
    load(`api/cameras?jurisdiction=${encodeURIComponent(code)}`),
    load(`api/cameras/counts?jurisdiction=${encodeURIComponent(code)}`),
    load(`api/feeds/${encodeURIComponent(code)}/snapshot`),
  ]);
  if (!snapshot) return;
  map.setOutlines(geojson);
  mapElement.dataset.outlines = String(map.outlineCount);
  mapElement.dataset.workers = String(map.setWorkers(Array.isArray(workers) ? workers : [], snapshot.positions));
  mapElement.dataset.cameras = String(map.setCameras(Array.isArray(cameras) ? cameras : []));
  counters.set("camerasOnline", cameraCounts?.online);
  counters.set("camerasOffline", cameraCounts?.offline);

  // ---- the feed ----
  // Counters from a snapshot already include the entries up to its head: only later entries add to them.
  let countedThrough = 0;
  const showSnapshot = async (snap) => {
    board.clear();
    const recent = Array.isArray(snap.recent) ? snap.recent : [];
    // Older incidents for the map only (best effort): up to MAX_MARKERS markers right after a reload.
    const oldest = recent.length ? recent[0].sequence : snap.head + 1;
    if (oldest - 1 > 0 && recent.length < MAX_MARKERS) {
      try {
        const after = Math.max(0, oldest - 1 - (MAX_MARKERS - recent.length));
        const page = await getJson(api(`api/feeds/${encodeURIComponent(code)}?after=${after}&limit=${oldest - 1 - after}`), stopping.signal);
        if (!page.resync) {
          for (const entry of page.entries) {
            if (entry.sequence < oldest && entry.kind === "incident.reported") board.add(entry.incident, { listed: false });
          }
        }
      } catch {
        // the markers of older incidents are a nicety
      }
    }
    supervisions.clear();
    for (const entry of recent) {
      if (entry.kind === "incident.reported") board.add(entry.incident);
      else board.update(entry.incident);
      if (entry.kind === "incident.supervised") supervisions.add(entry);
    }
    for (const name of FEED_COUNTERS) counters.set(name, snap.counters?.[name], true);
    countedThrough = snap.head;
    if (Array.isArray(snap.positions)) map.movePositions(snap.positions);
  };
  await showSnapshot(snapshot);

  const apply = (entry) => {
    if (entry.kind === "incident.reported" && entry.incident) {
      board.add(entry.incident, { fresh: true });
      if (entry.sequence > countedThrough) {
        if (chinaDay(entry.at) === chinaDay(new Date())) counters.add("reportedToday", 1);
        counters.add("open", 1);
      }
    } else if (entry.incident) {
      // Updates move open, overdue, supervised and closed counts by what changed: the feed's own counters know.
      board.update(entry.incident);
      if (entry.kind === "incident.supervised") supervisions.add(entry);
      clearTimeout(settleTimer);
      settleTimer = setTimeout(() => refreshCounters(), COUNTER_SETTLE_MS);
    }
  };
  let settleTimer = 0;

  let dropped = false; // the hub connection dropped since the wall was last live
  let moved = 0; // worker markers moved by live positions (shown as data-moved, for tests and diagnostics)
  const follower = new FeedFollower({
    url: api("hubs/wall"),
    code,
    apply,
    positions: (batch) => {
      moved += map.movePositions(batch.positions);
      mapElement.dataset.moved = String(moved);
    },
    cameraStatus: (change) => {
      map.setCameraStatus(change.cameraId, change.status);
      for (const [status, delta] of [[change.previous, -1], [change.status, 1]]) {
        if (status === "online") counters.add("camerasOnline", delta);
        if (status === "offline") counters.add("camerasOffline", delta);
      }
    },
    reload: async () => {
      const snap = await getJson(api(`api/feeds/${encodeURIComponent(code)}/snapshot`), stopping.signal);
      await showSnapshot(snap);
      return snap.head;
    },
    status: (state) => {
      setStatus(state);
      // Live again after a drop: what changed meanwhile without a feed entry (camera statuses) is read anew.
      if (state === ConnectionState.reconnecting || state === ConnectionState.disconnected) dropped = true;
      else if (state === ConnectionState.live && dropped) {
        dropped = false;
        refreshCameraCounts();
      }
    },
  });
  follower.start(snapshot.head);

  // The authoritative counters, now and then and after midnight (China time), when they can be trusted:
  // a snapshot at or after the last applied entry already includes every entry up to its head.
  let refreshing = false;
  const refreshCounters = async () => {
    if (refreshing) return;
    refreshing = true;
    try {
      const snap = await getJson(api(`api/feeds/${encodeURIComponent(code)}/snapshot`), stopping.signal);
      if (Array.isArray(snap.positions)) map.movePositions(snap.positions);
      if (snap.head >= follower.lastApplied) {
        for (const name of FEED_COUNTERS) counters.set(name, snap.counters?.[name], true);
        countedThrough = Math.max(countedThrough, snap.head);
      }
    } catch {
      // next time
    } finally {
      refreshing = false;
    }
  };
  // Camera counts follow cameraStatus messages; one missed while the connection was down is put right here.
  const refreshCameraCounts = async () => {
    try {
      const cameraCounts = await getJson(api(`api/cameras/counts?jurisdiction=${encodeURIComponent(code)}`), stopping.signal);
      counters.set("camerasOnline", cameraCounts.online, true);
      counters.set("camerasOffline", cameraCounts.offline, true);
    } catch {
      // next time
    }
  };
  onNewDay = () => {
    counters.set("reportedToday", 0, true);
    refreshCounters();
  };
  const counterTimer = setInterval(() => {
    refreshCounters();
    refreshCameraCounts();
  }, COUNTER_REFRESH_MS);

  window.addEventListener(
    "pagehide",
    () => {
      clearInterval(clockTimer);
      clearInterval(counterTimer);
      clearTimeout(settleTimer);
      stopping.abort();
      follower.stop();
    },
    { once: true },
  );
}

/** Calls `fn` until it succeeds (backing off to 30 s), showing 已断开 while it fails; null when aborted. */
async function retry(fn, signal, setStatus) {
  for (let attempt = 0; !signal.aborted; attempt++) {
    try {
      return await fn();
    } catch (error) {
      if (signal.aborted) break;
      console.warn("wall: loading failed, retrying", error);
      setStatus(ConnectionState.disconnected);
      await delay(Math.min(30000, 1000 * 2 ** Math.min(attempt, 5)), signal);
    }
  }
  return null;
}

const root = document.getElementById("wall");
if (root) {
  main(root).catch((error) => {
    console.warn("wall: failed to start", error);
    const status = document.getElementById("wall-status");
    if (status) {
      status.dataset.state = ConnectionState.disconnected;
      status.textContent = STATUS_TEXT[ConnectionState.disconnected];
    }
  });
}
