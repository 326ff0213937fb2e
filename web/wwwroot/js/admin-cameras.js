// The cameras on the administrator's page (/admin): found by name or number, shown with their grid and health, and
// edited (PUT /api/cameras/{id}: name and position; a new stream address only when one is typed, else the recorded
// one stays). Names reach the page as text nodes only.
import { getJson, put } from "./api.js";
import { areasByCode, placeOf, showFound } from "./admin-areas.js";
import { CAMERA_STATUS_LABELS, label } from "./labels.js";

const root = document.getElementById("admin-camera-editor");
const MAX_FOUND = 30;

let cameras = [];
let areas = new Map();
let selected = null;

async function load() {
  [cameras, areas] = await Promise.all([getJson(`/api/cameras?jurisdiction=${encodeURIComponent(root.dataset.root)}`), areasByCode()]);
}

function gridName(code) {
  const grid = areas.get(code);
  return grid ? [placeOf(areas, grid), grid.name].filter(Boolean).join(" · ") : code;
}

/** A camera's health and grid, as its list row and its panel say them. */
function whereOf(camera) {
  return `${label(CAMERA_STATUS_LABELS, camera.status)} · ${gridName(camera.gridCode)}`;
}

function search(text) {
  const query = text.trim();
  const found = query ? cameras.filter((c) => c.name.includes(query) || c.id.startsWith(query)).slice(0, MAX_FOUND) : [];
  showFound(root.querySelector("#admin-camera-found"), query,
    found.map((c) => ({ key: c.id, name: c.name, where: whereOf(c) })), "id");
}

function show(id) {
  selected = cameras.find((c) => c.id === id);
  if (!selected) return;
  const panel = root.querySelector("#admin-camera-selected");
  panel.hidden = false;
  panel.querySelector(".admin-tree-title").textContent = selected.name;
  panel.querySelector(".admin-tree-level").textContent = whereOf(selected);
  const form = panel.querySelector("#admin-camera-form");
  form.elements.name.value = selected.name;
  form.elements.lat.value = String(selected.latitude);
  form.elements.lng.value = String(selected.longitude);
  form.elements.streamUrl.value = "";
  root.querySelector("#admin-camera-state").textContent = "";
}

async function save(event) {
  event.preventDefault();
  if (!selected) return;
  const form = event.currentTarget;
  const state = root.querySelector("#admin-camera-state");
  const body = { name: form.elements.name.value.trim(), lat: Number(form.elements.lat.value), lng: Number(form.elements.lng.value) };
  const streamUrl = form.elements.streamUrl.value.trim();
  if (streamUrl) body.streamUrl = streamUrl;
  state.textContent = "保存中…";
  const answer = await put(`/api/cameras/${encodeURIComponent(selected.id)}`, body);
  if (!answer.ok) {
    state.textContent = `未保存:${answer.error}`;
    return;
  }
  const id = selected.id;
  await load();
  search(root.querySelector("#admin-camera-search").value);
  show(id);
  state.textContent = "已保存。";
}

if (root) {
  load().then(() => {
    root.querySelector("#admin-camera-search").addEventListener("input", (event) => search(event.target.value));
    root.querySelector("#admin-camera-found").addEventListener("click", (event) => {
      const item = event.target.closest("[data-id]");
      if (item) show(item.dataset.id);
    });
    root.querySelector("#admin-camera-form").addEventListener("submit", save);
    root.dataset.ready = "true";
  }).catch((error) => console.warn("admin: the cameras did not load", error));
}
