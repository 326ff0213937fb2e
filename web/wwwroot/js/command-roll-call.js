// The session board's video roll call (视频点名): those who command the session call chosen stations with a time to
// answer; the report shows each station's delivery, first frame (the media server's time), response and outcome as
// they come (read every REPORT_RELOAD_MS while it is open), the answering stations' cameras (watched in the roll
// call's own room, conference.js), 结束点名 and the export. A reload shows the session's latest roll call again.
// Names are text only.

import { delay, getJson, post } from "./api.js";
import { chinaTime } from "./china-time.js";
import { Conference } from "./conference.js";
import { el } from "./dom.js";
import { ROLL_CALL_OUTCOME_LABELS, label } from "./labels.js";

const REPORT_RELOAD_MS = 2000;

const root = document.getElementById("command-roll-call");
if (root) {
  const session = root.dataset.session;
  const form = document.getElementById("command-roll-call-start");
  const error = form.querySelector(".command-form-error");
  const report = document.getElementById("command-roll-call-report");
  const rows = document.getElementById("command-roll-call-rows");
  const status = document.getElementById("command-roll-call-status");
  const end = document.getElementById("command-roll-call-end");
  const exportLink = document.getElementById("command-roll-call-export");
  const video = document.getElementById("command-roll-call-video");
  let current = null; // { id, conference }

  const show = (view) => {
    report.hidden = false;
    exportLink.href = `/api/roll-calls/${encodeURIComponent(view.id)}/report.csv`;
    const c = view.counts;
    status.textContent = `${view.open ? "进行中" : "已结束"} · 按时 ${c.onTime} · 迟到 ${c.late} · 未应答 ${c.notAnswered} · 离线 ${c.offline} · 待应答 ${c.pending} / ${c.called}`;
    root.dataset.open = String(view.open);
    end.hidden = !view.open;
    video.hidden = !view.open;
    rows.replaceChildren(
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
  };

  const follow = async (id) => {
    current?.conference.stop();
    const conference = new Conference(video, id, { base: `/api/roll-calls/${encodeURIComponent(id)}`, session: false });
    current = { id, conference };
    conference.start();
    while (current?.id === id) {
      try {
        const view = await getJson(`/api/roll-calls/${encodeURIComponent(id)}`);
        if (current?.id !== id) return; // ended or replaced meanwhile: its own answer is shown
        show(view);
        if (!view.open) {
          conference.stop();
          return;
        }
      } catch {
        // the next read tries again
      }
      await delay(REPORT_RELOAD_MS);
    }
  };

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    error.textContent = "";
    const stations = [...form.elements.station].filter((box) => box.checked).map((box) => box.value);
    const started = await post(`/api/command-sessions/${encodeURIComponent(session)}/roll-calls`, {
      stations,
      answerWithin: Number(form.elements.answerWithin.value),
    });
    if (!started.ok) {
      error.textContent = started.error;
      return;
    }
    show(started.data);
    follow(started.data.id);
  });
  end.addEventListener("click", async () => {
    if (!current) return;
    const ended = await post(`/api/roll-calls/${encodeURIComponent(current.id)}/end`, {});
    if (!ended.ok) {
      status.textContent = ended.error;
      return;
    }
    current.conference.stop();
    current = null;
    show(ended.data);
  });
  form.querySelector("button[type=submit]").disabled = false;

  getJson(`/api/roll-calls?jurisdiction=${encodeURIComponent(root.dataset.area)}`)
    .then((calls) => {
      const latest = calls.find((c) => c.session === session);
      if (latest && !current) {
        show(latest);
        if (latest.open) follow(latest.id);
      }
    })
    .catch(() => {});
}
