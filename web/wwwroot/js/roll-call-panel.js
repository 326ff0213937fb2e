// A video roll call panel (视频点名) of the county center, on the session board (in the session, its stations) and on
// the roll-call page /roll-calls (on its own, a routine duty check, and the list of recent roll calls): those who may
// call chosen stations with a time to answer; the report shows each station's delivery, first frame (the media
// server's time), response and outcome as they come (read every REPORT_RELOAD_MS while it is open), the answering
// stations' cameras (watched in the roll call's own room, conference.js), 结束点名 and the export. A reload shows the
// latest roll call (of the session, on the board) again. Every part is found by its data-roll-call-* attribute;
// names are text only.

import { delay, getJson, post } from "./api.js";
import { chinaDateTime, chinaTime } from "./china-time.js";
import { Conference } from "./conference.js";
import { el } from "./dom.js";
import { ROLL_CALL_OUTCOME_LABELS, label } from "./labels.js";

const REPORT_RELOAD_MS = 2000;

function counts(c) {
  return `按时 ${c.onTime} · 迟到 ${c.late} · 未应答 ${c.notAnswered} · 离线 ${c.offline} · 待应答 ${c.pending} / ${c.called}`;
}

class RollCallPanel {
  constructor(root) {
    this.root = root;
    this.session = root.dataset.session || null;
    this.part = (name) => root.querySelector(`[data-roll-call-${name}]`);
    this.form = this.part("start");
    this.report = this.part("report");
    this.rows = this.part("rows");
    this.status = this.part("status");
    this.end = this.part("end");
    this.exportLink = this.part("export");
    this.video = this.part("video");
    this.list = this.part("list");
    this.current = null; // { id, conference } of the roll call followed
    this.form?.addEventListener("submit", (event) => {
      event.preventDefault();
      this.start();
    });
    this.end.addEventListener("click", () => this.stop());
    if (this.form) this.form.querySelector("button[type=submit]").disabled = false;
    this.loadLatest();
  }

  async start() {
    const error = this.form.querySelector(".command-form-error");
    error.textContent = "";
    const stations = [...this.form.querySelectorAll("input[name=station]")].filter((box) => box.checked).map((box) => box.value);
    const url = this.session ? `/api/command-sessions/${encodeURIComponent(this.session)}/roll-calls` : "/api/roll-calls";
    const started = await post(url, { stations, answerWithin: Number(this.form.elements.answerWithin.value) });
    if (!started.ok) {
      error.textContent = started.error;
      return;
    }
    this.show(started.data);
    this.follow(started.data.id);
    this.loadList();
  }

  async stop() {
    const current = this.current;
    if (!current) return;
    const ended = await post(`/api/roll-calls/${encodeURIComponent(current.id)}/end`, {});
    if (!ended.ok) {
      this.status.textContent = ended.error;
      return;
    }
    // While the end was on its way the follower may have seen the roll call over and let it go already.
    current.conference.stop();
    if (this.current === current) this.current = null;
    this.show(ended.data);
    this.loadList();
  }

  show(view) {
    this.report.hidden = false;
    this.root.dataset.rollCall = view.id;
    this.exportLink.href = `/api/roll-calls/${encodeURIComponent(view.id)}/report.csv`;
    this.status.textContent = `${view.title} · ${view.open ? "进行中" : "已结束"} · ${counts(view.counts)}`;
    this.root.dataset.open = String(view.open);
    this.end.hidden = !view.open;
    this.video.hidden = !view.open;
    this.rows.replaceChildren(
      ...view.stations.map((s) =>
        el(
          "tr",
          { "data-station": s.code, "data-outcome": s.outcome },
          el("td", null, s.parentName ? `${s.parentName} · ${s.name}` : s.name),
          el("td", null, s.deliveredAt ? chinaTime(s.deliveredAt) : "—"),
          el("td", null, s.answeredAt ? chinaTime(s.answeredAt) : "—"),
          el("td", { class: "roll-call-seconds" }, s.responseSeconds === null ? "—" : s.responseSeconds.toFixed(1)),
          el("td", { class: "roll-call-outcome" }, label(ROLL_CALL_OUTCOME_LABELS, s.outcome)),
        ),
      ),
    );
  }

  /** Follows an open roll call: its report as it comes, and the answering cameras, until it is over. */
  async follow(id) {
    this.current?.conference.stop();
    const conference = new Conference(this.video, id, { base: `/api/roll-calls/${encodeURIComponent(id)}`, session: false });
    this.current = { id, conference };
    conference.start();
    while (this.current?.id === id) {
      try {
        const view = await getJson(`/api/roll-calls/${encodeURIComponent(id)}`);
        if (this.current?.id !== id) return; // ended or replaced meanwhile: its own answer is shown
        this.show(view);
        if (!view.open) {
          conference.stop();
          this.current = null;
          this.loadList();
          return;
        }
      } catch {
        // the next read tries again
      }
      await delay(REPORT_RELOAD_MS);
    }
  }

  /** Shows one of the list's roll calls (and follows it while open). */
  async open(id) {
    try {
      const view = await getJson(`/api/roll-calls/${encodeURIComponent(id)}`);
      this.show(view);
      if (view.open) this.follow(id);
      else {
        this.current?.conference.stop();
        this.current = null;
      }
    } catch (error) {
      this.status.textContent = `加载失败:${error.message}`;
    }
  }

  async loadLatest() {
    try {
      const calls = await this.recent();
      const latest = this.session ? calls.find((c) => c.session === this.session) : calls[0];
      if (latest && !this.current) {
        this.show(latest);
        if (latest.open) this.follow(latest.id);
      }
      this.render(calls);
    } catch {
      // the list stays as it was
    }
  }

  async loadList() {
    if (!this.list) return;
    try {
      this.render(await this.recent());
    } catch {
      // the list stays as it was
    }
  }

  recent() {
    return getJson(`/api/roll-calls?jurisdiction=${encodeURIComponent(this.root.dataset.area)}`);
  }

  render(calls) {
    if (!this.list) return;
    this.list.replaceChildren(
      ...calls.map((c) => {
        const view = el("button", { type: "button", class: "roll-call-open" }, "查看");
        view.addEventListener("click", () => this.open(c.id));
        return el(
          "li",
          { "data-roll-call-id": c.id, "data-open": String(c.open) },
          el("span", { class: "roll-call-when" }, chinaDateTime(c.startedAt).slice(5, 16)),
          el("span", { class: "roll-call-name" }, `${c.title} · ${c.startedByName}`),
          el("span", { class: "roll-call-counts" }, `${c.open ? "进行中 · " : ""}${counts(c.counts)}`),
          view,
        );
      }),
    );
    const empty = this.part("empty");
    if (empty) empty.hidden = calls.length > 0;
  }
}

for (const root of document.querySelectorAll("[data-roll-call-panel]")) new RollCallPanel(root);
