// The console's action forms: one form per action the incident's status allows (incident.allowed), each posting its
// JSON with a fresh Idempotency-Key and showing the server's reason when it is refused.

import { getJson, post } from "./api.js";
import { chinaDateTime } from "./china-time.js";
import { el } from "./dom.js";
import { ACTION_LABELS, ASSIGNEE_LABELS, DUTY_LABELS, ROLE_LABELS, distanceText } from "./labels.js";
import { Refetch } from "./refetch.js";

/** Actions whose note is required by the API. */
const NOTE_REQUIRED = new Set(["reject", "resolve", "handle", "feedback", "escalate"]);

/** How many of the nearest responders the dispatch form offers. */
const RESPONDERS_OFFERED = 5;

let workflow = null;

/** How many people a search of the dispatch form offers, and how long typing pauses before it searches. */
const PEOPLE_FOUND = 20;
const SEARCH_DEBOUNCE_MS = 250;

/**
 * The forms for `incident` among the actions the caller's role `may` take; `done` runs after an action went through.
 * The dispatch form searches people within `scope` (the caller's area) and offers the levels of the case's path by
 * their names in `areas`.
 */
export async function actionForms(incident, may, done, scope, areas) {
  const allowed = incident.allowed.filter((action) => action !== "rate" && may.includes(action));
  if (allowed.length === 0) return el("p", { class: "console-state" }, incident.status === "fedBack" ? "等待群众评价" : "已结案,无需办理");
  workflow ??= await getJson("/api/workflow");
  const choices = {
    departments: allowed.includes("dispatch") ? await getJson("/api/departments").catch(() => []) : [],
    responders: allowed.includes("dispatch") ? await getJson(`/api/incidents/${incident.id}/responders?limit=${RESPONDERS_OFFERED}`).catch(() => []) : [],
    duplicates: allowed.includes("merge") ? await getJson(`/api/incidents/${incident.id}/duplicates`).catch(() => []) : [],
  };
  return el("div", { class: "console-forms" }, ...allowed.map((action) => actionForm(incident, action, { ...choices, scope, areas }, done)));
}

function actionForm(incident, action, choices, done) {
  const error = el("p", { class: "console-error", role: "alert", hidden: true });
  const button = el("button", { type: "submit" }, ACTION_LABELS[action] ?? action);
  const form = el("form", { class: "console-action", "data-action": action }, el("h3", null, ACTION_LABELS[action] ?? action), ...fields(incident, action, choices), error, button);
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const body = bodyOf(form, action);
    button.disabled = true;
    error.hidden = true;
    const result = await post(`/api/incidents/${incident.id}/${action}`, body);
    button.disabled = false;
    if (result.ok) {
      await done();
      return;
    }
    error.textContent = result.error;
    error.hidden = false;
  });
  return form;
}

function note(action) {
  const required = NOTE_REQUIRED.has(action);
  return el("label", null, required ? "说明(必填)" : "说明", el("textarea", { name: "note", rows: "2", maxlength: "2000", required }));
}

function fields(incident, action, choices) {
  switch (action) {
    case "ticket":
      return [
        el(
          "label",
          null,
          "处置类别",
          el(
            "select",
            { name: "handlingClass" },
            el("option", { value: "" }, "按来源默认"),
            ...Object.entries(workflow.handlingClasses).map(([name, term]) => el("option", { value: name }, `${name}(${term})`)),
          ),
        ),
        note(action),
      ];
    case "dispatch":
      return dispatchFields(incident, choices);
    case "merge":
      return [
        el(
          "label",
          null,
          "合并到",
          el(
            "select",
            { name: "into", required: true },
            el("option", { value: "" }, choices.duplicates.length ? "选择重复的案件" : "附近没有可合并的案件"),
            ...choices.duplicates.map((d) =>
              el("option", { value: d.incident.id }, `${d.incident.title}(${distanceText(d.meters)},${chinaDateTime(d.incident.reportedAt).slice(5, 16)})`),
            ),
          ),
        ),
        note(action),
      ];
    case "assess":
      return [el("label", { class: "console-check" }, el("input", { type: "checkbox", name: "effective", value: "true" }), "处置有效"), note(action)];
    default:
      return [note(action)];
  }
}

/**
 * Whom to dispatch to: one of the nearest responders (就近派单, a click picks them), a person (worker id, with the
 * people of the case's level to pick from), a level, or a department.
 */
function dispatchFields(incident, choices) {
  const kind = el("select", { name: "targetKind" }, ...["worker", "jurisdiction", "department"].map((k) => el("option", { value: k }, ASSIGNEE_LABELS[k])));
  // A level on the case's path at or below where it lies, by name (grid first).
  const levels = incident.path.slice(0, Math.max(0, incident.path.indexOf(incident.level)) + 1);
  const target = el("select", { name: "target", hidden: true },
    ...levels.map((code) => el("option", { value: code }, choices.areas.get(code) ?? code)));
  const person = personSearch(incident, choices.scope, () => showName());
  const department = el(
    "select",
    { name: "department", hidden: true },
    ...choices.departments.map((d) => el("option", { value: d.account }, d.name)),
  );
  const named = el("span", { class: "console-target-name", "aria-live": "polite" });
  const targetLabel = el("label", null, "派给", person.input, person.list, person.worker, target, named);
  const showKind = () => {
    person.input.hidden = kind.value !== "worker";
    target.hidden = kind.value !== "jurisdiction";
    department.hidden = kind.value !== "department";
  };
  kind.addEventListener("change", showKind);
  targetLabel.append(department);
  const nearest = responderList(choices.responders, (responder) => {
    kind.value = "worker";
    showKind();
    person.choose(responder.workerId, `${responder.name}(${responder.gridName})`);
    showName();
  });
  // Whom the search or the nearest list picked, so the form reads as a name.
  const showName = () => {
    named.textContent = kind.value === "worker" && person.name() ? `已选 ${person.name()}` : "";
    nearest.pick(kind.value === "worker" ? person.worker.value : "");
  };
  kind.addEventListener("change", showName);
  return [nearest.element, el("label", null, "派单对象", kind), targetLabel, note("dispatch")];
}

/**
 * 搜索其他人员: a name (or the start of an id) typed is searched among the people of `scope` as one types; a person
 * chosen from what it offers, or picked from the nearest list (`choose`), is the dispatch's worker (the hidden input
 * `worker`). Text that names nobody found is sent as typed, and the server says whom it does not know.
 */
function personSearch(incident, scope, changed) {
  const listId = `console-people-${incident.id}`;
  const input = el("input", { type: "search", class: "console-person-search", maxlength: "32", list: listId, placeholder: "就近选择,或输入姓名搜索" });
  const list = el("datalist", { id: listId });
  const worker = el("input", { type: "hidden", name: "worker" });
  const found = new Map(); // option text -> person id
  let chosenName = "";
  const choose = (id, name) => {
    worker.value = id;
    chosenName = name;
    input.value = name;
  };
  // One search at a time, for the text as it is when it runs (typing merged into one, the last text never missed).
  const search = new Refetch(async () => {
    const text = input.value.trim();
    if (!text || found.has(text)) return;
    const people = await getJson(`/api/workers?jurisdiction=${encodeURIComponent(scope)}&q=${encodeURIComponent(text)}&limit=${PEOPLE_FOUND}`).catch(() => []);
    found.clear();
    list.replaceChildren(...people.map((p) => {
      const label = `${p.name}(${p.gridName})`;
      found.set(label, p.id);
      return el("option", { value: label }, ROLE_LABELS[p.role] ?? "");
    }));
  }, SEARCH_DEBOUNCE_MS);
  input.addEventListener("input", () => {
    const text = input.value.trim();
    const id = found.get(text);
    worker.value = id ?? text;
    chosenName = id ? text : "";
    changed();
    if (!id && text && scope) search.soon();
  });
  return { input, list, worker, choose, name: () => chosenName };
}

/** The nearest available people, each a button that hands them to `chosen`; `pick(id)` marks the one picked (or none). */
function responderList(responders, chosen) {
  const buttons = responders.map((r) => {
    const button = el(
      "button",
      { type: "button", class: "console-responder", "data-worker": r.workerId, "aria-pressed": "false" },
      el("strong", null, r.name),
      el("span", null, `${r.gridName} · ${distanceText(r.distanceMeters)} · ${DUTY_LABELS[r.status] ?? r.status}`),
      ...(r.openCases > 0 ? [el("span", { class: "console-responder-note" }, `在办 ${r.openCases} 件`)] : []),
      ...(r.inIncidentGrid ? [el("span", { class: "console-responder-tag" }, "本网格")] : []),
      ...(r.policeBound ? [el("span", { class: "console-responder-tag" }, "驻格民警")] : []),
    );
    button.addEventListener("click", () => chosen(r));
    return button;
  });
  const pick = (id) => buttons.forEach((b) => b.setAttribute("aria-pressed", String(b.dataset.worker === id)));
  const element = el(
    "div",
    { class: "console-responders" },
    el("span", { class: "console-responders-title" }, "就近可派人员"),
    ...(buttons.length ? buttons : [el("span", { class: "console-state" }, "附近没有在岗人员")]),
  );
  return { element, pick };
}

function bodyOf(form, action) {
  const body = {};
  const value = (name) => form.elements[name]?.value?.trim() ?? "";
  if (value("note")) body.note = value("note");
  if (action === "ticket" && value("handlingClass")) body.handlingClass = value("handlingClass");
  if (action === "merge") body.into = value("into");
  if (action === "assess") body.effective = form.elements.effective.checked;
  if (action === "dispatch") {
    body.targetKind = value("targetKind");
    body.target = { department: value("department"), worker: value("worker") }[body.targetKind] ?? value("target");
  }
  return body;
}
