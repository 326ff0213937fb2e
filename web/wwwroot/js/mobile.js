// The grid worker's phone page (/m): 指令 for a station's account (wall-instructions.js: to sign and report back on),
// its day's 零报告 (wall-zero-reports.js),
// 警情提醒 (mobile-alerts.js: alerts to sign), 我的状态 (duty status: on duty, on
// patrol, off duty, SOS; busy while a case is accepted), 巡查 (mobile-patrol.js: the patrol, check-ins and visits), 我的任务 (accept, handle with photos) kept
// live through the wall hub, and 上报 (a report as the signed-in person at the phone's location, a photo, optionally
// closed on the spot).
// Loaded as a module by Components/Pages/Mobile.razor after signalr.min.js. Data only reaches the page as text.

import { getJson, post, put, uploadPhotos } from "./api.js";
import { chinaDateTime } from "./china-time.js";
import { categoryName } from "./categories.js";
import { el } from "./dom.js";
import { ACTION_LABELS, CONNECTION_LABELS, DUTY_LABELS, STATUS_LABELS, STEP_LABELS, label } from "./labels.js";
import { watchFeeds } from "./wall-feed.js";
import { DUTY_CHANGED } from "./mobile-patrol.js";
import { AlertBanner } from "./mobile-alerts.js";
import { InstructionBanner } from "./wall-instructions.js";
import { ZeroReportBanner } from "./wall-zero-reports.js";
import { Refetch } from "./refetch.js";

/** 我的状态: the person's duty status, read from their worker view and set with PUT /api/workers/me/status. */
class DutyPanel {
  constructor(section, workerId) {
    this.workerId = workerId;
    this.status = section.querySelector("#mobile-duty-status");
    this.error = section.querySelector("#mobile-duty-error");
    this.buttons = [...section.querySelectorAll("button[data-status]")];
    for (const button of this.buttons) button.addEventListener("click", () => this.set(button.dataset.status));
    // Starting or stopping a patrol (巡查) sets the status too.
    document.addEventListener(DUTY_CHANGED, (event) => {
      if (event.detail?.from !== "duty") this.load();
    });
  }

  async load() {
    try {
      this.show(await getJson(`/api/workers/${encodeURIComponent(this.workerId)}`));
    } catch (error) {
      this.status.textContent = `状态加载失败:${error.message}`;
    }
  }

  show(view) {
    this.status.dataset.status = view.status;
    this.status.textContent = view.openCases > 0 && view.status === "busy"
      ? `${label(DUTY_LABELS, view.status)}(${view.openCases} 件)`
      : label(DUTY_LABELS, view.status);
    for (const button of this.buttons) button.setAttribute("aria-pressed", String(button.dataset.status === view.status));
  }

  async set(status) {
    for (const button of this.buttons) button.disabled = true;
    this.error.hidden = true;
    const result = await put("/api/workers/me/status", { status });
    for (const button of this.buttons) button.disabled = false;
    if (!result.ok) {
      this.error.textContent = result.error;
      this.error.hidden = false;
      return;
    }
    await this.load();
    document.dispatchEvent(new CustomEvent(DUTY_CHANGED, { detail: { from: "duty" } }));
  }
}

/** 我的任务: refetched on demand, at most once per debounce window. */
class TaskList {
  /** @param {{ load(): Promise<void> } | null} duty the status panel, read again when a case is accepted or handled */
  constructor(list, state, duty) {
    this.list = list;
    this.state = state;
    this.duty = duty;
    this.refetch = new Refetch(() => this.readOnce());
  }

  /** Refetches soon; calls within the window are merged into one fetch. */
  soon() {
    this.refetch.soon();
  }

  load() {
    return this.refetch.now();
  }

  async readOnce() {
    try {
      const tasks = await getJson("/api/incidents/mine");
      this.show(tasks.filter((t) => t.allowed.includes("accept") || t.allowed.includes("handle")));
    } catch (error) {
      this.state.textContent = `任务加载失败:${error.message}`;
    }
  }

  show(tasks) {
    // A form being filled in stays as it is: only tasks that changed are drawn again.
    const drawn = new Map([...this.list.children].map((li) => [li.dataset.incidentId, li]));
    const items = tasks.map((task) => {
      const li = drawn.get(task.id);
      return li && li.dataset.version === task.updatedAt ? li : this.item(task);
    });
    this.list.replaceChildren(...items);
    this.state.textContent = tasks.length ? "" : "暂无待办任务";
  }

  item(task) {
    const error = el("p", { class: "mobile-error", role: "alert", hidden: true });
    const li = el(
      "li",
      { class: `mobile-task${task.overdue ? " is-overdue" : ""}`, "data-incident-id": task.id, "data-version": task.updatedAt, "data-status": task.status },
      el("div", { class: "mobile-task-title" }, task.title),
      el(
        "div",
        { class: "mobile-task-meta" },
        el("span", { class: "mobile-badge" }, label(STATUS_LABELS, task.status)),
        task.overdue ? el("span", { class: "mobile-badge is-overdue" }, "超期") : null,
        el("span", null, categoryName(task.category)),
        task.deadline ? el("span", null, `${label(STEP_LABELS, task.deadline.step)}时限 ${chinaDateTime(task.deadline.due).slice(5, 16)}`) : null,
      ),
      task.description ? el("p", { class: "mobile-task-description" }, task.description) : null,
      error,
    );
    if (task.allowed.includes("accept")) li.append(this.acceptButton(task, error));
    if (task.allowed.includes("handle")) li.append(this.handleForm(task, error));
    return li;
  }

  acceptButton(task, error) {
    const button = el("button", { type: "button", class: "mobile-accept" }, ACTION_LABELS.accept);
    button.addEventListener("click", async () => {
      button.disabled = true;
      const result = await post(`/api/incidents/${task.id}/accept`, {});
      this.finish(result, error, button);
    });
    return button;
  }

  handleForm(task, error) {
    const button = el("button", { type: "submit" }, "提交处置结果");
    const form = el(
      "form",
      { class: "mobile-handle" },
      el("label", null, "处置结果", el("textarea", { name: "note", rows: "2", maxlength: "2000", required: true })),
      el("label", null, "现场照片", el("input", { name: "photos", type: "file", accept: "image/jpeg,image/png,image/heic", multiple: true })),
      button,
    );
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      button.disabled = true;
      const uploaded = await uploadPhotos(`/api/incidents/${encodeURIComponent(task.id)}/attachments`, [...form.elements.photos.files]);
      const result = uploaded.ok
        ? await post(`/api/incidents/${task.id}/handle`, { note: form.elements.note.value.trim(), attachments: uploaded.ids })
        : uploaded;
      this.finish(result, error, button);
    });
    return form;
  }

  /** After a case became, or stopped being, the person's: the tasks and the status panel read again. */
  caseChanged() {
    this.load();
    this.duty?.load();
  }

  finish(result, error, button) {
    button.disabled = false;
    if (result.ok) {
      this.caseChanged();
      return;
    }
    error.textContent = result.error;
    error.hidden = false;
  }
}

/** Shows the hub connection's state in words. */
function showConnection(statusElement, state) {
  statusElement.dataset.state = state;
  statusElement.textContent = label(CONNECTION_LABELS, state);
}

/** 上报: locate, report as the signed-in person, upload the photo, and close on the spot when asked. */
function reportForm(root, tasks) {
  const form = document.getElementById("mobile-report");
  const locationText = document.getElementById("mobile-location");
  const error = document.getElementById("mobile-report-error");
  const done = document.getElementById("mobile-report-done");
  const resolveNote = document.getElementById("mobile-resolve-note");
  const fallback = { lat: Number(root.dataset.lat), lng: Number(root.dataset.lng) };
  let position = null;

  const locate = () => {
    if (!navigator.geolocation) {
      locationText.textContent = "此设备无法定位,将按所在网格中心位置上报。";
      return;
    }
    navigator.geolocation.getCurrentPosition(
      (p) => {
        position = { lat: p.coords.latitude, lng: p.coords.longitude };
        locationText.textContent = `位置:${position.lat.toFixed(5)}, ${position.lng.toFixed(5)}`;
      },
      () => {
        locationText.textContent = "未获得定位权限,将按所在网格中心位置上报。";
      },
      { enableHighAccuracy: true, timeout: 10000, maximumAge: 60000 },
    );
  };
  locate();

  form.elements.resolve.addEventListener("change", () => {
    resolveNote.hidden = !form.elements.resolve.checked;
    form.elements.note.required = form.elements.resolve.checked;
  });

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const button = form.querySelector("button[type=submit]");
    button.disabled = true;
    error.hidden = true;
    done.hidden = true;
    const result = await submit(form, position ?? fallback);
    button.disabled = false;
    if (!result.ok) {
      error.textContent = result.error;
      error.hidden = false;
      return;
    }
    done.textContent = result.text;
    done.hidden = false;
    form.reset();
    resolveNote.hidden = true;
    form.elements.note.required = false;
    tasks.soon();
  });
}

async function submit(form, where) {
  const report = await post("/api/incidents", {
    source: "gridWorker",
    category: form.elements.category.value,
    title: form.elements.title.value.trim(),
    description: form.elements.description.value.trim(),
    lat: where.lat,
    lng: where.lng,
  });
  if (!report.ok) return report;
  const id = report.data.id;
  const photos = await uploadPhotos(`/api/incidents/${encodeURIComponent(id)}/attachments`, [...form.elements.photo.files]);
  if (!photos.ok) return { ok: false, error: `已上报,但${photos.error}` };
  if (!form.elements.resolve.checked) return { ok: true, text: "已上报。" };
  const resolved = await post(`/api/incidents/${id}/resolve`, { note: form.elements.note.value.trim(), attachments: photos.ids });
  return resolved.ok ? { ok: true, text: "已上报并就地办结。" } : { ok: false, error: `已上报,但就地办结失败:${resolved.error}` };
}

const root = document.getElementById("mobile");
if (root && document.getElementById("mobile-tasks")) {
  const dutySection = document.getElementById("mobile-duty");
  const duty = dutySection ? new DutyPanel(dutySection, root.dataset.worker) : null;
  duty?.load();
  const tasks = new TaskList(document.getElementById("mobile-tasks"), document.getElementById("mobile-tasks-state"), duty);
  reportForm(root, tasks);
  tasks.load();
  const grids = (root.dataset.grids || "").split(",").filter(Boolean);
  const statusElement = document.getElementById("mobile-status");
  const alertSection = document.getElementById("mobile-alerts");
  // Taking a case (接警) makes it a task and the person busy.
  const alerts = alertSection ? new AlertBanner(alertSection, () => tasks.caseChanged()) : null;
  alerts?.load();
  // Any entry may change a task or bring an alert (written in the entry's own commit): each one triggers a
  // (debounced) refetch, which also covers what was missed offline.
  const changed = () => {
    tasks.soon();
    alerts?.soon();
  };
  // A dispatch to this person of a case outside their grids comes as a nudge on their grid's feed.
  const nudged = (worker) => {
    if (worker === root.dataset.worker) changed();
  };
  // A station's account signs and reports back on its instructions here as on its wall.
  const instructionSection = document.getElementById("mobile-instructions");
  const instructions = instructionSection
    ? new InstructionBanner({ root: instructionSection, station: instructionSection.dataset.station, signal: new AbortController().signal })
    : null;
  instructions?.load();
  const zeroSection = document.getElementById("mobile-zero-report");
  const zeroReport = zeroSection ? new ZeroReportBanner({ root: zeroSection, unit: zeroSection.dataset.unit, signal: new AbortController().signal }) : null;
  zeroReport?.load();
  watchFeeds({
    codes: grids,
    changed,
    nudged,
    instructed: () => instructions?.load(),
    zeroReportDue: () => zeroReport?.remind(),
    status: (state) => {
      showConnection(statusElement, state);
      if (state === "live") {
        instructions?.load();
        zeroReport?.load();
      }
    },
  });
}
