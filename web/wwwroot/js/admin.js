// The administrator's page (/admin): the people and camera lists imported (all or nothing, every bad row listed),
// the accounts listed, created, edited (name, role, jurisdictions, worker), their passwords reset, disabled, enabled, signed out and deleted; and a county's boundary file (GeoJSON, or a zip of shapefiles with the columns named)
// checked first (POST /api/jurisdictions/import with dryRun=true: what would be refused, what repaired, and what the
// successors of the areas it drops would take over) and, for GeoJSON, drawn on a map from the file itself, red for
// the areas refused, amber for those repaired; then imported with the same options. Names and messages reach the page as
// text nodes only.
import { patch, post, postFile, remove } from "./api.js";
import { areasByCode } from "./admin-areas.js";
import { el } from "./dom.js";

const form = document.getElementById("admin-import-form");
const state = document.getElementById("admin-import-state");
const apply = document.getElementById("admin-import-apply");
const result = document.getElementById("admin-import-result");

const REPAIRS = {
  madeValid: "修复无效几何",
  clippedToParent: "裁去越出上级的部分",
  overlapCut: "去除与相邻区域重叠的部分",
  gapFilled: "并入相邻缝隙",
};
// As site.css's --cc-bad, --cc-warn and --cc-accent (Leaflet takes colours, not custom properties).
const COLOURS = { refused: "#ff5c5c", repaired: "#ffb74d", ok: "#4fc3f7" };
const SYSTEMS = { wgs84: "WGS-84", cgcs2000: "CGCS2000", gcj02: "GCJ-02" };

let map = null;
let layer = null;
/** Each drawn feature's shape on the map, by its index in the file: a row of the lists zooms to it. */
let shapes = new Map();
let checked = null;

function options() {
  const query = new URLSearchParams();
  if (form.elements.repair.checked) {
    query.set("repair", "true");
    query.set("tolerance", String(Number(form.elements.tolerance.value) / 100));
  }
  for (const name of ["crs", "codeField", "nameField", "levelField", "parentField", "encoding"]) {
    const value = form.elements[name].value.trim();
    if (value) query.set(name, value);
  }
  const successors = form.elements.successors.value.split(/[\r\n,;]+/).map((pair) => pair.trim()).filter(Boolean);
  if (successors.length) query.set("successors", successors.join(","));
  return query;
}

/** What the successors of the dropped areas take over: each dropped area and its successor, and how much moves. */
async function showSuccessions(features, moved) {
  const section = document.getElementById("admin-successions");
  const successions = moved?.successions ?? [];
  section.hidden = successions.length === 0;
  if (!successions.length) return;
  const areas = await areasByCode().catch(() => new Map());
  document.getElementById("admin-succession-count").textContent = String(successions.length);
  document.getElementById("admin-moves").textContent =
    `将移交 ${moved.people.length} 名人员、${moved.cameras.length} 个摄像头、${moved.accounts.length} 个账号的管辖范围、` +
    `${moved.integrations.length} 个对接系统、${moved.checkpoints} 个巡查点、${moved.cases.length} 件未办结事件。`;
  document.querySelector("#admin-succession-table tbody").replaceChildren(
    ...successions.map((s) => el("tr", null, el("th", null, areas.get(s.code)?.name ?? s.code), el("td", null, nameByCode(features, s.successor)))),
  );
}

/** Shows a file's upload as it goes, then that the server is at work (`doing`: 检查 or 导入). */
function uploading(where, doing) {
  return (sent, total) => {
    where.textContent = sent < total
      ? `上传中 ${Math.floor((100 * sent) / total)}%(${(total / 1024 / 1024).toFixed(1)} MB)`
      : `已上传 ${(total / 1024 / 1024).toFixed(1)} MB,${doing}中…`;
  };
}

/** The file's features (for names and the map), or null when it is not JSON: the server says why. */
function featuresOf(text) {
  try {
    const document = JSON.parse(text);
    return Array.isArray(document?.features) ? document.features : [];
  } catch {
    return null;
  }
}

/** A feature's name in the file (its code when it has none). */
function nameOf(features, index, code) {
  const name = features?.[index]?.properties?.name;
  return typeof name === "string" && name ? name : String(code ?? "");
}

/** The name of the area with `code` in the file: the parent or sibling a repair concerned. */
function nameByCode(features, code) {
  if (!code) return "";
  const index = (features ?? []).findIndex((f) => f?.properties?.code === code);
  return index >= 0 ? nameOf(features, index, code) : code;
}

function zoomTo(index) {
  const shape = shapes.get(index);
  if (shape) map.fitBounds(shape.getBounds(), { maxZoom: 16 });
}

function percent(share) {
  return `${(share * 100).toFixed(3)}%`;
}

function showMap(features, report) {
  const refused = new Set(report.problems.map((p) => p.featureIndex));
  const repaired = new Set(report.repairs.map((r) => r.featureIndex));
  if (!map) map = L.map("admin-import-map", { attributionControl: false });
  layer?.remove();
  shapes = new Map();
  const drawn = (features ?? []).map((feature, index) => ({ ...feature, properties: { index } })).filter((f) => f.geometry);
  layer = L.geoJSON(
    { type: "FeatureCollection", features: drawn },
    {
      style: (feature) => {
        const index = feature.properties.index;
        const colour = refused.has(index) ? COLOURS.refused : repaired.has(index) ? COLOURS.repaired : COLOURS.ok;
        return { color: colour, weight: refused.has(index) || repaired.has(index) ? 2 : 1, fillColor: colour, fillOpacity: 0.25 };
      },
      onEachFeature: (feature, shape) => {
        shapes.set(feature.properties.index, shape);
        shape.bindTooltip(el("span", null, nameOf(features, feature.properties.index, "")), { sticky: true });
      },
    },
  ).addTo(map);
  if (drawn.length) map.fitBounds(layer.getBounds(), { padding: [8, 8] });
}

function showLists(features, report) {
  document.getElementById("admin-repair-count").textContent = String(report.repairs.length);
  document.querySelector("#admin-repairs tbody").replaceChildren(
    ...report.repairs.map((r) =>
      el(
        "tr",
        { "data-index": String(r.featureIndex), title: "点击在地图上查看" },
        el("th", null, nameOf(features, r.featureIndex, r.code)),
        el("td", null, REPAIRS[r.kind] ?? String(r.kind)),
        el("td", null, nameByCode(features, r.other)),
        el("td", null, percent(r.areaChange)),
        el("td", null, `${r.partsBefore} → ${r.partsAfter}`),
        el("td", null, `${r.verticesBefore} → ${r.verticesAfter}`),
      ),
    ),
  );
  document.getElementById("admin-problem-count").textContent = String(report.problems.length);
  document.getElementById("admin-problems").replaceChildren(
    ...report.problems.map((p) =>
      el(
        "li",
        { "data-index": String(p.featureIndex), title: p.featureIndex >= 0 ? "点击在地图上查看" : null },
        p.featureIndex >= 0 ? `第 ${p.featureIndex + 1} 个要素 ${nameOf(features, p.featureIndex, p.code)} · ${p.field}:` : `${p.field}:`,
        p.message,
      ),
    ),
  );
}

async function check(event) {
  event.preventDefault();
  apply.disabled = true;
  checked = null;
  const file = form.elements.file.files[0];
  if (!file) return;
  const bytes = await file.arrayBuffer();
  const query = options();
  const answer = await postFile(`/api/jurisdictions/import?dryRun=true&${query}`, bytes, null, uploading(state, "检查"));
  if (!answer.ok) {
    state.textContent = `无法检查:${answer.error}`;
    return;
  }
  const report = answer.data;
  const head = new Uint8Array(bytes, 0, Math.min(4, bytes.byteLength));
  const zipped = head[0] === 0x50 && head[1] === 0x4b;
  const features = zipped ? null : featuresOf(new TextDecoder().decode(bytes));
  result.hidden = false;
  showMap(features, report);
  showLists(features, report);
  await showSuccessions(features, report.moved);
  if (report.accepted) {
    state.textContent = `可以导入:${report.areas} 个区域,修复 ${report.repairs.length} 处(坐标系 ${SYSTEMS[report.crs] ?? report.crs})。`;
    checked = { bytes, query };
    apply.disabled = false;
  } else {
    state.textContent = `无法导入:${report.problems.length} 个问题,见下方列表和地图中的红色区域。`;
  }
}

async function importChecked() {
  if (!checked) return;
  apply.disabled = true;
  const answer = await postFile(`/api/jurisdictions/import?${checked.query}`, checked.bytes, null, uploading(state, "导入"));
  const cases = answer.ok ? answer.data.moved.cases.length : 0;
  const left = answer.ok ? answer.data.moved.casesLeft : 0;
  state.textContent = answer.ok
    ? `已导入 ${answer.data.areas} 个区域` + (cases ? `,${cases} 件未办结事件已移交新网格` : "") + (left ? `,${left} 件暂未移交(再次导入同一文件即可移交)` : "") + "。"
    : `未导入:${answer.error}`;
  if (answer.ok && !left) setTimeout(() => location.reload(), 1500);
}

for (const list of [document.querySelector("#admin-repairs tbody"), document.getElementById("admin-problems")]) {
  list.addEventListener("click", (event) => {
    const item = event.target.closest("[data-index]");
    if (item) zoomTo(Number(item.dataset.index));
  });
}
form.addEventListener("submit", check);
apply.addEventListener("click", importChecked);

/** A table file's type as the import endpoints take it, from its name (browsers leave .csv and .geojson untyped at times). */
function contentType(file) {
  const name = file.name.toLowerCase();
  if (name.endsWith(".xlsx")) return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
  if (name.endsWith(".csv")) return "text/csv";
  return "application/geo+json";
}

/**
 * The accounts a people list named: each with its grids, and a new one's first password (shown this once, like an
 * integration's key: the administrator hands it over).
 */
function showAccounts(section, accounts) {
  const table = section.querySelector(".admin-people-accounts");
  if (!table) return;
  table.hidden = accounts.length === 0;
  table.querySelector("tbody").replaceChildren(
    ...accounts.map((a) =>
      el(
        "tr",
        { "data-username": a.username },
        el("td", null, a.username),
        el("td", null, a.name),
        el("td", null, `${a.grids.length} 个网格`),
        el("td", { class: a.created ? "admin-key" : null }, a.created ? a.password : "已有账号,已更新网格"),
      ),
    ),
  );
}

/** The people and camera lists: all or nothing; every bad row as the server names it. */
for (const tableForm of document.querySelectorAll(".admin-table-import")) {
  const section = tableForm.closest("section");
  const tableState = section.querySelector(".admin-table-state");
  const list = section.querySelector(".admin-problems");
  tableForm.addEventListener("submit", async (event) => {
    event.preventDefault();
    const file = tableForm.elements.file.files[0];
    if (!file) return;
    list.replaceChildren();
    const answer = await postFile(tableForm.dataset.url, await file.arrayBuffer(), contentType(file), uploading(tableState, "导入"));
    if (answer.ok) {
      const count = answer.data.people ?? answer.data.cameras;
      tableState.textContent = `已导入 ${count} 条。`;
      showAccounts(section, answer.data.accounts ?? []);
    } else {
      tableState.textContent = "未导入,文件中的问题:";
      list.replaceChildren(...answer.error.split(";").map((problem) => el("li", null, problem)));
    }
  });
}

/** Jurisdiction codes as typed: separated by commas (either width), 、 or spaces. */
const jurisdictionList = (text) => text.split(/[,，、\s]+/).filter(Boolean);

const accountForm = document.getElementById("admin-account-form");
accountForm?.addEventListener("submit", async (event) => {
  event.preventDefault();
  const accountState = document.getElementById("admin-account-state");
  const fields = accountForm.elements;
  const answer = await post("/api/accounts", {
    username: fields.username.value.trim(),
    displayName: fields.displayName.value.trim(),
    role: fields.role.value,
    jurisdictions: jurisdictionList(fields.jurisdictions.value),
    workerId: fields.workerId.value.trim() || null,
    password: fields.password.value,
  });
  accountState.textContent = answer.ok ? "已新建。" : `未新建:${answer.error}`;
  if (answer.ok) setTimeout(() => location.reload(), 1000);
});

const integrationForm = document.getElementById("admin-integration-form");
integrationForm?.addEventListener("submit", async (event) => {
  event.preventDefault();
  const fields = integrationForm.elements;
  const integrationState = document.getElementById("admin-integration-state");
  const key = document.getElementById("admin-integration-key");
  const answer = await post("/api/integrations", {
    name: fields.name.value.trim(),
    jurisdiction: fields.jurisdiction.value.trim(),
    sources: [...integrationForm.querySelectorAll("[name=sources]:checked")].map((box) => box.value),
    positions: fields.positions.checked,
  });
  if (!answer.ok) {
    integrationState.textContent = `未生成:${answer.error}`;
    key.hidden = true;
    return;
  }
  integrationState.textContent = `已为 ${answer.data.name} 生成密钥(只显示这一次,刷新页面后不再显示):`;
  key.textContent = answer.data.apiKey;
  key.hidden = false;
});

/** An account's lifecycle from its row: disable or enable it, end its sessions, delete it (after a confirmation). */
const ACCOUNT_ACTIONS = {
  disable: { done: "已停用,其登录已结束", send: (name) => post(`/api/accounts/${name}/disable`) },
  enable: { done: "已启用", send: (name) => post(`/api/accounts/${name}/enable`) },
  "end-sessions": { done: "其登录已全部结束", send: (name) => remove(`/api/accounts/${name}/sessions`) },
  delete: { done: "已删除", confirm: "删除后该账号不能再登录,审计记录保留。确定删除?", send: (name) => remove(`/api/accounts/${name}`) },
};

document.getElementById("admin-account-list")?.addEventListener("click", async (event) => {
  const action = event.target.closest(".admin-account-action");
  if (!action) return;
  const row = action.closest("tr");
  const what = ACCOUNT_ACTIONS[action.dataset.action];
  if (what.confirm && !confirm(what.confirm)) return;
  const answer = await what.send(encodeURIComponent(row.dataset.username));
  row.querySelector(".admin-row-state").textContent = answer.ok ? what.done : answer.error;
  if (answer.ok && action.dataset.action !== "end-sessions") setTimeout(() => location.reload(), 1000);
});

/** The edit form of an account (name, role, jurisdictions, worker), filled from its row; saving sends only what changed. */
const editForm = document.getElementById("admin-account-edit");
let editedRow = null;
document.getElementById("admin-account-list")?.addEventListener("click", (event) => {
  const button = event.target.closest(".admin-account-edit");
  if (!button) return;
  const row = button.closest("tr");
  const fields = editForm.elements;
  editedRow = row;
  document.getElementById("admin-account-edit-name").textContent = `${row.dataset.displayName}(${row.dataset.username})`;
  fields.displayName.value = row.dataset.displayName;
  fields.role.value = row.dataset.role;
  fields.jurisdictions.value = row.dataset.jurisdictions;
  fields.workerId.value = row.dataset.workerId ?? "";
  document.getElementById("admin-account-edit-state").textContent = "";
  editForm.hidden = false;
  fields.displayName.focus();
});
document.getElementById("admin-account-edit-cancel")?.addEventListener("click", () => {
  editForm.hidden = true;
});
editForm?.addEventListener("submit", async (event) => {
  event.preventDefault();
  const row = editedRow;
  const fields = editForm.elements;
  const changes = {};
  if (fields.displayName.value.trim() !== row.dataset.displayName) changes.displayName = fields.displayName.value.trim();
  if (fields.role.value !== row.dataset.role) changes.role = fields.role.value;
  const jurisdictions = jurisdictionList(fields.jurisdictions.value);
  if (jurisdictions.join(",") !== row.dataset.jurisdictions) changes.jurisdictions = jurisdictions;
  if (fields.workerId.value.trim() !== (row.dataset.workerId ?? "")) changes.workerId = fields.workerId.value.trim() || null;
  const state = document.getElementById("admin-account-edit-state");
  if (Object.keys(changes).length === 0) {
    state.textContent = "没有改动。";
    return;
  }
  const answer = await patch(`/api/accounts/${encodeURIComponent(row.dataset.username)}`, changes);
  state.textContent = answer.ok ? "已保存。" : `未保存:${answer.error}`;
  if (answer.ok) setTimeout(() => location.reload(), 1000);
});

document.getElementById("admin-account-list")?.addEventListener("click", async (event) => {
  const button = event.target.closest(".admin-password");
  if (!button) return;
  const row = button.closest("tr");
  const password = row.querySelector("[name=password]");
  const rowState = row.querySelector(".admin-row-state");
  const answer = await post(`/api/accounts/${encodeURIComponent(row.dataset.username)}/password`, { password: password.value });
  rowState.textContent = answer.ok ? "已重设" : answer.error;
  if (answer.ok) password.value = "";
});
