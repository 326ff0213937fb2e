// 警情提醒 on the phone page (/m): the person's alerts (new incidents in the grids they cover, cases dispatched to
// them) that wait for their 签收, as a banner that stays until each is signed. Read again whenever a feed entry of
// their areas arrives (mobile.js calls soon()) and every REFRESH_MS besides (a dispatch from outside those areas);
// an alert not seen before sounds and vibrates where the browser allows.

import { getJson, post } from "./api.js";
import { chinaDateTime } from "./china-time.js";
import { el } from "./dom.js";
import { ALERT_KIND_LABELS, label } from "./labels.js";
import { Refetch } from "./refetch.js";

const REFRESH_MS = 30_000;

export class AlertBanner {
  constructor(section) {
    this.section = section;
    this.list = section.querySelector("#mobile-alerts-list");
    this.seen = null; // the ids shown so far; null until the first load (which does not sound)
    this.refetch = new Refetch(() => this.readOnce());
    setInterval(() => this.soon(), REFRESH_MS);
  }

  soon() {
    this.refetch.soon();
  }

  load() {
    return this.refetch.now();
  }

  async readOnce() {
    try {
      this.show((await getJson("/api/alerts/mine")).filter((a) => a.state !== "acknowledged"));
    } catch (error) {
      this.list.replaceChildren(el("li", { class: "mobile-error" }, `警情加载失败:${error.message}`));
    }
  }

  show(waiting) {
    const fresh = this.seen ? waiting.filter((a) => !this.seen.has(a.id)) : [];
    this.seen = new Set([...(this.seen ?? []), ...waiting.map((a) => a.id)]);
    this.list.replaceChildren(...waiting.map((a) => this.item(a)));
    this.section.hidden = waiting.length === 0;
    this.section.dataset.count = String(waiting.length);
    if (fresh.length > 0) ring();
  }

  item(alert) {
    const error = el("p", { class: "mobile-error", role: "alert", hidden: true });
    const sign = el("button", { type: "button", class: "mobile-alert-sign" }, "签收");
    sign.addEventListener("click", async () => {
      sign.disabled = true;
      const result = await post(`/api/alerts/${alert.id}/acknowledge`, {});
      if (result.ok) return this.load();
      sign.disabled = false;
      error.textContent = result.error;
      error.hidden = false;
    });
    return el(
      "li",
      { class: `mobile-alert${alert.state === "escalated" ? " is-escalated" : ""}`, "data-alert-id": alert.id, "data-incident-id": alert.incident },
      el("div", { class: "mobile-alert-title" }, alert.title),
      el(
        "div",
        { class: "mobile-alert-meta" },
        el("span", { class: "mobile-badge" }, label(ALERT_KIND_LABELS, alert.kind)),
        el("span", null, alert.category),
        el("span", null, alert.gridName),
        el("span", null, chinaDateTime(alert.createdAt).slice(11, 16)),
        alert.state === "escalated" ? el("span", { class: "mobile-badge is-overdue" }, "超时未签收") : null,
      ),
      error,
      sign,
    );
  }
}

/** A short double beep and a vibration, where the browser allows them (it may not before the page was touched). */
function ring() {
  navigator.vibrate?.([200, 100, 200]);
  try {
    const audio = new AudioContext();
    for (const start of [0, 0.3]) {
      const tone = audio.createOscillator();
      const gain = audio.createGain();
      tone.frequency.value = 880;
      gain.gain.value = 0.2;
      tone.connect(gain).connect(audio.destination);
      tone.start(audio.currentTime + start);
      tone.stop(audio.currentTime + start + 0.2);
    }
    setTimeout(() => audio.close(), 1000);
  } catch {
    // No sound here: the banner and the vibration remain.
  }
}
