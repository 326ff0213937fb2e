// A command session's board (/command/{id}, 应急指挥): the session with its running time, its instructions with each
// recipient's progress (green when signed or done, red when a deadline passed unmet) and report-backs with their
// photos, and its log, followed live over
// the hub (SessionFollower) and read again after each entry and every few seconds while the session is open. Those
// who command the session's area also issue instructions to its stations, remind (催办) and escalate (上报上级) a
// recipient, and close the session. Everything from outside (titles, texts, names) is text only.

import { getJson, post } from "./api.js";
import { chinaDateTime, chinaTime } from "./china-time.js";
import { el } from "./dom.js";
import { COMMAND_LEVEL_LABELS, CONNECTION_LABELS, RECIPIENT_STATE_LABELS, SESSION_LOG_LABELS, label } from "./labels.js";
import { Situation } from "./command-situation.js";
import { SessionFollower } from "./wall-feed.js";

const RELOAD_SETTLE_MS = 300; // after log entries, read the board once this long after the last one
const RELOAD_MS = 5000; // and this often while the session is open (deliveries and missed deadlines make no entry)
const MAX_LOG = 500;

function duration(seconds) {
  const s = Math.max(0, Math.floor(seconds));
  const pad = (n) => String(n).padStart(2, "0");
  return `${pad(Math.floor(s / 3600))}:${pad(Math.floor((s % 3600) / 60))}:${pad(s % 60)}`;
}

function took(seconds) {
  if (seconds === null || seconds === undefined) return "";
  return seconds < 60 ? `${Math.round(seconds)}秒` : `${Math.floor(seconds / 60)}分${Math.round(seconds % 60)}秒`;
}

/**
 * One recipient of an instruction: its name, where it stands, how long it took, a missed deadline in red; for the
 * commander 催办 and, once it missed a deadline, 上报上级 (escalation to its superior level).
 */
/** A recipient's report-backs: each text, and its photos (opening the full image). */
function reportList(reports) {
  if (!reports.length) return null;
  return el(
    "ul",
    { class: "command-reports" },
    ...reports.map((report) =>
      el(
        "li",
        { class: "command-report", "data-report-id": report.id },
        el("span", { class: "command-report-text" }, `${chinaTime(report.at)} ${report.byName}:${report.text}${report.done ? "(已完成)" : ""}`),
        ...report.photos.map((url) => el("a", { href: url, target: "_blank" }, el("img", { class: "command-report-photo", src: url, alt: "回执照片", loading: "lazy" }))),
      ),
    ),
  );
}

function recipientItem(r, act, reports) {
  const missed = r.signMissed || r.reportMissed;
  const state = missed && !["signed", "reported", "done"].includes(r.state) ? "missed" : r.state;
  const open = !["reported", "done"].includes(r.state);
  return el(
    "li",
    { class: `command-recipient command-recipient-${state}`, "data-code": r.code, "data-state": r.state, "data-missed": missed ? "true" : "false" },
    el("span", { class: "command-recipient-name" }, r.name),
    el("span", { class: "command-recipient-state" }, label(RECIPIENT_STATE_LABELS, r.state) + (missed ? "(超时)" : "")),
    r.signedAt ? el("span", { class: "command-recipient-took" }, `签收用时 ${took(r.secondsToSign)}`) : null,
    r.reportedAt ? el("span", { class: "command-recipient-took" }, `回执用时 ${took(r.secondsToReport)}`) : null,
    r.signRemindedAt || r.reportRemindedAt ? el("span", { class: "command-recipient-reminded" }, "已催办") : null,
    r.escalatedAt ? el("span", { class: "command-recipient-escalated" }, `已上报${r.escalatedToName ?? "上级"}督办`) : null,
    act && open ? actionButton("催办", "command-recipient-remind", () => act("remind", r.code)) : null,
    act && open && missed && !r.escalatedAt ? actionButton("上报上级", "command-recipient-escalate", () => act("escalate", r.code)) : null,
    reportList(reports),
  );
}

function actionButton(text, className, run) {
  const button = el("button", { type: "button", class: className }, text);
  button.addEventListener("click", async () => {
    button.disabled = true;
    await run();
    button.disabled = false;
  });
  return button;
}

function instructionItem(i, act, reports) {
  const t = i.tally;
  return el(
    "li",
    { class: "command-instruction", "data-instruction-id": i.id },
    el("p", { class: "command-instruction-text" }, i.text),
    el(
      "p",
      { class: "command-instruction-meta" },
      `${i.issuedByName} · ${chinaTime(i.issuedAt)} 下达 · 签收时限 ${chinaTime(i.signDue)} · 回执时限 ${chinaTime(i.reportDue)} · `,
      el("span", { class: "command-instruction-tally" }, `签收 ${t.signed}/${t.recipients} · 回执 ${t.reported}/${t.recipients}`),
    ),
    el(
      "ul",
      { class: "command-recipients" },
      ...i.recipients.map((r) => recipientItem(r, act, reports.filter((report) => report.instruction === i.id && report.recipient === r.code))),
    ),
  );
}

class Board {
  constructor(root) {
    this.root = root;
    this.id = root.dataset.session;
    this.path = `api/command-sessions/${encodeURIComponent(this.id)}`;
    this.names = new Map(); // station code → name, from the board
    this.reloadTimer = 0;
    this.session = null;
    this.openedAt = 0;
    this.closedAt = 0;
    this.serverOffset = 0;
    this.log = document.getElementById("command-log");
  }

  async start() {
    await this.reload();
    new Situation(document.getElementById("command-situation"), this.path).start();
    this.follower = new SessionFollower({
      session: this.id,
      apply: (entry) => this.logEntry(entry),
      fill: async (after) => (await getJson(`${this.path}/log?after=${after}`)).entries,
      status: (state) => {
        const status = document.getElementById("command-status");
        status.dataset.state = state;
        status.textContent = label(CONNECTION_LABELS, state);
        if (state === "live") this.scheduleReload();
      },
    });
    this.follower.start();
    this.timer = setInterval(() => this.tick(), 1000);
    this.reloadEvery = setInterval(() => {
      if (this.session?.open) this.reload();
    }, RELOAD_MS);
    for (const [id, handler] of [
      ["command-issue", (e) => this.issue(e)],
      ["command-close", (e) => this.close(e)],
    ]) {
      const form = document.getElementById(id);
      form?.addEventListener("submit", handler);
      form?.querySelector("button[type=submit]").removeAttribute("disabled"); // the page itself never posts
    }
    window.addEventListener("pagehide", () => this.follower.stop(), { once: true });
  }

  async reload() {
    try {
      this.render(await getJson(this.path));
    } catch (error) {
      console.warn("command: reading the board failed", error);
    }
  }

  scheduleReload() {
    clearTimeout(this.reloadTimer);
    this.reloadTimer = setTimeout(() => this.reload(), RELOAD_SETTLE_MS);
  }

  render(board) {
    const s = board.session;
    this.session = s;
    for (const p of s.participants) this.names.set(p.code, p.name);
    this.openedAt = Date.parse(s.openedAt);
    this.closedAt = s.closedAt ? Date.parse(s.closedAt) : 0;
    // The server's clock minus this screen's: the running time counts on from the board's.
    this.serverOffset = s.open ? this.openedAt + board.seconds * 1000 - Date.now() : 0;
    document.getElementById("command-title").textContent = s.title;
    document.getElementById("command-level").textContent = label(COMMAND_LEVEL_LABELS, s.level);
    document.getElementById("command-area").textContent = s.areaName;
    document.getElementById("command-opened").textContent = `${s.openedByName} · ${chinaDateTime(s.openedAt)} 开启`;
    const state = document.getElementById("command-state");
    state.textContent = s.open ? "指挥中" : "已结束";
    state.dataset.open = s.open ? "true" : "false";
    document.getElementById("command-participants").replaceChildren(...s.participants.map((p) => el("li", { "data-code": p.code }, p.name)));
    document.getElementById("command-summary").textContent = s.summary ?? "";
    const act =
      this.root.dataset.commands === "true" && s.open
        ? (instruction) => async (what, code) => {
            const result = await post(`api/instructions/${encodeURIComponent(instruction)}/${what}`, { recipient: code });
            if (!result.ok) console.warn(`command: ${what} failed`, result.error);
            this.scheduleReload();
          }
        : null;
    document.getElementById("command-instructions").replaceChildren(...board.instructions.map((i) => instructionItem(i, act?.(i.id), board.reports)));
    document.getElementById("command-instruction-count").textContent = String(board.instructions.length);
    for (const form of document.querySelectorAll(".command-form")) form.hidden = !s.open;
    this.tick();
  }

  tick() {
    if (!this.session) return;
    const now = this.closedAt || Date.now() + this.serverOffset;
    document.getElementById("command-timer").textContent = duration((now - this.openedAt) / 1000);
  }

  logEntry(entry) {
    let data = {};
    try {
      data = JSON.parse(entry.data);
    } catch {
      // an entry without readable data still shows its kind
    }
    const station = data.recipient ? this.names.get(data.recipient) ?? "" : "";
    const text = data.text ?? data.summary ?? data.label ?? "";
    this.log.prepend(
      el(
        "li",
        { class: `command-log-entry command-log-${entry.kind.replace(".", "-")}`, "data-sequence": entry.sequence },
        el("span", { class: "command-log-time" }, chinaTime(entry.at)),
        el("span", { class: "command-log-kind" }, label(SESSION_LOG_LABELS, entry.kind)),
        el("span", { class: "command-log-actor" }, station || entry.actorName),
        text ? el("span", { class: "command-log-text" }, text) : null,
      ),
    );
    while (this.log.children.length > MAX_LOG) this.log.lastElementChild.remove();
    this.log.dataset.last = String(entry.sequence);
    this.scheduleReload();
  }

  async issue(event) {
    event.preventDefault();
    const form = event.currentTarget;
    const recipients = [...form.querySelectorAll("input[name=recipient]:checked")].map((i) => i.value);
    const result = await post(`${this.path}/instructions`, {
      text: form.elements.text.value,
      recipients,
      ackWithin: Number(form.elements.ackWithin.value),
      reportWithin: Number(form.elements.reportWithin.value),
    });
    form.querySelector(".command-form-error").textContent = result.ok ? "" : result.error;
    if (result.ok) {
      form.elements.text.value = "";
      this.scheduleReload();
    }
  }

  async close(event) {
    event.preventDefault();
    const form = event.currentTarget;
    const result = await post(`${this.path}/close`, { summary: form.elements.summary.value });
    form.querySelector(".command-form-error").textContent = result.ok ? "" : result.error;
    if (result.ok) await this.reload();
  }
}

const root = document.getElementById("command-board");
if (root) new Board(root).start();
