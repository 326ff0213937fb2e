// 民警未签收 on a dispatcher's wall: the alerts of the area's grids that their officers did not sign in time and
// have not signed since, loaded from GET /api/alerts?state=escalated, followed live through `alertsEscalated`
// messages (sent to the township's and county's walls when the sweep sends one up) and read again every
// RELOAD_MS and after a dropped connection (an alert signed late leaves the list then). Names only, as text.

import { getJson } from "./api.js";
import { chinaTime } from "./china-time.js";
import { el } from "./dom.js";

const MAX_LISTED = 40;
const RELOAD_MS = 60_000;

export class EscalatedAlerts {
  /**
   * @param {object} options
   * @param {HTMLElement} options.list the list of alerts sent up
   * @param {HTMLElement} options.count how many are listed
   * @param {string} options.areaPath the wall's area, as it goes into API paths
   * @param {AbortSignal} options.signal aborted when the wall stops
   */
  constructor({ list, count, areaPath, signal }) {
    this.list = list;
    this.count = count;
    this.areaPath = areaPath;
    this.signal = signal;
    const timer = setInterval(() => this.load(), RELOAD_MS);
    signal.addEventListener("abort", () => clearInterval(timer), { once: true });
  }

  async load() {
    try {
      const alerts = await getJson(`api/alerts?jurisdiction=${this.areaPath}&state=escalated&limit=${MAX_LISTED}`, this.signal);
      this.list.replaceChildren(...alerts.map((a) => this.item(a)));
      this.show(false);
    } catch {
      // the next load tries again
    }
  }

  /** An `alertsEscalated` message of this area. */
  add(escalated) {
    const shown = new Set([...this.list.children].map((li) => li.dataset.alertId));
    const fresh = escalated.alerts.filter((a) => !shown.has(a.id));
    this.list.prepend(...fresh.map((a) => this.item(a)));
    while (this.list.children.length > MAX_LISTED) this.list.lastElementChild.remove();
    this.show(fresh.length > 0);
  }

  item(alert) {
    return el(
      "li",
      { class: "wall-alert-escalated", "data-alert-id": alert.id, "data-incident-id": alert.incident },
      el("span", { class: "wall-alert-escalated-title" }, `${alert.name}:${alert.title}`),
      el("span", { class: "wall-alert-escalated-time" }, chinaTime(alert.createdAt).slice(0, 5)),
    );
  }

  show(bump) {
    const total = this.list.children.length;
    this.count.textContent = String(total);
    this.count.dataset.value = String(total);
    if (bump) {
      this.count.classList.remove("bump");
      void this.count.offsetWidth; // restart the animation
      this.count.classList.add("bump");
    }
  }
}
