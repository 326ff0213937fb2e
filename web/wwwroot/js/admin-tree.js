// The tree on the administrator's page (/admin): areas found by name or code, one shown on a map with its
// surroundings, renamed, and a grid moved to a neighbouring village (PATCH /api/jurisdictions/{code}; the villages'
// outlines follow and its open cases move with it). Names reach the page as text nodes only.
import { getJson, patch } from "./api.js";
import { areasByCode, placeOf, showFound } from "./admin-areas.js";
import { el } from "./dom.js";
import { LEVEL_LABELS, label } from "./labels.js";

const root = document.getElementById("admin-tree-editor");
const MAX_FOUND = 30;
// As site.css's --cc-accent and --cc-warn (Leaflet takes colours, not custom properties).
const COLOURS = { area: "#4fc3f7", selected: "#ffb74d" };

let areas = [];
let byCode = new Map();
let map = null;
let layer = null;
let selected = null;

async function load(fresh = false) {
  byCode = await areasByCode(fresh);
  areas = [...byCode.values()];
}


/** An area's level and where it lies ("网格 · 四龙镇 · 红星村"), as its list row and its panel say them. */
function whereOf(area) {
  const place = placeOf(byCode, area);
  return `${label(LEVEL_LABELS, area.level)}${place ? " · " + place : ""}`;
}

function search(text) {
  const query = text.trim();
  const found = query ? areas.filter((a) => a.name.includes(query) || a.code.startsWith(query)).slice(0, MAX_FOUND) : [];
  showFound(root.querySelector("#admin-tree-found"), query, found.map((a) => ({ key: a.code, name: a.name, where: whereOf(a) })), "code");
}

/** The area's surroundings as the map shows them: a grid among its township's villages and grids, else its children. */
function surroundings(area) {
  if (area.level === "grid") {
    const township = byCode.get(byCode.get(area.parentCode)?.parentCode);
    return township ? `/api/jurisdictions/${encodeURIComponent(township.code)}/geojson?levels=village,grid` : null;
  }
  const childLevel = { city: "county", county: "township", township: "village", village: "grid" }[area.level];
  return `/api/jurisdictions/${encodeURIComponent(area.code)}/geojson?levels=${area.level},${childLevel}`;
}

async function show(code) {
  selected = byCode.get(code);
  if (!selected) return;
  const panel = root.querySelector("#admin-tree-selected");
  panel.hidden = false;
  panel.querySelector(".admin-tree-title").textContent = selected.name;
  panel.querySelector(".admin-tree-level").textContent = whereOf(selected);
  const form = panel.querySelector("#admin-tree-form");
  form.elements.name.value = selected.name;
  const move = panel.querySelector("#admin-tree-move");
  move.hidden = selected.level !== "grid";
  if (selected.level === "grid") {
    const neighbours = await getJson(`/api/jurisdictions/${encodeURIComponent(code)}/neighbours`).catch(() => []);
    form.elements.parentCode.replaceChildren(
      el("option", { value: "" }, neighbours.length ? "不调整" : "没有相邻的村(社区)"),
      ...neighbours.map((v) => el("option", { value: v.code }, `${v.name}(${byCode.get(v.parentCode)?.name ?? ""})`)),
    );
  }
  await draw(selected);
}

async function draw(area) {
  const url = surroundings(area);
  if (!url) return;
  const geojson = await getJson(url).catch(() => null);
  if (!geojson) return;
  if (!map) map = L.map("admin-tree-map", { attributionControl: false });
  layer?.remove();
  let focus = null;
  layer = L.geoJSON(geojson, {
    style: (feature) => {
      const mine = feature.properties.code === area.code;
      const outer = feature.properties.level !== "grid" && area.level === "grid";
      return mine
        ? { color: COLOURS.selected, weight: 3, fillColor: COLOURS.selected, fillOpacity: 0.35 }
        : { color: COLOURS.area, weight: outer ? 2 : 1, fillOpacity: outer ? 0 : 0.08 };
    },
    onEachFeature: (feature, shape) => {
      if (feature.properties.code === area.code) focus = shape;
      shape.bindTooltip(el("span", null, String(feature.properties.name ?? "")), { sticky: true });
    },
  }).addTo(map);
  map.invalidateSize();
  map.fitBounds((focus ?? layer).getBounds(), { padding: [24, 24], maxZoom: 16 });
  root.querySelector("#admin-tree-map").dataset.code = area.code;
}

async function save(event) {
  event.preventDefault();
  if (!selected) return;
  const form = event.currentTarget;
  const state = root.querySelector("#admin-tree-state");
  const body = {};
  const name = form.elements.name.value.trim();
  if (name !== selected.name) body.name = name;
  const parentCode = selected.level === "grid" ? form.elements.parentCode.value : "";
  if (parentCode) body.parentCode = parentCode;
  if (!Object.keys(body).length) {
    state.textContent = "没有改动。";
    return;
  }
  state.textContent = parentCode ? "调整中:重新计算村(社区)边界,移交未办结事件…" : "保存中…";
  const answer = await patch(`/api/jurisdictions/${encodeURIComponent(selected.code)}`, body);
  if (!answer.ok) {
    state.textContent = `未保存:${answer.error}`;
    return;
  }
  const code = selected.code;
  await load(true);
  search(root.querySelector("#admin-tree-search").value);
  await show(code);
  state.textContent = parentCode ? `已调整到 ${byCode.get(answer.data.parentCode)?.name ?? ""}。` : "已保存。";
}

if (root) {
  load().then(() => {
    root.querySelector("#admin-tree-search").addEventListener("input", (event) => search(event.target.value));
    root.querySelector("#admin-tree-found").addEventListener("click", (event) => {
      const item = event.target.closest("[data-code]");
      if (item) show(item.dataset.code).catch((error) => console.warn("admin: could not show the area", error));
    });
    root.querySelector("#admin-tree-form").addEventListener("submit", save);
    root.dataset.ready = "true";
  }).catch((error) => console.warn("admin: the tree did not load", error));
}
