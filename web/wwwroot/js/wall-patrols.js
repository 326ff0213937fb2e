// 今日漏巡 on the wall: the grids within the wall's area whose patrol window today (China time, the server's day) was
// recorded as missed, loaded from GET /api/patrols?outcome=missed and followed live through `patrolsMissed` messages
// (one per area and window, sent once when the window is recorded). Names only, as text; the list is bounded.

import { getJson } from "./api.js";
import { chinaTime } from "./china-time.js";
import { el } from "./dom.js";
import { PATROL_WINDOW_LABELS, label } from "./labels.js";

const MAX_LISTED = 60;

function hhmm(instant) {
  return chinaTime(instant).slice(0, 5);
}

export class MissedPatrols {
  /**
   * @param {object} options
   * @param {HTMLElement} options.list the list of missed patrols
   * @param {HTMLElement} options.count the count of them today
   * @param {string} options.areaPath the wall's area, as it goes into API paths
   * @param {AbortSignal} options.signal aborted when the wall stops
   */
  constructor({ list, count, areaPath, signal }) {
    this.list = list;
    this.count = count;
    this.areaPath = areaPath;
    this.signal = signal;
    this.day = null;
    this.total = 0;
  }

  /** Today's missed patrols anew (at start, after a dropped connection, at midnight). */
  async load() {
    try {
      const day = await getJson(`api/patrols?jurisdiction=${this.areaPath}&outcome=missed`, this.signal);
      this.day = day.date;
      const items = day.grids.flatMap((g) => g.windows.map((w) => ({ code: g.gridCode, name: g.gridName, window: w.name, start: w.start, end: w.end })));
      items.sort((a, b) => Date.parse(b.end) - Date.parse(a.end) || a.name.localeCompare(b.name, "zh-CN"));
      this.list.replaceChildren(...items.slice(0, MAX_LISTED).map((item) => this.item(item)));
      this.show(day.counts.missed, false);
    } catch {
      // the next load (reconnect, midnight) tries again
    }
  }

  /** A `patrolsMissed` message of this area: the grids of one window just recorded as missed. */
  add(missed) {
    if (missed.day !== this.day) {
      this.load();
      return;
    }
    const items = missed.grids.map((g) => this.item({ code: g.code, name: g.name, window: missed.window, start: missed.start, end: missed.end }));
    this.list.prepend(...items);
    while (this.list.children.length > MAX_LISTED) this.list.lastElementChild.remove();
    this.show(this.total + missed.grids.length, true);
  }

  item({ code, name, window, start, end }) {
    return el(
      "li",
      { class: "wall-patrol-missed", "data-grid": code, "data-window": window },
      el("span", { class: "wall-patrol-missed-grid" }, name),
      el("span", { class: "wall-patrol-missed-window" }, `${label(PATROL_WINDOW_LABELS, window)} ${hhmm(start)}–${hhmm(end)}`),
    );
  }

  show(total, bump) {
    this.total = total;
    this.count.textContent = String(total);
    this.count.dataset.value = String(total);
    if (bump) {
      this.count.classList.remove("bump");
      void this.count.offsetWidth; // restart the animation
      this.count.classList.add("bump");
    }
  }
}
