// The map of the wall: jurisdiction outlines (by zoom), workers and cameras on canvases, incident markers.
// Everything that shows data is built from DOM nodes with text; Leaflet never receives an HTML string of data.

import { el, label, ROLE_LABELS, SOURCE_LABELS, STATUS_LABELS, OPEN_STATUSES, chinaDateTime, sourceClass } from "./wall-dom.js";
import { BlobImage, CAMERA_STATUS_LABELS, fetchImage } from "./camera-snapshot.js";

/** Closed cases turn grey, supervised ones amber, overdue ones pulse (wall.css). */
function setStatusClasses(dot, incident) {
  dot.classList.toggle("is-closed", !OPEN_STATUSES.includes(incident.status));
  dot.classList.toggle("is-supervised", Boolean(incident.supervisedBy));
  dot.classList.toggle("is-overdue", Boolean(incident.overdue));
  dot.dataset.status = String(incident.status ?? "");
}

const LEVELS = ["county", "township", "village", "grid"];

// Strokes per level; the wall's own area gets ROOT_STYLE, the level just below it a dark fill per area.
const OUTLINE_STYLES = {
  county: { color: "#49b6f0", weight: 2.4, opacity: 0.95 },
  township: { color: "#49b6f0", weight: 2.2, opacity: 0.9 },
  village: { color: "#3b93c8", weight: 1.2, opacity: 0.85 },
  grid: { color: "#4a7ea3", weight: 0.8, opacity: 0.7, dashArray: "4 4" },
};
// The wall's own area: a dark fill underneath everything and a bright border drawn on top of everything.
const ROOT_FILL = { stroke: false, fill: true, fillColor: "#0b1d30", fillOpacity: 0.6 };
const ROOT_BORDER = { color: "#8fdcff", weight: 4, opacity: 1, fill: false };
const TINT_OPACITY = 0.45;

// Dark fills that tell neighbouring areas apart.
const AREA_FILLS = ["#123a5c", "#163f4f", "#1b3358", "#10414a", "#1d3a4f", "#142f52", "#173a45", "#1a4060"];

const WORKER_STYLES = {
  gridChief: { radius: 5, color: "#e9fff1", weight: 1.2, fillColor: "#2fbf71", fillOpacity: 1 },
  gridWorker: { radius: 4.5, color: "#06140c", weight: 1, fillColor: "#6fe39a", fillOpacity: 0.95 },
  patrolOfficer: { radius: 6, color: "#ffffff", weight: 1.5, fillColor: "#3d8bff", fillOpacity: 1 },
};

const RECENT_Z = 10000; // recent incidents above older ones whatever their latitude

const CAMERA_STYLE = { radius: 3.5, color: "#06101c", weight: 1, opacity: 0.9, fillOpacity: 0.95 };
// Camera squares by status (the legend's swatches in wall.css use the same colours).
const CAMERA_COLORS = { online: "#5fd68a", offline: "#ff5252", unknown: "#8a9bab" };
const cameraColor = (status) => CAMERA_COLORS[status] ?? CAMERA_COLORS.unknown;
const EVIDENCE_SHOWN = 3; // camera frames shown in an incident's popup

/** A CircleMarker drawn as a small square on a canvas renderer (cameras), hit-tested like a circle. */
const SquareMarker = L.CircleMarker.extend({
  _updatePath() {
    const renderer = this._renderer;
    if (!(renderer instanceof L.Canvas)) return renderer._updateCircle(this);
    if (!renderer._drawing || this._empty()) return;
    const p = this._point;
    const r = Math.max(Math.round(this._radius), 1);
    const ctx = renderer._ctx;
    ctx.beginPath();
    ctx.rect(p.x - r, p.y - r, 2 * r, 2 * r);
    renderer._fillStroke(ctx, this);
  },
});

/**
 * Which outlines and labels a wall shows, per depth below its own level, as zoom offsets from the fitted zoom:
 * outlines from `outline` up, labels between `labelFrom` and `labelTo` (exclusive).
 * The county wall shows township names when zoomed out and village/grid outlines when zoomed in;
 * a township (or lower) wall shows its villages and grids at once.
 */
function visibilityRules(rootLevel) {
  const always = -Infinity;
  const never = Infinity;
  if (rootLevel === "county") {
    return {
      county: { outline: always, labelFrom: never, labelTo: never },
      township: { outline: always, labelFrom: always, labelTo: 1 },
      village: { outline: 1, labelFrom: 1, labelTo: Infinity },
      grid: { outline: 1, labelFrom: 3, labelTo: Infinity },
    };
  }
  const rules = {};
  const rootIndex = Math.max(0, LEVELS.indexOf(rootLevel));
  for (let i = rootIndex; i < LEVELS.length; i++) {
    const depth = i - rootIndex;
    rules[LEVELS[i]] =
      depth === 0
        ? { outline: always, labelFrom: never, labelTo: never }
        : depth === 1 && i < LEVELS.length - 1
          ? { outline: always, labelFrom: always, labelTo: 2 }
          : { outline: always, labelFrom: depth === 1 ? always : 2, labelTo: Infinity };
  }
  return rules;
}

export class WallMap {
  /**
   * @param {HTMLElement} container
   * @param {{ tileUrl: string, bounds: number[], level: string, api: (path: string) => string }} options
   */
  constructor(container, { tileUrl, bounds, level, api }) {
    this.level = level;
    this.api = api;
    this.cameraMarkers = new Map(); // camera id → SquareMarker
    this.areas = new Map(); // code → { name, level, parentCode }
    this.workerMarkers = new Map(); // worker id → L.CircleMarker
    this.levelLayers = {}; // level → { outline: L.GeoJSON, labels: L.LayerGroup }
    this.pendingFocus = null;

    const map = L.map(container, {
      preferCanvas: true,
      zoomSnap: 0.25,
      zoomDelta: 0.5,
      wheelPxPerZoomLevel: 120,
      attributionControl: false,
      zoomControl: false,
      maxZoom: 19,
      worldCopyJump: false,
    });
    this.map = map;
    L.control.zoom({ position: "bottomleft", zoomInTitle: "放大", zoomOutTitle: "缩小" }).addTo(map);

    // Panes, bottom to top: tiles 200, outlines, cameras and workers (one canvas: a canvas covers the whole map and
    // takes every click on it, so a second canvas above would leave the lower one's markers unclickable), area
    // names (readable over the dots, never catching the mouse), incidents.
    for (const [name, zIndex] of [
      ["outlines", 250],
      ["points", 450],
      ["areaLabels", 460],
      ["incidents", 640],
    ]) {
      map.createPane(name).style.zIndex = String(zIndex);
    }
    map.getPane("areaLabels").style.pointerEvents = "none";
    this.outlineRenderer = L.canvas({ pane: "outlines", padding: 0.3 });
    this.pointRenderer = L.canvas({ pane: "points", padding: 0.1 });

    if (tileUrl) {
      L.tileLayer(tileUrl, { maxZoom: 19, className: "wall-tiles", crossOrigin: true }).addTo(map);
      container.classList.add("has-tiles");
    }

    this.bounds = L.latLngBounds([bounds[0], bounds[1]], [bounds[2], bounds[3]]);
    this.fitZoom = map.getBoundsZoom(this.bounds, false, L.point(40, 40));
    map.fitBounds(this.bounds, { padding: [20, 20], animate: false });
    map.setMinZoom(Math.max(0, this.fitZoom - 1.5));
    map.setMaxBounds(this.bounds.pad(0.6));
    this.rules = visibilityRules(level);

    this.gridWorkers = L.layerGroup().addTo(map);
    this.patrolOfficers = L.layerGroup().addTo(map);
    this.cameras = L.layerGroup().addTo(map);
    this.incidents = L.layerGroup().addTo(map);

    L.control
      .layers(
        null,
        {
          '<span class="wall-swatch wall-swatch-worker"></span>网格员': this.gridWorkers,
          '<span class="wall-swatch wall-swatch-police"></span>巡逻民警': this.patrolOfficers,
          '<span class="wall-swatch wall-swatch-camera"></span>摄像头 <span class="wall-swatch wall-swatch-camera-online"></span>在线 <span class="wall-swatch wall-swatch-camera-offline"></span>离线': this.cameras,
          '<span class="wall-swatch wall-swatch-incident"></span>事件': this.incidents,
        },
        { collapsed: false, position: "topright" },
      )
      .addTo(map);

    map.on("zoomend", () => this.applyZoomRules());
    map.on("moveend", () => this.openPendingFocus());
  }

  // ---- outlines -----------------------------------------------------------------------------------------

  /** Draws the FeatureCollection of the jurisdiction's subtree (properties code, name, level, parentCode). */
  setOutlines(collection) {
    const features = Array.isArray(collection?.features) ? collection.features : [];
    for (const feature of features) {
      const p = feature.properties || {};
      if (typeof p.code === "string") this.areas.set(p.code, { name: String(p.name ?? ""), level: p.level, parentCode: p.parentCode });
    }
    for (const layers of Object.values(this.levelLayers)) {
      this.map.removeLayer(layers.outline);
      this.map.removeLayer(layers.labels);
    }
    this.levelLayers = {};
    if (this.rootBorder) this.map.removeLayer(this.rootBorder);
    this.rootBorder = null;

    const rootIndex = LEVELS.indexOf(this.level);
    for (const level of LEVELS) {
      const ofLevel = features.filter((f) => f?.properties?.level === level && f.geometry);
      if (ofLevel.length === 0) continue;
      const depth = LEVELS.indexOf(level) - rootIndex;
      let index = 0;
      const style =
        depth <= 0
          ? () => ROOT_FILL
          : depth === 1
            ? () => ({ ...OUTLINE_STYLES[level], fill: true, fillColor: AREA_FILLS[index++ % AREA_FILLS.length], fillOpacity: TINT_OPACITY })
            : () => ({ ...OUTLINE_STYLES[level], fill: false });
      const outline = L.geoJSON(
        { type: "FeatureCollection", features: ofLevel },
        {
          renderer: this.outlineRenderer,
          pane: "outlines",
          interactive: false,
          style,
        },
      );
      if (depth <= 0 && !this.rootBorder) {
        this.rootBorder = L.geoJSON(
          { type: "FeatureCollection", features: ofLevel },
          { renderer: this.outlineRenderer, pane: "outlines", interactive: false, style: () => ROOT_BORDER },
        );
      }
      // Bigger areas first: their names win when labels collide (see declutter).
      const labels = L.layerGroup();
      const byArea = ofLevel.map((feature) => ({ feature, area: geometryArea(feature.geometry) })).sort((a, b) => b.area - a.area);
      for (const { feature } of byArea) {
        const point = labelPoint(feature.geometry);
        if (!point) continue;
        labels.addLayer(
          L.tooltip({
            permanent: true,
            direction: "center",
            interactive: false,
            opacity: 1,
            pane: "areaLabels",
            className: "wall-label wall-label-" + level,
          })
            .setLatLng(point)
            .setContent(el("span", null, String(feature.properties.name ?? ""))),
        );
      }
      this.levelLayers[level] = { outline, labels };
    }
    this.applyZoomRules();
  }

  applyZoomRules() {
    const offset = this.map.getZoom() - this.fitZoom + 0.01;
    for (const [level, layers] of Object.entries(this.levelLayers)) {
      const rule = this.rules[level];
      if (!rule) continue;
      toggle(this.map, layers.outline, offset >= rule.outline);
      toggle(this.map, layers.labels, offset >= rule.labelFrom && offset < rule.labelTo);
    }
    if (this.rootBorder) {
      if (!this.map.hasLayer(this.rootBorder)) this.map.addLayer(this.rootBorder);
      this.rootBorder.bringToFront();
    }
    this.declutter();
    this.map.getContainer().dataset.zoomOffset = String(Math.round((offset - 0.01) * 4) / 4);
  }

  /** Hides area names that would overlap a more important one (higher level, then bigger area). */
  declutter() {
    const elements = [];
    for (const level of LEVELS) {
      const layers = this.levelLayers[level];
      if (!layers || !this.map.hasLayer(layers.labels)) continue;
      for (const tooltip of layers.labels.getLayers()) {
        const element = tooltip.getElement();
        if (element) elements.push(element);
      }
    }
    for (const element of elements) element.classList.remove("is-hidden");
    const rects = elements.map((element) => element.getBoundingClientRect());
    const kept = [];
    const gap = 6;
    elements.forEach((element, i) => {
      const r = rects[i];
      const collides = kept.some((k) => r.left < k.right + gap && r.right + gap > k.left && r.top < k.bottom + gap && r.bottom + gap > k.top);
      if (collides) element.classList.add("is-hidden");
      else kept.push(r);
    });
  }

  /** Outlines on the map right now (for the tests and for health checks). */
  get outlineCount() {
    let count = 0;
    for (const layers of Object.values(this.levelLayers)) {
      if (this.map.hasLayer(layers.outline)) count += layers.outline.getLayers().length;
    }
    return count;
  }

  /** "四龙镇 · 红星村 · 第3网格": the grid and its ancestors below the wall's own level. */
  placeName(code) {
    const names = [];
    let current = code;
    for (let guard = 0; current && guard < 8; guard++) {
      const area = this.areas.get(current);
      if (!area) break;
      if (area.level === this.level) break;
      names.unshift(area.name);
      current = area.parentCode;
    }
    return names.length ? names.join(" · ") : String(code ?? "");
  }

  // ---- workers ------------------------------------------------------------------------------------------

  /** One canvas circle per worker, at its live position when known, else at its home position. */
  setWorkers(workers, positions) {
    const live = new Map();
    for (const p of positions || []) live.set(p.workerId, p);
    this.gridWorkers.clearLayers();
    this.patrolOfficers.clearLayers();
    this.workerMarkers.clear();
    for (const worker of workers) {
      const p = live.get(worker.id);
      const lat = p ? p.latitude : worker.homeLatitude;
      const lng = p ? p.longitude : worker.homeLongitude;
      if (!Number.isFinite(lat) || !Number.isFinite(lng)) continue;
      const style = WORKER_STYLES[worker.role] || WORKER_STYLES.gridWorker;
      const marker = L.circleMarker([lat, lng], { ...style, renderer: this.pointRenderer, pane: "points" });
      marker.bindPopup(() => this.workerPopup(worker), { className: "wall-popup" });
      (worker.role === "patrolOfficer" ? this.patrolOfficers : this.gridWorkers).addLayer(marker);
      this.workerMarkers.set(worker.id, marker);
    }
    return this.workerMarkers.size;
  }

  /** Moves the markers of a positions batch in place; returns how many moved. */
  movePositions(positions) {
    let moved = 0;
    for (const p of positions) {
      const marker = this.workerMarkers.get(p?.workerId);
      if (!marker || !Number.isFinite(p.latitude) || !Number.isFinite(p.longitude)) continue;
      const current = marker.getLatLng();
      if (current.lat !== p.latitude || current.lng !== p.longitude) {
        marker.setLatLng([p.latitude, p.longitude]);
        moved++;
      }
    }
    return moved;
  }

  workerPopup(worker) {
    return el(
      "div",
      { class: "wall-popup-body" },
      el("div", { class: "wall-popup-title" }, worker.name),
      row("身份", label(ROLE_LABELS, worker.role)),
      row("网格", this.placeName(worker.gridCode)),
    );
  }

  // ---- cameras ------------------------------------------------------------------------------------------

  /** One small canvas square per camera (1,473 on the demo county: no DOM element each), coloured by status. */
  setCameras(cameras) {
    this.map.closePopup();
    this.cameras.clearLayers();
    this.cameraMarkers.clear();
    for (const camera of cameras) {
      if (!Number.isFinite(camera.latitude) || !Number.isFinite(camera.longitude) || typeof camera.id !== "string") continue;
      const marker = new SquareMarker([camera.latitude, camera.longitude], {
        ...CAMERA_STYLE,
        fillColor: cameraColor(camera.status),
        renderer: this.pointRenderer,
        pane: "points",
      });
      marker.camera = camera;
      marker.bindPopup(() => this.cameraPopup(marker), { className: "wall-popup", maxWidth: 560, autoPanPadding: [40, 40] });
      marker.on("popupclose", () => this.releasePopup(marker));
      this.cameraMarkers.set(camera.id, marker);
      this.cameras.addLayer(marker);
    }
    return this.cameras.getLayers().length;
  }

  /** A camera's status changed (hub message cameraStatus): its square takes the new colour; false for a camera not on this map. */
  setCameraStatus(cameraId, status) {
    const marker = this.cameraMarkers.get(cameraId);
    if (!marker) return false;
    marker.camera = { ...marker.camera, status };
    marker.setStyle({ fillColor: cameraColor(status) });
    if (marker.isPopupOpen()) marker.popupState?.status.replaceChildren(label(CAMERA_STATUS_LABELS, status));
    return true;
  }

  /** Where a camera's square is drawn, in pixels of the map's container (for tests and diagnostics); null when unknown. */
  cameraPoint(cameraId) {
    const marker = this.cameraMarkers.get(cameraId);
    if (!marker) return null;
    const point = this.map.latLngToContainerPoint(marker.getLatLng());
    return { x: point.x, y: point.y };
  }

  /** The camera's popup: name, grid, status and its snapshot, taken when the popup opens and again on 刷新. */
  cameraPopup(marker) {
    this.releasePopup(marker);
    const camera = marker.camera;
    const img = el("img", { class: "wall-snapshot", alt: `${camera.name} 实时画面` });
    const note = el("div", { class: "wall-snapshot-note" }, "画面加载中…");
    const status = el("span", { class: "wall-popup-value" }, label(CAMERA_STATUS_LABELS, camera.status));
    const state = { image: new BlobImage(img), abort: null, status };
    marker.popupState = state;
    const load = async () => {
      state.abort?.abort();
      const abort = new AbortController();
      state.abort = abort;
      note.textContent = "画面加载中…";
      note.dataset.state = "loading";
      try {
        const blob = await fetchImage(this.api(`api/cameras/${encodeURIComponent(camera.id)}/snapshot`), abort.signal);
        if (abort.signal.aborted) return;
        state.image.show(blob);
        note.textContent = `画面时间 ${chinaDateTime(new Date().toISOString())}`;
        note.dataset.state = "shown";
      } catch (error) {
        if (abort.signal.aborted) return;
        state.image.release();
        note.textContent = `无法取得画面:${error.message}`;
        note.dataset.state = "failed";
      }
    };
    const refresh = el("button", { type: "button", class: "wall-snapshot-refresh" }, "刷新");
    refresh.addEventListener("click", load);
    load();
    return el(
      "div",
      { class: "wall-popup-body wall-camera-popup", "data-camera": camera.id },
      el("div", { class: "wall-popup-title" }, camera.name),
      row("网格", this.placeName(camera.gridCode)),
      el("div", { class: "wall-popup-row" }, el("span", { class: "wall-popup-key" }, "状态"), status),
      img,
      el("div", { class: "wall-snapshot-bar" }, note, refresh),
    );
  }

  /** Lets go of what an open popup holds: its request and its images' object URLs. */
  releasePopup(marker) {
    const state = marker.popupState;
    if (!state) return;
    state.abort?.abort();
    state.image?.release();
    for (const image of state.thumbnails ?? []) image.release();
    marker.popupState = null;
  }

  // ---- incidents ----------------------------------------------------------------------------------------

  /**
   * Adds the marker of an incident; returns { marker, dot } (dot carries the is-new highlight).
   * `old` incidents (no longer in the side list) are drawn small and underneath the recent ones.
   */
  addIncident(incident, { fresh = false, old = false } = {}) {
    const dot = el("div", { class: `wall-incident-dot ${sourceClass(incident.source)}${fresh ? " is-new" : ""}${old ? " is-old" : ""}` });
    setStatusClasses(dot, incident);
    const marker = L.marker([incident.latitude, incident.longitude], {
      icon: L.divIcon({ className: "wall-incident", html: dot, iconSize: [26, 26] }),
      pane: "incidents",
      keyboard: false,
      riseOnHover: true,
      zIndexOffset: old ? 0 : RECENT_Z,
    });
    marker.incident = incident;
    marker.bindPopup(() => this.incidentPopup(marker), { className: "wall-popup", maxWidth: 560, autoPanPadding: [40, 40] });
    marker.on("popupclose", () => this.releasePopup(marker));
    this.incidents.addLayer(marker);
    return { marker, dot };
  }

  /** The same incident in its new state: status colour, overdue pulse and popup change in place. */
  updateIncident(marker, dot, incident) {
    marker.incident = incident;
    setStatusClasses(dot, incident);
    if (marker.isPopupOpen()) marker.setPopupContent(this.incidentPopup(marker));
  }

  /** An incident that left the side list: smaller and underneath the recent ones. */
  ageIncident(marker, dot) {
    dot.classList.add("is-old");
    marker.setZIndexOffset(0);
  }

  removeIncident(marker) {
    marker.closePopup();
    marker.unbindPopup();
    this.incidents.removeLayer(marker);
  }

  clearIncidents() {
    this.map.closePopup();
    this.incidents.clearLayers();
  }

  /** An incident's facts and its evidence: the frames cameras near it took when it was reported (loaded on opening). */
  incidentPopup(marker) {
    this.releasePopup(marker);
    const incident = marker.incident;
    const evidence = el("div", { class: "wall-evidence", "data-state": "loading" }, "取证中…");
    const state = { abort: new AbortController(), thumbnails: [] };
    marker.popupState = state;
    this.loadEvidence(incident.id, evidence, state);
    return el(
      "div",
      { class: "wall-popup-body", "data-incident": incident.id },
      el("div", { class: "wall-popup-title" }, incident.title),
      row("类别", incident.category),
      row("来源", label(SOURCE_LABELS, incident.source)),
      row("网格", this.placeName(incident.gridCode)),
      row("时间", chinaDateTime(incident.reportedAt)),
      row("状态", label(STATUS_LABELS, incident.status)),
      incident.overdue ? row("时限", "已超期") : null,
      incident.supervisedBy ? row("督办", incident.supervisedBy) : null,
      el("div", { class: "wall-popup-key wall-evidence-title" }, "周边摄像头取证"),
      evidence,
    );
  }

  async loadEvidence(incidentId, container, state) {
    const { signal } = state.abort;
    try {
      const response = await fetch(this.api(`api/incidents/${encodeURIComponent(incidentId)}/attachments`), { signal, credentials: "same-origin" });
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      const photos = (await response.json()).filter((p) => typeof p.uploadedBy === "string" && p.uploadedBy.startsWith("camera:"));
      if (signal.aborted) return;
      if (photos.length === 0) {
        container.textContent = "取证中…(附近摄像头的画面稍后到达)";
        container.dataset.state = "none";
        return;
      }
      container.replaceChildren();
      for (const photo of photos.slice(0, EVIDENCE_SHOWN)) {
        const img = el("img", { class: "wall-evidence-photo", alt: `${photo.uploadedBy.slice(7)} 取证画面`, title: photo.uploadedBy.slice(7) });
        const image = new BlobImage(img);
        state.thumbnails.push(image);
        container.append(img);
        image.show(await fetchImage(this.api(photo.url.replace(/^\//, "")), signal));
      }
      container.dataset.state = "shown";
    } catch (error) {
      if (signal.aborted) return;
      container.textContent = `取证画面暂不可用:${error.message}`;
      container.dataset.state = "failed";
    }
  }

  /** Pans (and zooms in a little) to an incident marker and opens its popup once the map has settled. */
  focus(marker) {
    if (!this.map.hasLayer(this.incidents)) this.map.addLayer(this.incidents);
    const zoom = Math.max(this.map.getZoom(), Math.min(this.fitZoom + 2, this.map.getMaxZoom()));
    const target = marker.getLatLng();
    this.pendingFocus = marker;
    if (this.map.getCenter().distanceTo(target) < 1 && Math.abs(this.map.getZoom() - zoom) < 0.01) {
      this.openPendingFocus();
    } else {
      this.map.flyTo(target, zoom, { duration: 0.8 });
    }
  }

  openPendingFocus() {
    const marker = this.pendingFocus;
    this.pendingFocus = null;
    if (marker && this.incidents.hasLayer(marker)) marker.openPopup();
  }
}

function toggle(map, layer, visible) {
  if (visible && !map.hasLayer(layer)) map.addLayer(layer);
  else if (!visible && map.hasLayer(layer)) map.removeLayer(layer);
}

function row(name, value) {
  return el("div", { class: "wall-popup-row" }, el("span", { class: "wall-popup-key" }, name), el("span", { class: "wall-popup-value" }, value));
}

/**
 * A point inside the largest polygon of a (Multi)Polygon geometry for its name: the area centroid of its outer
 * ring when that lies inside, else the middle of the widest inside stretch of the horizontal line through it.
 */
function labelPoint(geometry) {
  const polygons = geometry.type === "Polygon" ? [geometry.coordinates] : geometry.type === "MultiPolygon" ? geometry.coordinates : [];
  let best = null;
  let bestArea = 0;
  for (const polygon of polygons) {
    const ring = polygon?.[0];
    if (!Array.isArray(ring) || ring.length < 3) continue;
    const area = Math.abs(ringArea(ring));
    if (area > bestArea) {
      bestArea = area;
      best = ring;
    }
  }
  if (!best) return null;
  let cx = 0;
  let cy = 0;
  let a = 0;
  for (let i = 0, j = best.length - 1; i < best.length; j = i++) {
    const f = best[j][0] * best[i][1] - best[i][0] * best[j][1];
    cx += (best[j][0] + best[i][0]) * f;
    cy += (best[j][1] + best[i][1]) * f;
    a += f;
  }
  if (a === 0) return L.latLng(best[0][1], best[0][0]);
  cx /= 3 * a;
  cy /= 3 * a;
  if (insideRing(best, cx, cy)) return L.latLng(cy, cx);
  const xs = [];
  for (let i = 0, j = best.length - 1; i < best.length; j = i++) {
    const [x1, y1] = best[j];
    const [x2, y2] = best[i];
    if (y1 > cy !== y2 > cy) xs.push(x1 + ((cy - y1) * (x2 - x1)) / (y2 - y1));
  }
  xs.sort((p, q) => p - q);
  let widest = null;
  for (let i = 0; i + 1 < xs.length; i += 2) {
    if (!widest || xs[i + 1] - xs[i] > widest[1] - widest[0]) widest = [xs[i], xs[i + 1]];
  }
  return widest ? L.latLng(cy, (widest[0] + widest[1]) / 2) : L.latLng(cy, cx);
}

function geometryArea(geometry) {
  const polygons = geometry.type === "Polygon" ? [geometry.coordinates] : geometry.type === "MultiPolygon" ? geometry.coordinates : [];
  let area = 0;
  for (const polygon of polygons) if (Array.isArray(polygon?.[0])) area += Math.abs(ringArea(polygon[0]));
  return area;
}

function ringArea(ring) {
  let sum = 0;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) sum += ring[j][0] * ring[i][1] - ring[i][0] * ring[j][1];
  return sum / 2;
}

function insideRing(ring, x, y) {
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i];
    const [xj, yj] = ring[j];
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}
