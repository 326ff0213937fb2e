// The incidents on the wall's map: one marker each (a DOM dot, so it can pulse), recent ones large and on top,
// those that left the side list small and underneath; a click in the list flies to its marker and opens it.

import { el } from "./dom.js";
import { OPEN_STATUSES } from "./labels.js";
import { sourceClass } from "./wall-dom.js";

const RECENT_Z = 10000; // recent incidents above older ones whatever their latitude

/** Closed cases turn grey, supervised ones amber, overdue ones pulse (wall.css). */
function setStatusClasses(dot, incident) {
  dot.classList.toggle("is-closed", !OPEN_STATUSES.includes(incident.status));
  dot.classList.toggle("is-supervised", Boolean(incident.supervisedBy));
  dot.classList.toggle("is-overdue", Boolean(incident.overdue));
  dot.dataset.status = String(incident.status ?? "");
}

export class IncidentLayer {
  /** @param {{ fitZoom: number, popups: import("./wall-map-popups.js").WallPopups }} options */
  constructor(map, { fitZoom, popups }) {
    this.map = map;
    this.fitZoom = fitZoom;
    this.popups = popups;
    this.group = L.layerGroup().addTo(map);
    this.pendingFocus = null;
    map.on("moveend", () => this.openPendingFocus());
  }

  /**
   * Adds the marker of an incident; returns { marker, dot } (dot carries the is-new highlight).
   * `old` incidents (no longer in the side list) are drawn small and underneath the recent ones.
   */
  add(incident, { fresh = false, old = false } = {}) {
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
    this.popups.bindIncident(marker);
    this.group.addLayer(marker);
    return { marker, dot };
  }

  /** The same incident in its new state: status colour, overdue pulse and popup change in place. */
  update(marker, dot, incident) {
    marker.incident = incident;
    setStatusClasses(dot, incident);
    this.popups.redrawIncident(marker);
  }

  /** An incident that left the side list: smaller and underneath the recent ones. */
  age(marker, dot) {
    dot.classList.add("is-old");
    marker.setZIndexOffset(0);
  }

  remove(marker) {
    marker.closePopup();
    marker.unbindPopup();
    this.group.removeLayer(marker);
  }

  clear() {
    this.map.closePopup();
    this.group.clearLayers();
  }

  /** Pans (and zooms in a little) to an incident marker and opens its popup once the map has settled. */
  focus(marker) {
    if (!this.map.hasLayer(this.group)) this.map.addLayer(this.group);
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
    if (marker && this.group.hasLayer(marker)) marker.openPopup();
  }
}
