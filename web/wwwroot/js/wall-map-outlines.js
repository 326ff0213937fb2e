// The wall map's outlines: the jurisdiction's areas by level, their names, and which of them show at which zoom.
// It also knows the areas' names, so it names a grid with its ancestors (placeName).

import { el } from "./dom.js";

export const LEVELS = ["city", "county", "township", "village", "grid"];

// Strokes per level; the wall's own area gets ROOT_STYLE, the level just below it a dark fill per area.
const OUTLINE_STYLES = {
  city: { color: "#49b6f0", weight: 2.6, opacity: 1 },
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

/**
 * Which outlines and labels a wall shows, per depth below its own level, as zoom offsets from the fitted zoom:
 * outlines from `outline` up, labels between `labelFrom` and `labelTo` (exclusive).
 * A city wall shows its counties' names, then townships, villages and grids as it is zoomed in; the county wall
 * shows township names when zoomed out and village/grid outlines when zoomed in; a township (or lower) wall shows
 * its villages and grids at once.
 */
function visibilityRules(rootLevel) {
  const always = -Infinity;
  const never = Infinity;
  if (rootLevel === "city") {
    return {
      city: { outline: always, labelFrom: never, labelTo: never },
      county: { outline: always, labelFrom: always, labelTo: 1 },
      township: { outline: 1, labelFrom: 1, labelTo: 3 },
      village: { outline: 2, labelFrom: 3, labelTo: Infinity },
      grid: { outline: 3, labelFrom: 5, labelTo: Infinity },
    };
  }
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

export class OutlineLayer {
  /**
   * @param {L.Map} map
   * @param {{ level: string, fitZoom: number, renderer: L.Renderer }} options the wall's own level, the zoom that
   *   fits its area, the canvas of the outlines pane
   */
  constructor(map, { level, fitZoom, renderer }) {
    this.map = map;
    this.level = level;
    this.fitZoom = fitZoom;
    this.renderer = renderer;
    this.rules = visibilityRules(level);
    this.areas = new Map(); // code → { name, level, parentCode }
    this.geometries = new Map(); // code → GeoJSON geometry
    this.levelLayers = {}; // level → { outline: L.GeoJSON, labels: L.LayerGroup }
    this.rootBorder = null;
    map.on("zoomend", () => this.applyZoomRules());
  }

  /** Draws the FeatureCollection of the jurisdiction's subtree (properties code, name, level, parentCode). */
  set(collection) {
    const features = Array.isArray(collection?.features) ? collection.features : [];
    for (const feature of features) {
      const p = feature.properties || {};
      if (typeof p.code !== "string") continue;
      this.areas.set(p.code, { name: String(p.name ?? ""), level: p.level, parentCode: p.parentCode });
      if (feature.geometry) this.geometries.set(p.code, feature.geometry);
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
          renderer: this.renderer,
          pane: "outlines",
          interactive: false,
          style,
        },
      );
      if (depth <= 0 && !this.rootBorder) {
        this.rootBorder = L.geoJSON(
          { type: "FeatureCollection", features: ofLevel },
          { renderer: this.renderer, pane: "outlines", interactive: false, style: () => ROOT_BORDER },
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
  get count() {
    let count = 0;
    for (const layers of Object.values(this.levelLayers)) {
      if (this.map.hasLayer(layers.outline)) count += layers.outline.getLayers().length;
    }
    return count;
  }

  /** The outline of one of the wall's areas as GeoJSON (to highlight it); null for an area this wall does not draw. */
  geometryOf(code) {
    return this.geometries.get(code) ?? null;
  }

  /** "四龙镇 · 红星村 · 第3网格": the grid and its ancestors below the wall's own level (on a grid's own wall, its name). */
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
    return names.length ? names.join(" · ") : (this.areas.get(code)?.name ?? String(code ?? ""));
  }

}

function toggle(map, layer, visible) {
  if (visible && !map.hasLayer(layer)) map.addLayer(layer);
  else if (!visible && map.hasLayer(layer)) map.removeLayer(layer);
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
