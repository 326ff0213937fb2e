// The duty officer's console (/console, /console/{id}): the filtered incident list with its 督办, 民警未签收 and 应急指挥
// (console-command.js) panels, or one
// incident with its timeline, photos and the forms of the actions its status allows.
// Loaded as a module by Components/Pages/Console.razor. Data only ever reaches the page as text nodes.

import { getJson } from "./api.js";
import { chinaDateTime } from "./china-time.js";
import { categoryName } from "./categories.js";
import { el } from "./dom.js";
import { ASSIGNEE_LABELS, EVENT_LABELS, RATING_LABELS, SOURCE_LABELS, STATUS_LABELS, STEP_LABELS, label } from "./labels.js";
import { actionForms } from "./console-actions.js";
import { showBanner, showCommand } from "./console-command.js";

const PAGE_SIZE = 50;

/** "已派单" with the badges of an overdue or supervised case. */
function statusCell(incident) {
  return el(
    "span",
    { class: "console-status" },
    el("span", { class: `console-badge status-${incident.status}` }, label(STATUS_LABELS, incident.status)),
    incident.overdue ? el("span", { class: "console-badge is-overdue" }, "超期") : null,
    incident.supervision ? el("span", { class: "console-badge is-supervised" }, `督办·${incident.supervision.round}`) : null,
  );
}

function assigneeText(assignee) {
  return assignee ? `${label(ASSIGNEE_LABELS, assignee.kind)} ${assignee.name}` : "";
}

function deadlineText(deadline) {
  return deadline ? `${label(STEP_LABELS, deadline.step)} ${chinaDateTime(deadline.due).slice(0, 16)}` : "";
}

/** The list, the 督办 panel and the 民警未签收 panel, with the filters of the form the page rendered. */
async function showList(root) {
  const form = document.getElementById("console-filter");
  const list = document.getElementById("console-list");
  const state = document.getElementById("console-list-state");
  const more = document.getElementById("console-more");
  const query = new URLSearchParams();
  query.set("jurisdiction", form.elements.jurisdiction.value || root.dataset.jurisdiction);
  for (const name of ["status", "category", "source", "notable", "from", "to"]) if (form.elements[name].value) query.set(name, form.elements[name].value);
  for (const name of ["overdue", "supervised"]) if (form.elements[name].checked) query.set(name, "true");
  document.getElementById("console-export").href = `/api/incidents/export.xlsx?${query}`;
  query.set("limit", String(PAGE_SIZE));

  let before = null;
  const load = async () => {
    more.hidden = true;
    state.textContent = "加载中…";
    if (before) query.set("before", before);
    try {
      const rows = await getJson(`/api/incidents?${query}`);
      for (const incident of rows) list.append(row(incident));
      before = rows.length ? rows[rows.length - 1].updatedAt : before;
      state.textContent = list.children.length ? "" : "没有符合条件的事件";
      more.hidden = rows.length < PAGE_SIZE;
    } catch (error) {
      state.textContent = `加载失败:${error.message}`;
    }
  };
  more.addEventListener("click", load);
  await Promise.all([load(), showSupervised(query.get("jurisdiction")), showEscalatedAlerts(query.get("jurisdiction")), showCommand()]);
}

/** 民警未签收: alerts of the area the officers did not sign in time and have not signed since (dispatchers only). */
async function showEscalatedAlerts(jurisdiction) {
  const list = document.getElementById("console-alerts");
  const state = document.getElementById("console-alerts-state");
  if (!list) return;
  try {
    const alerts = await getJson(`/api/alerts?jurisdiction=${encodeURIComponent(jurisdiction)}&state=escalated&limit=${PAGE_SIZE}`);
    list.replaceChildren(
      ...alerts.map((alert) =>
        el(
          "li",
          { "data-alert-id": alert.id, "data-incident-id": alert.incident },
          el("a", { href: `/console/${alert.incident}` }, alert.title),
          el(
            "span",
            { class: "console-supervision" },
            `${alert.name} · ${alert.gridName} · 推送 ${chinaDateTime(alert.createdAt).slice(11, 16)} · 超时 ${chinaDateTime(alert.escalatedAt).slice(11, 16)}`,
          ),
        ),
      ),
    );
    state.textContent = alerts.length ? "" : "暂无超时未签收的警情";
  } catch (error) {
    state.textContent = `加载失败:${error.message}`;
  }
}

function row(incident) {
  return el(
    "tr",
    { "data-incident-id": incident.id, class: incident.overdue ? "is-overdue" : null },
    el("td", null, chinaDateTime(incident.updatedAt)),
    el("td", null, el("a", { href: `/console/${incident.id}`, class: "console-title" }, incident.title)),
    el("td", null, categoryName(incident.category)),
    el("td", null, label(SOURCE_LABELS, incident.source)),
    el("td", null, statusCell(incident)),
    el("td", null, assigneeText(incident.assignee)),
    el("td", null, deadlineText(incident.deadline)),
  );
}

async function showSupervised(jurisdiction) {
  const list = document.getElementById("console-supervised");
  const state = document.getElementById("console-supervised-state");
  try {
    const rows = await getJson(`/api/incidents?jurisdiction=${encodeURIComponent(jurisdiction)}&supervised=true&limit=${PAGE_SIZE}`);
    list.replaceChildren(
      ...rows.map((incident) =>
        el(
          "li",
          { "data-incident-id": incident.id },
          el("a", { href: `/console/${incident.id}` }, incident.title),
          el(
            "span",
            { class: "console-supervision" },
            `${incident.supervision.by} 督办 第${incident.supervision.round}轮 · ${label(STEP_LABELS, incident.supervision.step)} · 限 ${chinaDateTime(incident.supervision.due).slice(0, 16)}`,
          ),
        ),
      ),
    );
    state.textContent = rows.length ? "" : "暂无督办事件";
  } catch (error) {
    state.textContent = `加载失败:${error.message}`;
  }
}

/** One incident: facts, photos, timeline and action forms; reloaded after every action done. */
async function showDetail(root) {
  const id = root.dataset.incident;
  const detail = document.getElementById("console-detail");
  let areas = null; // the names of the case's path (grid to county), read again when a re-import of the tree moved it
  let areasOf = null;
  const reload = async () => {
    try {
      const [incident, timeline, photos] = await Promise.all([
        getJson(`/api/incidents/${id}`),
        getJson(`/api/incidents/${id}/timeline`),
        getJson(`/api/incidents/${id}/attachments`),
      ]);
      if (areasOf !== incident.gridCode) {
        const overview = await getJson(`/api/jurisdictions/${encodeURIComponent(incident.gridCode)}`).catch(() => null);
        areas = new Map((overview?.path ?? []).map((p) => [p.code, p.name]));
        areasOf = incident.gridCode;
      }
      const forms = await actionForms(incident, root.dataset.may.split(" "), reload, root.dataset.jurisdiction, areas);
      detail.replaceChildren(facts(incident, areas), photoList(photos), el("section", { class: "console-panel console-actions" }, el("h2", null, "办理"), forms), timelineList(timeline, areas));
      detail.dataset.status = incident.status;
    } catch (error) {
      detail.replaceChildren(el("p", { class: "console-state" }, `加载失败:${error.message}`));
    }
  };
  await reload();
}

/** `areas` names the codes of the case's path (a code it does not know shows as it is). */
function facts(incident, areas) {
  const area = (code) => areas.get(code) ?? code;
  const item = (name, value) => (value ? [el("dt", null, name), el("dd", null, value)] : []);
  return el(
    "section",
    { class: "console-panel console-facts" },
    el("h2", { class: "console-detail-title" }, incident.title),
    statusCell(incident),
    el(
      "dl",
      null,
      ...item("类别", categoryName(incident.category)),
      ...item("来源", label(SOURCE_LABELS, incident.source)),
      ...item("上报时间", chinaDateTime(incident.reportedAt)),
      ...item("上报人", incident.reporter),
      ...item("网格", area(incident.gridCode)),
      ...item("责任层级", area(incident.level)),
      ...item("承办", assigneeText(incident.assignee)),
      ...item("处置类别", incident.handlingClass),
      ...item("时限", deadlineText(incident.deadline)),
      ...item("督办", incident.supervision ? `${area(incident.supervision.by)} 第${incident.supervision.round}轮,限 ${chinaDateTime(incident.supervision.due)}` : ""),
      ...item("描述", incident.description),
      ...item("反馈", incident.feedback),
      ...item("评价", incident.rating ? label(RATING_LABELS, incident.rating) : ""),
      ...item("考单", incident.assessment ? `按时:${yes(incident.assessment.onTime)} 满意:${yes(incident.assessment.satisfied)} 有效:${yes(incident.assessment.effective)}` : ""),
    ),
  );
}

const yes = (value) => (value ? "是" : "否");

function photoList(photos) {
  return el(
    "section",
    { class: "console-panel console-photos" },
    el("h2", null, "照片"),
    photos.length
      ? el("div", { class: "console-photo-grid" }, ...photos.map((p) => el("a", { href: `/api/attachments/${p.id}`, target: "_blank" }, el("img", { src: `/api/attachments/${p.id}`, alt: "事件照片", loading: "lazy" }))))
      : el("p", { class: "console-state" }, "暂无照片"),
  );
}

function timelineList(timeline, areas) {
  return el(
    "section",
    { class: "console-panel console-timeline" },
    el("h2", null, "办理过程"),
    el(
      "ol",
      { id: "console-timeline" },
      ...timeline.map((event) =>
        el(
          "li",
          { "data-kind": event.kind },
          el("time", { datetime: event.at }, chinaDateTime(event.at)),
          el("span", { class: "console-event" }, label(EVENT_LABELS, event.kind)),
          el("span", { class: "console-actor" }, event.actor),
          eventDetail(event, areas),
        ),
      ),
    ),
  );
}

/** What an event's data says in words: its note, whom it went to, the rating, the new level, the grid it moved to. */
function eventDetail(event, areas) {
  const data = event.data ?? {};
  const parts = [];
  if (event.kind === "moved" && data.gridCode) parts.push(`→ ${areas.get(data.gridCode) ?? data.gridCode}`);
  if (data.assignee) parts.push(`→ ${assigneeText(data.assignee)}`);
  if (data.level && event.kind === "escalated") parts.push(`→ ${data.level}`);
  if (data.supervision) parts.push(`${data.supervision.by} 督办 第${data.supervision.round}轮`);
  if (data.rating) parts.push(label(RATING_LABELS, data.rating));
  if (data.handlingClass) parts.push(data.handlingClass);
  if (data.note) parts.push(data.note);
  if (event.kind === "reported" && data.report) parts.push(data.report.title);
  return parts.length ? el("div", { class: "console-event-detail" }, parts.join(" · ")) : null;
}

const root = document.getElementById("console");
if (root) {
  if (root.dataset.incident) showBanner();
  (root.dataset.incident ? showDetail(root) : showList(root)).catch((error) => console.warn("console: failed to start", error));
}
