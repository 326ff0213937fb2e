// The people and the cameras on the wall's map: small shapes on one canvas (1,473 cameras on the demo county, so no
// DOM element each), moved and recoloured in place as positions and camera statuses arrive.

const WORKER_STYLES = {
  gridChief: { radius: 5, color: "#e9fff1", weight: 1.2, fillColor: "#2fbf71", fillOpacity: 1 },
  gridWorker: { radius: 4.5, color: "#06140c", weight: 1, fillColor: "#6fe39a", fillOpacity: 0.95 },
  patrolOfficer: { radius: 6, color: "#ffffff", weight: 1.5, fillColor: "#3d8bff", fillOpacity: 1 },
};

const CAMERA_STYLE = { radius: 3.5, color: "#06101c", weight: 1, opacity: 0.9, fillOpacity: 0.95 };
// Camera squares by status (the legend's swatches in wall.css use the same colours).
const CAMERA_COLORS = { online: "#5fd68a", offline: "#ff5252", unknown: "#8a9bab" };
const cameraColor = (status) => CAMERA_COLORS[status] ?? CAMERA_COLORS.unknown;

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

/** Where a marker is drawn, in pixels of the map's container; null for none. */
function containerPoint(map, marker) {
  if (!marker) return null;
  const point = map.latLngToContainerPoint(marker.getLatLng());
  return { x: point.x, y: point.y };
}

/** Grid workers and patrol officers (two layers, each switched on and off on its own). */
export class PeopleLayer {
  /** @param {{ renderer: L.Renderer, popups: import("./wall-map-popups.js").WallPopups }} options */
  constructor(map, { renderer, popups }) {
    this.map = map;
    this.renderer = renderer;
    this.popups = popups;
    this.gridWorkers = L.layerGroup().addTo(map);
    this.patrolOfficers = L.layerGroup().addTo(map);
    this.markers = new Map(); // worker id → L.CircleMarker
  }

  /** One canvas circle per worker, at its live position when known, else at its home position; returns how many. */
  set(workers, positions) {
    const live = new Map();
    for (const p of positions || []) live.set(p.workerId, p);
    this.gridWorkers.clearLayers();
    this.patrolOfficers.clearLayers();
    this.markers.clear();
    for (const worker of workers) {
      const p = live.get(worker.id);
      const lat = p ? p.latitude : worker.homeLatitude;
      const lng = p ? p.longitude : worker.homeLongitude;
      if (!Number.isFinite(lat) || !Number.isFinite(lng)) continue;
      const style = WORKER_STYLES[worker.role] || WORKER_STYLES.gridWorker;
      const marker = L.circleMarker([lat, lng], { ...style, renderer: this.renderer, pane: "points" });
      this.popups.bindWorker(marker, worker);
      (worker.role === "patrolOfficer" ? this.patrolOfficers : this.gridWorkers).addLayer(marker);
      this.markers.set(worker.id, marker);
    }
    return this.markers.size;
  }

  /** Moves the markers of a positions batch in place; returns how many moved. */
  move(positions) {
    let moved = 0;
    for (const p of positions) {
      const marker = this.markers.get(p?.workerId);
      if (!marker || !Number.isFinite(p.latitude) || !Number.isFinite(p.longitude)) continue;
      const current = marker.getLatLng();
      if (current.lat !== p.latitude || current.lng !== p.longitude) {
        marker.setLatLng([p.latitude, p.longitude]);
        moved++;
      }
    }
    return moved;
  }

  /** Where a person's circle is drawn, in pixels of the map's container (for tests and diagnostics); null when unknown. */
  point(workerId) {
    return containerPoint(this.map, this.markers.get(workerId));
  }
}

/** The cameras: one small square each, coloured by status. */
export class CameraLayer {
  /** @param {{ renderer: L.Renderer, popups: import("./wall-map-popups.js").WallPopups }} options */
  constructor(map, { renderer, popups }) {
    this.map = map;
    this.renderer = renderer;
    this.popups = popups;
    this.group = L.layerGroup().addTo(map);
    this.markers = new Map(); // camera id → SquareMarker
  }

  /** Draws the cameras anew; returns how many are on the map. */
  set(cameras) {
    this.map.closePopup();
    this.group.clearLayers();
    this.markers.clear();
    for (const camera of cameras) {
      if (!Number.isFinite(camera.latitude) || !Number.isFinite(camera.longitude) || typeof camera.id !== "string") continue;
      const marker = new SquareMarker([camera.latitude, camera.longitude], {
        ...CAMERA_STYLE,
        fillColor: cameraColor(camera.status),
        renderer: this.renderer,
        pane: "points",
      });
      marker.camera = camera;
      this.popups.bindCamera(marker);
      this.markers.set(camera.id, marker);
      this.group.addLayer(marker);
    }
    return this.group.getLayers().length;
  }

  /** A camera's status changed (hub message cameraStatus): its square takes the new colour; false for a camera not on this map. */
  setStatus(cameraId, status) {
    const marker = this.markers.get(cameraId);
    if (!marker) return false;
    marker.camera = { ...marker.camera, status };
    marker.setStyle({ fillColor: cameraColor(status) });
    this.popups.cameraStatusChanged(marker);
    return true;
  }

  /** Where a camera's square is drawn, in pixels of the map's container (for tests and diagnostics); null when unknown. */
  point(cameraId) {
    return containerPoint(this.map, this.markers.get(cameraId));
  }
}
