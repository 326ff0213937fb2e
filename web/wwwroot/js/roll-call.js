// 视频点名 on a station's wall and console: a roll call of the station rings as a banner (who calls, a sound, the time
// left to answer on time, then late until it closes) with 应答, which joins the roll call's own room with the camera
// (conference.js; it sends, it does not watch the other stations): the media server's first frame of it is the answer,
// timed by the server. Loaded from
// GET /api/roll-calls/ringing (each new one reported delivered: from then on the answer is timed), again on every
// `rollCall` notice to the station and after a dropped connection. Once answered, the camera stays on until the roll
// call is over (ended, or its close) or 挂断. Texts and names as text only.

import { getJson, post } from "./api.js";
import { Conference } from "./conference.js";
import { el } from "./dom.js";

const RING_EVERY_MS = 1500;

function clock(seconds) {
  return `${Math.floor(seconds / 60)}分${String(seconds % 60).padStart(2, "0")}秒`;
}

export class RollCallBanner {
  /**
   * @param {object} options
   * @param {HTMLElement} options.root the banner's section
   * @param {string} options.station the station's code
   * @param {AbortSignal} options.signal aborted when the page stops
   */
  constructor({ root, station, signal }) {
    this.root = root;
    this.station = station;
    this.signal = signal;
    this.calls = new Map(); // roll call id → { call, item, conference, skew }
    const timer = setInterval(() => this.tick(), 1000);
    signal.addEventListener("abort", () => {
      clearInterval(timer);
      for (const entry of this.calls.values()) entry.conference?.stop();
      this.audio?.close();
    }, { once: true });
  }

  /** Reads what rings now: new ones are reported delivered and shown, those no longer ringing (and not answered here) go. */
  async load() {
    let ringing;
    try {
      ringing = await getJson(`api/roll-calls/ringing?station=${encodeURIComponent(this.station)}`, this.signal);
    } catch {
      return; // the next notice or reconnection loads again
    }
    const ids = new Set(ringing.map((r) => r.rollCall));
    for (const call of ringing) {
      if (this.calls.has(call.rollCall)) continue;
      const delivered = call.deliveredAt ? { ok: true, data: call } : await post(`api/roll-calls/${encodeURIComponent(call.rollCall)}/delivered`, { station: this.station });
      const shown = delivered.ok ? delivered.data : call;
      const entry = { call: shown, skew: Date.parse(shown.now) - Date.now(), conference: null, item: null };
      entry.item = this.item(entry);
      this.calls.set(call.rollCall, entry);
      this.root.append(entry.item);
    }
    for (const [id, entry] of this.calls) {
      if (!ids.has(id) && !entry.conference) this.remove(id);
      else if (entry.conference) this.checkOver(id);
    }
    this.render();
  }

  /** A `rollCall` notice to the station: ringing, answered or over. */
  notice() {
    this.load();
  }

  item(entry) {
    const c = entry.call;
    const answer = el("button", { type: "button", class: "roll-call-answer" }, "应答");
    const hangUp = el("button", { type: "button", class: "conference-leave roll-call-hang-up" }, "挂断");
    const room = el(
      "section",
      { class: "conference roll-call-room", "data-state": "idle", "data-active": "false", "aria-label": "点名视频" },
      el("h2", null, el("span", { class: "conference-status", "data-conference-status": "" }, "未应答"), hangUp),
      el("div", { class: "conference-tiles", "data-conference-tiles": "" }),
    );
    const item = el(
      "article",
      { class: "roll-call", "data-roll-call-id": c.rollCall, "data-state": "ringing" },
      el("h2", { class: "roll-call-title" }, "视频点名 · 请立即应答"),
      el("p", { class: "roll-call-text" }, c.title),
      el("p", { class: "roll-call-meta" }, `${c.startedByName} 点名 ${c.stationName}`),
      el("p", { class: "roll-call-left" }),
      answer,
      room,
    );
    answer.addEventListener("click", () => this.answer(entry, room));
    hangUp.addEventListener("click", () => this.remove(c.rollCall));
    return item;
  }

  /** 应答: joins the roll call's room with the camera; its first frame at the media server is the answer. */
  answer(entry, room) {
    if (entry.conference) return;
    entry.item.dataset.state = "answering";
    entry.item.querySelector(".roll-call-title").textContent = "视频点名 · 已应答";
    entry.conference = new Conference(room, entry.call.rollCall, {
      base: `/api/roll-calls/${encodeURIComponent(entry.call.rollCall)}`,
      join: { station: this.station },
      session: false,
      watch: false,
      ended: () => this.remove(entry.call.rollCall),
    });
    entry.conference.start();
  }

  /** A roll call answered here is over once the server says it is closed: the camera goes off and the banner with it. */
  async checkOver(id) {
    try {
      const report = await getJson(`api/roll-calls/${encodeURIComponent(id)}`, this.signal);
      if (!report.open) this.remove(id);
    } catch {
      // the next notice asks again
    }
  }

  remove(id) {
    const entry = this.calls.get(id);
    if (!entry) return;
    entry.conference?.stop();
    entry.item.remove();
    this.calls.delete(id);
    this.render();
  }

  render() {
    this.root.hidden = this.calls.size === 0;
    this.tick();
  }

  /** The countdowns, the closes that came, and the ring while something is not answered. */
  tick() {
    let ringing = false;
    for (const [id, entry] of this.calls) {
      const now = Date.now() + entry.skew;
      const c = entry.call;
      if (now > Date.parse(c.closesAt)) {
        if (entry.conference) this.checkOver(id);
        else this.remove(id);
        continue;
      }
      const left = entry.item.querySelector(".roll-call-left");
      const onTime = Math.round((Date.parse(c.answerBy) - now) / 1000);
      const answered = entry.item.dataset.state !== "ringing";
      left.dataset.late = String(!answered && onTime <= 0);
      left.textContent = answered ? "已应答 · 视频已发送至指挥中心" : onTime > 0 ? `请在 ${clock(onTime)} 内应答` : "已超时 · 仍可应答(迟到)";
      ringing ||= !answered;
    }
    if (ringing) this.ring();
  }

  /** A short two-tone ring (the browser may hold sound back until the page has been used once). */
  ring() {
    if (this.lastRing && Date.now() - this.lastRing < RING_EVERY_MS) return;
    this.lastRing = Date.now();
    try {
      this.audio ??= new AudioContext();
      for (const [frequency, start] of [[880, 0], [660, 0.25]]) {
        const tone = this.audio.createOscillator();
        const gain = this.audio.createGain();
        tone.frequency.value = frequency;
        gain.gain.value = 0.15;
        tone.connect(gain).connect(this.audio.destination);
        tone.start(this.audio.currentTime + start);
        tone.stop(this.audio.currentTime + start + 0.2);
      }
    } catch {
      // no sound here: the banner still shows
    }
  }
}
