// 巡查 on the phone page (/m): start and stop the patrol of one's grid (the duty status on patrol / on duty), the
// grid's windows today with the progress so far, check-ins with GPS at its checkpoints and visits (三查) with a note and
// a photo. While on patrol the phone's positions go to POST /api/workers/positions (at most one every 10 s): time on
// patrol counts only where they show the person inside the grid. Loaded as a module by Components/Pages/Mobile.razor;
// data only reaches the page as text.

import { getJson, post, postWithoutAnswer } from "./api.js";
import { chinaTime } from "./china-time.js";
import { el } from "./dom.js";
import { CHECK_IN_LABELS, PATROL_OUTCOME_LABELS, PATROL_STATE_LABELS, PATROL_WINDOW_LABELS, label } from "./labels.js";

const POSITION_EVERY_MS = 10_000;
const REFRESH_MS = 60_000;
/** The event the page's parts tell each other by that the person's duty status changed (mobile.js listens too). */
export const DUTY_CHANGED = "duty-changed";

function hhmm(instant) {
  return chinaTime(instant).slice(0, 5);
}

function windowText(w) {
  const name = label(PATROL_WINDOW_LABELS, w.name);
  const when = `${hhmm(w.start)}–${hhmm(w.end)}`;
  const state = w.outcome ? label(PATROL_OUTCOME_LABELS, w.outcome) : label(PATROL_STATE_LABELS, w.state);
  return { name, when, state };
}

class PatrolPanel {
  constructor(section) {
    this.grid = section.querySelector("#mobile-patrol-grid");
    this.state = section.querySelector("#mobile-patrol-state");
    this.startButton = section.querySelector("#mobile-patrol-start");
    this.stopButton = section.querySelector("#mobile-patrol-stop");
    this.error = section.querySelector("#mobile-patrol-error");
    this.windows = section.querySelector("#mobile-patrol-windows");
    this.checkpoints = section.querySelector("#mobile-patrol-checkpoints");
    this.checkIns = section.querySelector("#mobile-patrol-checkins");
    this.form = section.querySelector("#mobile-checkin");
    this.location = section.querySelector("#mobile-checkin-location");
    this.checkInError = section.querySelector("#mobile-checkin-error");
    this.checkInDone = section.querySelector("#mobile-checkin-done");
    this.mine = null;
    this.position = null;
    this.watch = null;
    this.sentAt = 0;

    this.startButton.addEventListener("click", () => this.change("/api/patrols/start"));
    this.stopButton.addEventListener("click", () => this.change("/api/patrols/stop"));
    this.form.addEventListener("submit", (event) => {
      event.preventDefault();
      this.checkIn();
    });
    this.form.elements.kind.addEventListener("change", () => {
      this.form.elements.note.required = this.form.elements.kind.value !== "checkpoint";
    });
    document.addEventListener(DUTY_CHANGED, (event) => {
      if (event.detail?.from !== "patrol") this.load();
    });
    setInterval(() => this.load(), REFRESH_MS);
  }

  async load() {
    try {
      this.show(await getJson("/api/patrols/mine"));
    } catch (error) {
      this.state.textContent = `巡查加载失败:${error.message}`;
    }
  }

  show(mine) {
    this.mine = mine;
    const patrolling = Boolean(mine.patrollingSince);
    this.grid.textContent = mine.gridName;
    this.state.dataset.patrolling = String(patrolling);
    this.state.textContent = patrolling ? `巡查中,${hhmm(mine.patrollingSince)} 开始` : "未在巡查";
    this.startButton.disabled = patrolling;
    this.stopButton.disabled = !patrolling;
    const need = mine.requirement;
    this.windows.replaceChildren(...mine.windows.map((w) => this.windowItem(w, need)));
    this.checkpoints.replaceChildren(
      ...mine.checkpoints.map((c) => el("li", { "data-ordinal": c.ordinal }, c.name)),
      ...(mine.checkpoints.length ? [] : [el("li", { class: "mobile-state" }, "本网格未设巡查点")]),
    );
    this.checkIns.replaceChildren(...mine.checkIns.slice().reverse().map((c) => this.checkInItem(c)));
    if (patrolling) this.follow();
    else this.unfollow();
  }

  windowItem(w, need) {
    const { name, when, state } = windowText(w);
    const p = w.progress;
    const detail = p
      ? `巡查 ${Math.floor(p.patrolSeconds / 60)}/${need.minimumMinutes} 分钟 · 覆盖 ${p.sectorsVisited}/${p.sectors} 片 · 巡查点 ${p.checkpointsVisited}/${need.checkpointsNeeded}`
      : "";
    return el(
      "li",
      { class: "mobile-patrol-window", "data-window": w.name, "data-state": w.state, "data-outcome": w.outcome ?? "" },
      el("span", { class: "mobile-patrol-window-name" }, name),
      el("span", null, when),
      el("span", { class: "mobile-patrol-window-state" }, state),
      detail ? el("span", { class: "mobile-patrol-window-detail" }, detail) : null,
    );
  }

  checkInItem(c) {
    return el(
      "li",
      { class: "mobile-patrol-checkin", "data-kind": c.kind },
      el("span", null, hhmm(c.at)),
      el("span", null, label(CHECK_IN_LABELS, c.kind)),
      el("span", null, c.checkpoint ? c.checkpoint.name : c.note ?? ""),
      c.photos.length ? el("span", { class: "mobile-state" }, `照片 ${c.photos.length}`) : null,
      el("span", { class: "mobile-state" }, c.workerName),
    );
  }

  async change(path) {
    this.startButton.disabled = this.stopButton.disabled = true;
    this.error.hidden = true;
    const result = await post(path, {});
    if (!result.ok) {
      this.error.textContent = result.error;
      this.error.hidden = false;
      await this.load();
      return;
    }
    this.show(result.data);
    document.dispatchEvent(new CustomEvent(DUTY_CHANGED, { detail: { from: "patrol" } }));
  }

  /** While on patrol: the phone's positions, each sent at most every POSITION_EVERY_MS. */
  follow() {
    if (this.watch !== null || !navigator.geolocation) return;
    this.watch = navigator.geolocation.watchPosition(
      (p) => this.located(p),
      () => {
        this.location.textContent = "未获得定位权限:巡查时长按位置计算,请允许定位。";
      },
      { enableHighAccuracy: true, maximumAge: 5000 },
    );
  }

  unfollow() {
    if (this.watch === null) return;
    navigator.geolocation.clearWatch(this.watch);
    this.watch = null;
  }

  located(p) {
    this.position = { lat: p.coords.latitude, lng: p.coords.longitude, at: new Date(p.timestamp).toISOString() };
    this.location.textContent = `位置:${this.position.lat.toFixed(5)}, ${this.position.lng.toFixed(5)}`;
    if (this.watch === null || Date.now() - this.sentAt < POSITION_EVERY_MS) return;
    this.sentAt = Date.now();
    postWithoutAnswer("/api/workers/positions", [{ workerId: this.mine.workerId, ...this.position }]);
  }

  /** The position to check in at: the one being followed, else a fresh one. */
  locate() {
    if (this.watch !== null && this.position) return Promise.resolve(this.position);
    return new Promise((resolve) => {
      if (!navigator.geolocation) return resolve(null);
      navigator.geolocation.getCurrentPosition(
        (p) => {
          this.located(p);
          resolve(this.position);
        },
        () => resolve(null),
        { enableHighAccuracy: true, timeout: 10000, maximumAge: 30000 },
      );
    });
  }

  async checkIn() {
    const button = this.form.querySelector("button[type=submit]");
    button.disabled = true;
    this.checkInError.hidden = true;
    this.checkInDone.hidden = true;
    const result = await this.send();
    button.disabled = false;
    if (!result.ok) {
      this.checkInError.textContent = result.error;
      this.checkInError.hidden = false;
      return;
    }
    this.checkInDone.textContent = result.text;
    this.checkInDone.hidden = false;
    this.form.reset();
    this.form.elements.note.required = false;
    await this.load();
  }

  async send() {
    const where = await this.locate();
    if (!where) return { ok: false, error: "未获得定位,无法打卡:请允许定位后再试。" };
    const note = this.form.elements.note.value.trim();
    const kind = this.form.elements.kind.value;
    const made = await post("/api/patrols/checkins", { kind, lat: where.lat, lng: where.lng, note: note || null });
    if (!made.ok) return made;
    for (const file of this.form.elements.photo.files) {
      const photo = await post(`/api/patrols/checkins/${encodeURIComponent(made.data.id)}/photos`, file, { raw: true });
      if (!photo.ok) return { ok: false, error: `已打卡,但照片“${file.name}”上传失败:${photo.error}` };
    }
    if (made.data.checkpoint) return { ok: true, text: `已在“${made.data.checkpoint.name}”打卡。` };
    return { ok: true, text: kind === "checkpoint" ? "已打卡(不在巡查点范围内)。" : `已记录${label(CHECK_IN_LABELS, kind)}。` };
  }
}

const section = document.getElementById("mobile-patrol");
if (section) new PatrolPanel(section).load();
