// A station's own roll calls on /roll-calls (视频点名): how often and how fast it answered in the last 30 days
// (GET /api/roll-calls/history), and each roll call with its outcome. Names are text only.

import { getJson } from "./api.js";
import { chinaDateTime } from "./china-time.js";
import { el } from "./dom.js";
import { ROLL_CALL_OUTCOME_LABELS, label } from "./labels.js";

const root = document.getElementById("roll-call-history");
if (root) {
  const stats = document.getElementById("roll-call-history-stats");
  const list = document.getElementById("roll-call-history-list");
  const state = document.getElementById("roll-call-history-state");
  const percent = (rate) => (rate === null ? "—" : `${(rate * 100).toFixed(1)}%`);
  const seconds = (s) => (s === null ? "—" : `${s.toFixed(1)} 秒`);
  getJson(`/api/roll-calls/history?station=${encodeURIComponent(root.dataset.station)}`)
    .then((history) => {
      const s = history.stats;
      stats.textContent = `${history.name} · 点名 ${s.called} 次 · 应答率 ${percent(s.answerRate)} · 按时率 ${percent(s.onTimeRate)} · 响应中位 ${seconds(s.medianSeconds)} · P90 ${seconds(s.p90Seconds)}`;
      list.replaceChildren(
        ...history.rollCalls.map((r) =>
          el(
            "li",
            { "data-roll-call-id": r.rollCall, "data-outcome": r.outcome },
            el("span", { class: "roll-call-when" }, chinaDateTime(r.startedAt).slice(5, 16)),
            el("span", { class: "roll-call-name" }, `${r.title} · ${r.startedByName}`),
            el("span", { class: "roll-call-outcome" }, `${label(ROLL_CALL_OUTCOME_LABELS, r.outcome)}${r.responseSeconds === null ? "" : ` · ${seconds(r.responseSeconds)}`}`),
          ),
        ),
      );
      state.textContent = history.rollCalls.length ? "" : "近 30 天没有点名";
    })
    .catch((error) => {
      state.textContent = `加载失败:${error.message}`;
    });
}
