// The map of the wall: a Leaflet map with its panes and legend, and its layers, each its own module: outlines
// (wall-map-outlines.js), people and cameras (wall-map-points.js), incidents (wall-map-incidents.js), their
// popups (wall-map-popups.js) and a person's track playback (wall-track.js). Everything that shows data is built from DOM nodes with text; Leaflet never
// receives an HTML string of data.

import { el } from "./dom.js";
import { CAMERA_STATUS_LABELS, DUTY_LABELS, LOST_CONTACT_LABEL } from "./labels.js";
import { IncidentLayer } from "./wall-map-incidents.js";
import { OutlineLayer } from "./wall-map-outlines.js";
import { CameraLayer, PeopleLayer } from "./wall-map-points.js";
import { WallPopups } from "./wall-map-popups.js";
import { TrackPlayback } from "./wall-track.js";

export class WallMap {
  /**
   * @param {HTMLElement} container
   * @param {{ tileUrl: string, bounds: number[], level: string }} options
   */
  constructor(container, { tileUrl, bounds, level, mayDispatch }) {
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
    const outlineRenderer = L.canvas({ pane: "outlines", padding: 0.3 });
    const pointRenderer = L.canvas({ pane: "points", padding: 0.1 });

    if (tileUrl) {
      L.tileLayer(tileUrl, { maxZoom: 19, className: "wall-tiles", crossOrigin: true }).addTo(map);
      container.classList.add("has-tiles");
    }

    const area = L.latLngBounds([bounds[0], bounds[1]], [bounds[2], bounds[3]]);
    const fitZoom = map.getBoundsZoom(area, false, L.point(40, 40));
    map.fitBounds(area, { padding: [20, 20], animate: false });
    map.setMinZoom(Math.max(0, fitZoom - 1.5));
    map.setMaxBounds(area.pad(0.6));

    this.outlines = new OutlineLayer(map, { level, fitZoom, renderer: outlineRenderer });
    this.track = new TrackPlayback(map);
    const popups = new WallPopups(
      map,
      (code) => this.outlines.placeName(code),
      (worker, from, to) => {
        map.closePopup();
        this.track.open(worker, from, to);
      },
      mayDispatch,
    );
    this.people = new PeopleLayer(map, { renderer: pointRenderer, popups });
    this.cameras = new CameraLayer(map, { renderer: pointRenderer, popups });
    this.incidents = new IncidentLayer(map, { fitZoom, popups });

    const { online, offline } = CAMERA_STATUS_LABELS;
    L.control
      .layers(
        null,
        {
          '<span class="wall-swatch wall-swatch-worker"></span>网格员': this.people.gridWorkers,
          '<span class="wall-swatch wall-swatch-police"></span>巡逻民警': this.people.patrolOfficers,
          [`<span class="wall-swatch wall-swatch-camera"></span>摄像头 <span class="wall-swatch wall-swatch-camera-online"></span>${online} <span class="wall-swatch wall-swatch-camera-offline"></span>${offline}`]:
            this.cameras.group,
          '<span class="wall-swatch wall-swatch-incident"></span>事件': this.incidents.group,
        },
        { collapsed: false, position: "topright" },
      )
      .addTo(map);
    dutyLegend().addTo(map);
  }
}

/** The people's colours by duty status, and lost contact's (wall-map-points.js personStyle). */
function dutyLegend() {
  const legend = L.control({ position: "bottomright" });
  legend.onAdd = () => {
    const swatch = (name, text) => el("li", null, el("span", { class: `wall-swatch wall-swatch-duty-${name}` }), text);
    const items = Object.entries(DUTY_LABELS).map(([status, text]) => swatch(status, text));
    return el("ul", { class: "wall-duty-legend", "aria-label": "人员状态" }, ...items, swatch("lost", LOST_CONTACT_LABEL));
  };
  return legend;
}
