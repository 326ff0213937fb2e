// 零报告 on the walls and the phone page. ZeroReportBanner: a station's own wall (and its phone page) shows the day's
// zero-report until the unit has reported — the deadline and the time left by the server's clock, 今日零报告未报 once
// it passed (or the sweep's `zeroReportDue` came), and 零报告(无情况) or a report with a note and linked incidents of
// the unit. MissingZeroReports: a parent's wall (and the console) lists its units that have not reported today.
// Both read GET /api/zero-reports (the server's day, China time), again on their hub message, after a dropped
// connection, every RELOAD_MS and at the server's midnight. Texts and names as text only.

import { getJson, post } from "./api.js";
import { chinaDateTime, chinaDay, chinaTime } from "./china-time.js";
import { el } from "./dom.js";
import { ZERO_REPORT_STATE_LABELS, label } from "./labels.js";

const RELOAD_MS = 60_000;
const MAX_LISTED = 60;
const MISSING = ["overdue", "pending"];

function hhmm(instant) {
  return chinaTime(instant).slice(0, 5);
}

function left(due, now) {
  const s = Math.round((Date.parse(due) - now) / 1000);
  if (s <= 0) return "已超过截止时间";
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  return h > 0 ? `剩余 ${h}小时${String(m).padStart(2, "0")}分` : `剩余 ${m}分${String(s % 60).padStart(2, "0")}秒`;
}

/** Reads the day's zero-reports of an area; answers it with the server's clock offset (its `now` minus this screen's). */
async function readDay(areaPath, signal) {
  const day = await getJson(`api/zero-reports?jurisdiction=${areaPath}`, signal);
  return { day, offset: Date.parse(day.now) - Date.now() };
}

export class ZeroReportBanner {
  /**
   * @param {object} options
   * @param {HTMLElement} options.root the banner's section
   * @param {string} options.unit the unit's code (the station's own area)
   * @param {AbortSignal} options.signal aborted when the page stops
   */
  constructor({ root, unit, signal }) {
    this.root = root;
    this.unit = unit;
    this.signal = signal;
    this.day = null;
    this.offset = 0;
    const timer = setInterval(() => this.tick(), 1000);
    const reload = setInterval(() => this.load(), RELOAD_MS);
    signal.addEventListener("abort", () => {
      clearInterval(timer);
      clearInterval(reload);
    }, { once: true });
  }

  async load() {
    // A report being written stays as it is: from the moment its form is opened, also when it opens while this reads.
    const writing = () => this.root.querySelector("form:not([hidden])");
    if (writing()) return;
    try {
      const { day, offset } = await readDay(encodeURIComponent(this.unit), this.signal);
      if (writing()) return;
      this.day = day;
      this.offset = offset;
      this.render(day.units.find((u) => u.code === this.unit));
    } catch {
      // the next notice, reconnection or reload tries again
    }
  }

  render(own) {
    const missing = own && MISSING.includes(own.state);
    this.root.replaceChildren(...(missing ? [this.item(own)] : []));
    this.root.hidden = !missing;
    this.tick();
  }

  item(own) {
    const overdue = own.state === "overdue";
    const periods = this.day.periods.map((p) => p.name).join("、");
    const note = el("textarea", { name: "note", rows: "2", maxlength: "2000", placeholder: "情况说明:辖区内的事件、隐患及处置情况" });
    const incidents = el("fieldset", { class: "zero-report-incidents" }, el("legend", null, "关联事件(可选)"));
    const form = el("form", { class: "zero-report-form", hidden: true }, note, incidents, el("button", { type: "submit" }, "提交报告"));
    const nothing = el("button", { type: "button", class: "zero-report-nothing" }, "零报告(无情况)");
    const something = el("button", { type: "button", class: "zero-report-something" }, "有情况报告");
    const item = el(
      "article",
      { class: `zero-report${overdue ? " zero-report-overdue" : ""}`, "data-state": own.state, "data-date": own.date },
      el("h2", { class: "zero-report-title" }, overdue ? "今日零报告未报 · 请立即报送" : "今日零报告 · 待报送"),
      el("p", { class: "zero-report-meta" }, `${periods} · ${own.date} · 截止 ${hhmm(own.deadline)}${own.remindedAt ? " · 已催报" : ""}`),
      el("p", { class: "zero-report-left", "data-due": own.deadline }),
      el("div", { class: "zero-report-actions" }, nothing, something),
      form,
      el("p", { class: "zero-report-error", role: "alert" }),
    );
    nothing.addEventListener("click", () => this.submit(item, { nothing: true, note: "", incidents: [] }));
    something.addEventListener("click", () => {
      form.hidden = !form.hidden;
      if (!form.hidden && !incidents.dataset.loaded) this.offerIncidents(incidents);
    });
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      const linked = [...form.querySelectorAll("input[name=incident]:checked")].map((box) => box.value);
      this.submit(item, { nothing: false, note: note.value.trim(), incidents: linked });
    });
    return item;
  }

  /** The unit's latest incidents, to link (the server checks each is the unit's and visible to the caller). */
  async offerIncidents(fieldset) {
    fieldset.dataset.loaded = "true";
    try {
      const recent = await getJson(`api/incidents?jurisdiction=${encodeURIComponent(this.unit)}&limit=10`, this.signal);
      if (recent.length === 0) fieldset.append(el("p", { class: "zero-report-none" }, "辖区内暂无事件"));
      for (const incident of recent) {
        fieldset.append(el("label", null, el("input", { type: "checkbox", name: "incident", value: incident.id }), ` ${incident.title}`));
      }
    } catch {
      fieldset.append(el("p", { class: "zero-report-none" }, "事件列表加载失败,可只填写情况说明"));
    }
  }

  async submit(item, body) {
    for (const control of item.querySelectorAll("button, textarea, input")) control.disabled = true;
    const result = await post("api/zero-reports", { jurisdiction: this.unit, date: item.dataset.date, ...body });
    if (!result.ok) {
      item.querySelector(".zero-report-error").textContent = result.error;
      for (const control of item.querySelectorAll("button, textarea, input")) control.disabled = false;
      return;
    }
    const form = item.querySelector("form");
    form.reset();
    form.hidden = true; // sent: the day is read again and shown as it now stands
    await this.load();
  }

  /** A notice of this unit (`zeroReportDue`): read the day again, now that its deadline has passed. */
  remind() {
    this.load();
  }

  tick() {
    if (!this.day) return;
    const now = Date.now() + this.offset;
    if (chinaDay(now) !== this.day.date) {
      this.day = null;
      this.load(); // the server's midnight: a new day
      return;
    }
    for (const line of this.root.querySelectorAll(".zero-report-left")) {
      line.textContent = left(line.dataset.due, now);
      line.dataset.late = Date.parse(line.dataset.due) <= now ? "true" : "false";
    }
  }
}

export class MissingZeroReports {
  /**
   * @param {object} options
   * @param {HTMLElement} options.list the list of units that have not reported
   * @param {HTMLElement} options.count how many have not (of how many due)
   * @param {string} options.code the area whose units are listed (not itself)
   * @param {AbortSignal} options.signal aborted when the page stops
   */
  constructor({ list, count, code, signal }) {
    this.list = list;
    this.count = count;
    this.code = code;
    this.signal = signal;
    this.date = null;
    const timer = setInterval(() => this.load(), RELOAD_MS);
    signal.addEventListener("abort", () => clearInterval(timer), { once: true });
  }

  async load() {
    try {
      const { day } = await readDay(encodeURIComponent(this.code), this.signal);
      this.date = day.date;
      const below = day.units.filter((u) => u.code !== this.code);
      const missing = below.filter((u) => MISSING.includes(u.state));
      missing.sort((a, b) => MISSING.indexOf(a.state) - MISSING.indexOf(b.state));
      this.list.replaceChildren(...missing.slice(0, MAX_LISTED).map((u) => this.item(u)));
      if (below.length === 0) this.list.append(el("li", { class: "zero-missing-none" }, "今日无零报告任务"));
      else if (missing.length === 0) this.list.append(el("li", { class: "zero-missing-none" }, `今日 ${below.length} 个单位已全部报送`));
      this.show(below.length ? missing.length : null, below.length);
    } catch {
      // the next load tries again
    }
  }

  /** A `zeroReportsMissing` message of this area: units just reminded; the list is read again, as some may have reported since. */
  async remind() {
    await this.load();
    this.count.classList.remove("bump");
    void this.count.offsetWidth; // restart the animation
    this.count.classList.add("bump");
  }

  item(unit) {
    const where = unit.parent && unit.parent !== this.code ? `${unit.parentName} · ${unit.name}` : unit.name;
    return el(
      "li",
      { class: "zero-missing", "data-code": unit.code, "data-state": unit.state },
      el("span", { class: "zero-missing-name" }, where),
      el("span", { class: "zero-missing-state" }, unit.state === "overdue" ? `${label(ZERO_REPORT_STATE_LABELS, unit.state)} · 截止 ${hhmm(unit.deadline)}` : label(ZERO_REPORT_STATE_LABELS, unit.state)),
    );
  }

  show(missing, due) {
    this.count.textContent = missing === null ? "–" : `${missing}/${due}`;
    this.count.dataset.value = missing === null ? "" : String(missing);
  }
}

/** A report's time and who made it, for lists and tables: "09:12 张三(代报)". */
export function reportedText(unit) {
  if (!unit.reportedAt) return "";
  return `${chinaDateTime(unit.reportedAt).slice(11, 16)} ${unit.reportedByName ?? ""}${unit.onBehalf ? "(代报)" : ""}`;
}
