// 警情提醒 on the phone page (/m): the person's alerts (new incidents in the grids they cover, cases dispatched to
// them) that wait for their 签收, as a banner that stays until each is signed; a new incident in their grids can be
// taken from it (接警: signs it, and the case becomes their task). Read again whenever a feed entry of their areas or
// a nudge for them arrives (mobile.js calls soon()); an alert not seen before sounds and vibrates where the browser
// allows.

import { getJson, post } from "./api.js";
import { chinaDateTime } from "./china-time.js";
import { categoryName } from "./categories.js";
import { el } from "./dom.js";
import { ACTION_LABELS, ALERT_KIND_LABELS, label } from "./labels.js";
import { Refetch } from "./refetch.js";

export class AlertBanner {
  /** @param {() => void} taken runs after the person took a case from an alert */
  constructor(section, taken) {
    this.section = section;
    this.taken = taken;
    this.list = section.querySelector("#mobile-alerts-list");
    this.seen = null; // the ids shown so far; null until the first load (which does not sound)
    this.refetch = new Refetch(() => this.readOnce());
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
    const act = (button, url, after) => {
      button.addEventListener("click", async () => {
        button.disabled = true;
        error.hidden = true;
        const result = await post(url, {});
        if (result.ok) {
          after?.();
          return this.load();
        }
        button.disabled = false;
        error.textContent = result.error;
        error.hidden = false;
      });
      return button;
    };
    const sign = act(el("button", { type: "button", class: "mobile-alert-sign" }, "签收"), `/api/alerts/${alert.id}/acknowledge`);
    const take = alert.kind === "inGrid"
      ? act(el("button", { type: "button", class: "mobile-alert-take" }, ACTION_LABELS.take), `/api/incidents/${alert.incident}/take`, this.taken)
      : null;
    return el(
      "li",
      { class: `mobile-alert${alert.state === "escalated" ? " is-escalated" : ""}`, "data-alert-id": alert.id, "data-incident-id": alert.incident },
      el("div", { class: "mobile-alert-title" }, alert.title),
      el(
        "div",
        { class: "mobile-alert-meta" },
        el("span", { class: "mobile-badge" }, label(ALERT_KIND_LABELS, alert.kind)),
        el("span", null, categoryName(alert.category)),
        el("span", null, alert.gridName),
        el("span", null, chinaDateTime(alert.createdAt).slice(11, 16)),
        alert.state === "escalated" ? el("span", { class: "mobile-badge is-overdue" }, "超时未签收") : null,
      ),
      error,
      el("div", { class: "mobile-alert-actions" }, sign, take),
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
