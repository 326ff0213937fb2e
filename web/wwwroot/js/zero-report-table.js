// The zero-report table of a day (/zero-reports, Components/Pages/ZeroReports.razor): townships as rows, each with its
// own report and its villages' counts, who is missing, and the villages' reports in a details list; the counts of the
// day; the sensitive periods (and, for the county center, the form that sets one and the button that ends one); links
// to export the day and the period as CSV or Excel. Read from GET /api/zero-reports every RELOAD_MS, so the table fills
// up during the day. Data only ever reaches the page as text nodes.

import { getJson, post } from "./api.js";
import { el } from "./dom.js";
import { LEVEL_LABELS, ZERO_REPORT_STATE_LABELS, label } from "./labels.js";
import { reportedText } from "./wall-zero-reports.js";

const RELOAD_MS = 30_000;
const MAX_EXPORT_DAYS = 92;

function stateBadge(unit) {
  return el("span", { class: "zero-state", "data-state": unit.state }, label(ZERO_REPORT_STATE_LABELS, unit.state));
}

function what(unit) {
  if (unit.nothing === true) return `零报告${unit.note ? `:${unit.note}` : ""}`;
  if (unit.nothing === false) {
    const incidents = unit.incidents.map((i) => i.title).join("、");
    return [unit.note, incidents ? `关联事件:${incidents}` : ""].filter(Boolean).join(" · ");
  }
  return unit.remindedAt ? "已催报" : "";
}

/** The townships of the day in order, each with its own unit (when due) and its due villages. */
function groups(day) {
  const byTownship = new Map();
  const group = (code, name) => {
    if (!byTownship.has(code)) byTownship.set(code, { code, name, own: null, villages: [] });
    return byTownship.get(code);
  };
  for (const unit of day.units) {
    if (unit.level === "township") group(unit.code, unit.name).own = unit;
    else group(unit.parent, unit.parentName).villages.push(unit);
  }
  return [...byTownship.values()];
}

function townshipRow(g) {
  const reported = g.villages.filter((v) => v.state === "onTime" || v.state === "late");
  const missing = g.villages.filter((v) => v.state === "overdue" || v.state === "pending");
  const details = g.villages.length
    ? el(
        "details",
        null,
        el("summary", null, `${g.villages.length} 个村(社区)`),
        el(
          "table",
          null,
          el(
            "tbody",
            null,
            ...g.villages.map((v) =>
              el(
                "tr",
                { "data-code": v.code, "data-state": v.state },
                el("td", null, v.name),
                el("td", null, stateBadge(v)),
                el("td", { class: "zero-table-reported" }, reportedText(v)),
                el("td", null, what(v)),
              ),
            ),
          ),
        ),
      )
    : "";
  return el(
    "tr",
    { "data-code": g.code, "data-state": g.own?.state ?? "" },
    el("th", { scope: "row" }, g.name),
    el("td", null, g.own ? stateBadge(g.own) : "—", g.own ? el("div", { class: "zero-table-what" }, what(g.own)) : ""),
    el("td", { class: "zero-table-reported" }, g.own ? reportedText(g.own) : ""),
    el("td", { class: "zero-num" }, String(g.villages.length)),
    el("td", { class: "zero-num" }, String(g.villages.filter((v) => v.state === "onTime").length)),
    el("td", { class: "zero-num" }, String(g.villages.filter((v) => v.state === "late").length)),
    el("td", { class: "zero-num zero-table-missing" }, String(missing.length)),
    el("td", { class: "zero-table-missing" }, missing.map((v) => v.name).join("、") || (reported.length ? "无" : "")),
    el("td", null, details),
  );
}

function summary(day) {
  const count = (kind, text, value) => el("span", { class: "zero-table-count", "data-kind": kind }, el("strong", null, String(value)), text);
  const c = day.counts;
  const parts = [count("due", "应报", c.due), count("onTime", "按时报送", c.onTime), count("late", "迟报", c.late), count("pending", "待报", c.pending), count("overdue", "未报", c.overdue)];
  for (const level of day.levels) parts.push(el("span", { class: "zero-table-count" }, `${label(LEVEL_LABELS, level.level)}:已报 ${level.counts.reported}/${level.counts.due}`));
  return parts;
}

function exportLinks(root, day) {
  const base = `/api/zero-reports/export?jurisdiction=${encodeURIComponent(root.dataset.jurisdiction)}`;
  const link = (from, to, format, text) => el("a", { href: `${base}&from=${from}&to=${to}&format=${format}`, download: "" }, text);
  const links = [link(day.date, day.date, "csv", "导出当日 CSV"), link(day.date, day.date, "xlsx", "导出当日 Excel")];
  if (day.periods.length) {
    const from = day.periods.map((p) => p.from).sort()[0];
    const to = day.periods.map((p) => p.lastDay).sort().at(-1);
    const days = (Date.parse(to) - Date.parse(from)) / 86_400_000 + 1;
    if (days <= MAX_EXPORT_DAYS) links.push(link(from, to, "csv", "导出本期 CSV"), link(from, to, "xlsx", "导出本期 Excel"));
  }
  return links;
}

async function showPeriods(root, today, reload) {
  const list = document.getElementById("zero-periods");
  const configure = root.dataset.configure === "true";
  try {
    const periods = await getJson("/api/sensitive-periods");
    list.replaceChildren(
      ...periods.slice(0, 10).map((p) => {
        const item = el(
          "li",
          { "data-period": p.id },
          `${p.name} · ${p.from} 至 ${p.lastDay} · ${p.levels.map((l) => label(LEVEL_LABELS, l)).join("、")} · 每日 ${p.deadline} 前 · ${p.workingDaysOnly ? "仅工作日" : "每天"}`,
          p.endedOn ? `(已于 ${p.endedOn} 结束)` : "",
        );
        if (configure && !p.endedOn && p.lastDay >= today) {
          const end = el("button", { type: "button", class: "zero-period-end" }, "结束");
          end.addEventListener("click", async () => {
            end.disabled = true;
            const result = await post(`/api/sensitive-periods/${encodeURIComponent(p.id)}/end`, {});
            if (!result.ok) item.append(el("span", { class: "zero-period-error" }, result.error));
            await reload();
          });
          item.append(end);
        }
        return item;
      }),
    );
    if (periods.length === 0) list.append(el("li", null, "尚未设置敏感时期"));
  } catch (error) {
    list.replaceChildren(el("li", null, `加载失败:${error.message}`));
  }
}

function periodForm(reload) {
  const form = document.getElementById("zero-period-form");
  if (!form) return;
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const error = form.querySelector(".zero-period-error");
    error.textContent = "";
    const levels = [...form.querySelectorAll("input[name=level]:checked")].map((box) => box.value);
    const result = await post("/api/sensitive-periods", {
      name: form.elements.name.value.trim(),
      from: form.elements.from.value,
      to: form.elements.to.value,
      levels,
      deadline: form.elements.deadline.value,
      workingDaysOnly: form.elements.workingDaysOnly.checked,
    });
    if (!result.ok) {
      error.textContent = result.error;
      return;
    }
    form.reset();
    await reload();
  });
}

async function start(root) {
  const rows = document.getElementById("zero-table-rows");
  const state = document.getElementById("zero-table-state");
  const dateInput = document.getElementById("zero-table-date");
  const query = `jurisdiction=${encodeURIComponent(root.dataset.jurisdiction)}${root.dataset.date ? `&date=${encodeURIComponent(root.dataset.date)}` : ""}`;
  const load = async () => {
    try {
      const day = await getJson(`/api/zero-reports?${query}`);
      if (!dateInput.value) dateInput.value = day.date;
      document.getElementById("zero-table-summary").replaceChildren(...summary(day));
      document.getElementById("zero-table-exports").replaceChildren(...exportLinks(root, day));
      rows.replaceChildren(...groups(day).map(townshipRow));
      root.dataset.loadedAt = day.now;
      state.textContent = day.units.length ? "" : `${day.date} 无需零报告(没有敏感时期)`;
      await showPeriods(root, day.today, load);
    } catch (error) {
      state.textContent = `加载失败:${error.message}`;
    }
  };
  periodForm(load);
  await load();
  setInterval(load, RELOAD_MS);
}

const root = document.getElementById("zero-reports");
if (root && document.getElementById("zero-table-rows")) {
  start(root).catch((error) => console.warn("zero-reports: failed to start", error));
}
