// 指令 on a station's own wall: the instructions to the station not yet signed stay as a banner (text, who issued it,
// the time left to sign, red once it passed) with 签收; signed ones not yet reported back offer 回执 (a text,
// whether the task is done, and photos, uploaded once the report-back is stored). Loaded from GET /api/instructions/mine (which marks them delivered), again on every
// `instructionIssued` notice to the station (new, or the sweep's reminder of a deadline passed unmet: then the title
// says so) and after a dropped connection. Texts and names as text only.

import { getJson, post, uploadPhotos } from "./api.js";
import { chinaTime } from "./china-time.js";
import { el } from "./dom.js";

const ESCALATED_RELOAD_MS = 60_000;

function left(due, now) {
  const s = Math.round((Date.parse(due) - now) / 1000);
  if (s <= 0) return "已超时";
  return `剩余 ${Math.floor(s / 60)}分${String(s % 60).padStart(2, "0")}秒`;
}

export class InstructionBanner {
  /**
   * @param {object} options
   * @param {HTMLElement} options.root the banner's section
   * @param {string} options.station the station's code (the wall's area)
   * @param {AbortSignal} options.signal aborted when the wall stops
   */
  constructor({ root, station, signal }) {
    this.root = root;
    this.station = station;
    this.signal = signal;
    this.shown = [];
    const timer = setInterval(() => this.tick(), 1000);
    signal.addEventListener("abort", () => clearInterval(timer), { once: true });
  }

  async load() {
    try {
      const mine = await getJson("api/instructions/mine", this.signal);
      this.shown = mine
        .map((i) => ({ instruction: i, own: i.recipients.find((r) => r.code === this.station) }))
        .filter((x) => x.own && !["reported", "done"].includes(x.own.state));
      this.render();
    } catch {
      // the next notice or reconnection loads again
    }
  }

  render() {
    this.root.replaceChildren(...this.shown.map((x) => this.item(x.instruction, x.own)));
    this.root.hidden = this.shown.length === 0;
    this.tick();
  }

  item(i, own) {
    const signed = own.state === "signed";
    const item = el(
      "article",
      { class: `wall-instruction${signed ? " wall-instruction-signed" : ""}`, "data-instruction-id": i.id, "data-state": own.state },
      el(
        "h2",
        { class: "wall-instruction-title" },
        signed
          ? own.reportRemindedAt ? "回执已超时 · 请立即回执" : "指令待回执"
          : own.signRemindedAt ? "催办 · 请立即签收" : "新指令 · 请签收",
      ),
      el("p", { class: "wall-instruction-text" }, i.text),
      el("p", { class: "wall-instruction-meta" }, `${i.issuedByName} · ${chinaTime(i.issuedAt)} 下达`),
      el("p", { class: "wall-instruction-left", "data-due": signed ? i.reportDue : i.signDue }),
    );
    if (!signed) {
      const button = el("button", { type: "button", class: "wall-instruction-sign" }, "签收");
      button.addEventListener("click", () => this.act(item, `api/instructions/${encodeURIComponent(i.id)}/sign`, {}));
      item.append(button);
    } else {
      const form = el(
        "form",
        { class: "wall-instruction-report" },
        el("textarea", { name: "text", rows: "2", maxlength: "4000", required: true, placeholder: "回执内容:落实情况" }),
        el("label", {}, el("input", { type: "checkbox", name: "done" }), " 已完成"),
        el("label", { class: "wall-instruction-photos" }, "现场照片 ", el("input", { type: "file", name: "photos", accept: "image/*", multiple: true })),
        el("button", { type: "submit" }, "提交回执"),
      );
      form.addEventListener("submit", (event) => {
        event.preventDefault();
        this.report(item, i.id, form);
      });
      item.append(form);
    }
    item.append(el("p", { class: "wall-instruction-error", role: "alert" }));
    return item;
  }

  /** 签收: the banner reloads, or keeps the error with its controls enabled. */
  async act(item, url, body) {
    this.enable(item, false);
    const result = await post(url, body);
    if (!result.ok) return this.failed(item, result.error);
    await this.load();
  }

  /**
   * 回执, then its photos. When the report-back is stored but a photo is not, the banner stays with the reason, and
   * sending again uploads the photos chosen to that report-back (no second report-back).
   */
  async report(item, instruction, form) {
    this.enable(item, false);
    if (!item.dataset.report) {
      const result = await post(`api/instructions/${encodeURIComponent(instruction)}/report`, { text: form.elements.text.value, done: form.elements.done.checked });
      if (!result.ok) return this.failed(item, result.error);
      item.dataset.report = result.data.id;
    }
    const photos = [...form.elements.photos.files];
    if (photos.length) {
      const uploaded = await uploadPhotos(
        `api/instructions/${encodeURIComponent(instruction)}/reports/${encodeURIComponent(item.dataset.report)}/photos`,
        photos,
      );
      if (!uploaded.ok) return this.failed(item, `回执已提交,${uploaded.error}请重新选择照片后再次提交。`);
    }
    await this.load();
  }

  enable(item, enabled) {
    for (const control of item.querySelectorAll("button, textarea, input")) control.disabled = !enabled;
  }

  failed(item, error) {
    item.querySelector(".wall-instruction-error").textContent = error;
    this.enable(item, true);
  }

  tick() {
    const now = Date.now();
    for (const line of this.root.querySelectorAll(".wall-instruction-left")) {
      line.textContent = left(line.dataset.due, now);
      line.dataset.late = Date.parse(line.dataset.due) <= now ? "true" : "false";
    }
  }
}

/**
 * 下级未落实 on a superior's wall (a township's for its villages, the county's for its townships): the stations sent up
 * here (上级督办) for an instruction they have not signed or reported back on, from GET /api/instructions/escalated,
 * followed live through `instructionEscalated` and read again every RELOAD_MS and after a dropped connection (one
 * that reports back leaves the list then).
 */
export class EscalatedInstructions {
  /**
   * @param {object} options
   * @param {HTMLElement} options.list the list
   * @param {HTMLElement} options.count how many are listed
   * @param {string} options.areaPath the wall's area, as it goes into API paths
   * @param {AbortSignal} options.signal aborted when the wall stops
   */
  constructor({ list, count, areaPath, signal }) {
    this.list = list;
    this.count = count;
    this.areaPath = areaPath;
    this.signal = signal;
    const timer = setInterval(() => this.load(), ESCALATED_RELOAD_MS);
    signal.addEventListener("abort", () => clearInterval(timer), { once: true });
  }

  async load() {
    try {
      const instructions = await getJson(`api/instructions/escalated?jurisdiction=${this.areaPath}`, this.signal);
      this.list.replaceChildren(
        ...instructions.flatMap((i) =>
          i.recipients.map((r) =>
            this.item({ instruction: i.id, recipient: r.code, recipientName: r.name, text: i.text, missing: r.signedAt ? "report" : "sign", at: r.escalatedAt }),
          ),
        ),
      );
      this.show();
    } catch {
      // the next load tries again
    }
  }

  /** An `instructionEscalated` message of this area. */
  add(escalation) {
    const key = `${escalation.instruction}:${escalation.recipient}`;
    if ([...this.list.children].some((li) => li.dataset.key === key)) return;
    this.list.prepend(this.item(escalation));
    this.show();
  }

  item(e) {
    return el(
      "li",
      { class: "wall-instruction-escalated", "data-key": `${e.instruction}:${e.recipient}`, "data-recipient": e.recipient },
      el("span", { class: "wall-instruction-escalated-who" }, `${e.recipientName} ${e.missing === "sign" ? "未签收" : "未回执"}`),
      el("span", { class: "wall-instruction-escalated-text" }, e.text),
      el("span", { class: "wall-instruction-escalated-time" }, chinaTime(e.at).slice(0, 5)),
    );
  }

  show() {
    const total = this.list.children.length;
    this.count.textContent = String(total);
    this.count.dataset.value = String(total);
  }
}
