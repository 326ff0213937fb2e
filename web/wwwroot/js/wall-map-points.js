// The people and the cameras on the wall's map: small shapes on one canvas (1,473 cameras on the demo county, so no
// DOM element each), moved and recoloured in place as positions and camera statuses arrive.

// People: the shape says the role, the fill the duty status (the legend's swatches in wall.css use the same colours);
// lost contact (失联) is grey ringed in red, SOS larger and red.
const ROLE_SHAPES = {
  gridChief: { radius: 5, color: "#e9fff1", weight: 1.2 },
  gridWorker: { radius: 4.5, color: "#06140c", weight: 1 },
  patrolOfficer: { radius: 6, color: "#ffffff", weight: 1.5 },
};
export const DUTY_COLORS = { offDuty: "#5b6b7a", onDuty: "#2fbf71", busy: "#ffb020", onPatrol: "#3d8bff", sos: "#ff2d55" };
const LOST_CONTACT_STYLE = { color: "#ff5252", weight: 2.5, fillColor: "#a0a8b0", fillOpacity: 0.9 };

/** A person's style: their role's shape, filled by status; none known (no position yet) is drawn dim. */
function personStyle(role, presence) {
  const shape = ROLE_SHAPES[role] || ROLE_SHAPES.gridWorker;
  const status = presence?.status;
  if (status === "sos") return { ...shape, radius: shape.radius + 3, color: "#ffffff", weight: 2, fillColor: DUTY_COLORS.sos, fillOpacity: 1 };
  if (presence?.lostContact) return { ...shape, ...LOST_CONTACT_STYLE };
  const active = status && status !== "offDuty";
  return { ...shape, fillColor: DUTY_COLORS[status] || DUTY_COLORS.offDuty, fillOpacity: active ? 1 : 0.55 };
}

const styleKey = (presence) => `${presence?.status}/${presence?.lostContact === true}`;

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

/**
 * Grid workers and patrol officers (two layers, each switched on and off on its own). Each marker keeps its person
 * (marker.worker) and their last position with status (marker.presence, as the hub sends it, plus atMs and
 * lostContact), read by the popup when it opens.
 */
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
      const marker = L.circleMarker([lat, lng], { ...personStyle(worker.role, null), renderer: this.renderer, pane: "points" });
      marker.worker = worker;
      marker.presence = null;
      this.popups.bindWorker(marker);
      (worker.role === "patrolOfficer" ? this.patrolOfficers : this.gridWorkers).addLayer(marker);
      this.markers.set(worker.id, marker);
    }
    return this.markers.size;
  }

  /** Moves the markers of a positions batch in place and takes their statuses; returns how many moved. */
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
      marker.presence = { ...p, atMs: Date.parse(p.at), lostContact: marker.presence?.lostContact === true };
      this.restyle(marker);
      this.popups.redrawWorker(marker);
    }
    return moved;
  }

  /**
   * Lost contact (DutyRules.LostContact on the server): not off duty and the last position older than lostAfterMs
   * at serverNow (the server's clock, as the snapshot told it). Restyles whoever changed; answers, among those whose
   * status is known, how many have lost contact and how many are at work (在岗: not off duty, in contact).
   */
  judge(serverNow, lostAfterMs) {
    let lost = 0;
    let atWork = 0;
    for (const marker of this.markers.values()) {
      const presence = marker.presence;
      if (!presence) continue;
      const isLost = presence.status !== "offDuty" && serverNow - presence.atMs > lostAfterMs;
      if (isLost) lost++;
      else if (presence.status !== "offDuty") atWork++;
      if (isLost !== presence.lostContact) {
        presence.lostContact = isLost;
        this.restyle(marker);
        this.popups.redrawWorker(marker);
      }
    }
    return { lost, atWork };
  }

  restyle(marker) {
    const key = styleKey(marker.presence);
    if (marker.styleKey === key) return;
    marker.styleKey = key;
    const style = personStyle(marker.worker.role, marker.presence);
    marker.setStyle(style);
    marker.setRadius(style.radius);
  }

  /**
   * Where a person's marker is drawn, in pixels of the map's container, and its fill colour (for tests and
   * diagnostics: the people are canvas circles, not elements); null when unknown.
   */
  point(workerId) {
    const marker = this.markers.get(workerId);
    const point = containerPoint(this.map, marker);
    return point && { ...point, fillColor: marker.options.fillColor };
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
