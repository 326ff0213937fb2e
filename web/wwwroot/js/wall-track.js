// 轨迹回放: a person's track over a period (GET api/workers/{id}/track), drawn on the wall's map as a line with a
// time slider that moves a marker along it, the marker's time shown in China Standard Time, and a play/pause button
// that moves the slider on by itself at the chosen speed (track time per second). One playback at a time; opening
// another or closing the panel stops it and removes the line, the marker and the panel.

import { getJson } from "./api.js";
import { chinaDateTime } from "./china-time.js";
import { el } from "./dom.js";

const HOUR = 3600 * 1000;
const CHINA_OFFSET = "+08:00";
const MAX_PERIOD_HOURS = 168; // the track API's longest period (CommandCenter:Tracks:MaxPeriod)

/** The periods offered in a person's popup, ending now; "custom" reads the two times of the popup (CST). */
export const TRACK_PERIODS = [
  { value: "1", label: "近1小时", hours: 1 },
  { value: "8", label: "近8小时", hours: 8 },
  { value: "24", label: "近24小时", hours: 24 },
  { value: "168", label: "近7天", hours: MAX_PERIOD_HOURS },
  { value: "custom", label: "自定时段" },
];

/** Playback speeds: seconds of track time per second of playback; the default shows an hour in a minute. */
export const PLAYBACK_SPEEDS = [1, 10, 60, 600, 3600];
const DEFAULT_SPEED = 60;

/** "2026-12-03T08:00" (a datetime-local value, read as China Standard Time) → an instant; null when empty or bad. */
export function chinaLocalToDate(value) {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/.test(value || "")) return null;
  const date = new Date(`${value}:00${CHINA_OFFSET}`);
  return Number.isFinite(date.getTime()) ? date : null;
}

/** Where the person was at time `t` (ms): between the two kept points around it, in proportion to their times. */
export function positionAt(points, t) {
  if (t <= points[0].time) return points[0];
  for (let i = 1; i < points.length; i++) {
    const [a, b] = [points[i - 1], points[i]];
    if (t <= b.time) {
      const f = b.time === a.time ? 1 : (t - a.time) / (b.time - a.time);
      return { lat: a.lat + (b.lat - a.lat) * f, lng: a.lng + (b.lng - a.lng) * f, time: t };
    }
  }
  return points[points.length - 1];
}

const TrackPanel = L.Control.extend({
  options: { position: "bottomright" },
  initialize(element) {
    this.element = element;
  },
  onAdd() {
    L.DomEvent.disableClickPropagation(this.element);
    L.DomEvent.disableScrollPropagation(this.element);
    return this.element;
  },
});

export class TrackPlayback {
  constructor(map) {
    this.map = map;
    map.createPane("track").style.zIndex = "620";
    this.renderer = L.svg({ pane: "track" });
    this.layer = L.layerGroup().addTo(map);
    this.panel = null;
    this.abort = null;
    this.frame = 0;
  }

  /** Plays back `worker`'s track from `from` to `to` (Dates). */
  async open(worker, from, to) {
    this.close();
    const abort = new AbortController();
    this.abort = abort;
    const status = el("div", { class: "wall-track-status" }, "轨迹加载中…");
    const close = el("button", { type: "button", class: "wall-track-close", title: "关闭轨迹回放" }, "×");
    close.addEventListener("click", () => this.close());
    const element = el(
      "div",
      { class: "wall-track", id: "wall-track", "data-state": "loading", "data-worker": worker.id },
      el("div", { class: "wall-track-title" }, `${worker.name} · 轨迹回放`, close),
      el("div", { class: "wall-track-period" }, `${chinaDateTime(from)} 至 ${chinaDateTime(to)}`),
      status,
    );
    this.panel = new TrackPanel(element).addTo(this.map);
    try {
      const query = `from=${encodeURIComponent(from.toISOString())}&to=${encodeURIComponent(to.toISOString())}`;
      const track = await getJson(`api/workers/${encodeURIComponent(worker.id)}/track?${query}`, abort.signal);
      if (abort.signal.aborted) return;
      this.show(element, status, track);
    } catch (error) {
      if (abort.signal.aborted) return;
      status.textContent = `轨迹暂不可用:${error.message}`;
      element.dataset.state = "failed";
    }
  }

  show(element, status, track) {
    const points = track.points.map((p) => ({ lat: p.lat, lng: p.lng, time: new Date(p.at).getTime() }));
    element.dataset.points = String(points.length);
    if (points.length === 0) {
      status.textContent = "该时段没有位置记录";
      element.dataset.state = "empty";
      return;
    }
    const line = L.polyline(
      points.map((p) => [p.lat, p.lng]),
      { renderer: this.renderer, color: "#ffd34d", weight: 4, opacity: 0.9, interactive: false },
    );
    const marker = L.circleMarker([points[0].lat, points[0].lng], {
      renderer: this.renderer,
      radius: 8,
      color: "#ffffff",
      weight: 2,
      fillColor: "#ff8a00",
      fillOpacity: 1,
      interactive: false,
    });
    this.layer.addLayer(line).addLayer(marker);
    if (points.length > 1) this.map.flyToBounds(line.getBounds(), { padding: [80, 80], maxZoom: 17, duration: 0.6 });

    const [start, end] = [points[0].time, points[points.length - 1].time];
    // In milliseconds: positions a phone sends in one second still play back one after the other.
    const slider = el("input", { type: "range", class: "wall-track-slider", min: 0, max: end - start, step: 1, value: 0, "aria-label": "回放时间" });
    const time = el("div", { class: "wall-track-time" });
    const moveTo = (offset) => {
      const at = positionAt(points, start + offset);
      marker.setLatLng([at.lat, at.lng]);
      time.textContent = chinaDateTime(at.time);
      Object.assign(element.dataset, { at: new Date(at.time).toISOString(), lat: String(at.lat), lng: String(at.lng) });
    };
    slider.addEventListener("input", () => moveTo(Number(slider.value)));
    moveTo(0);
    status.replaceChildren(`记录 ${track.recorded} 个位置,显示 ${points.length} 个点(误差 ${track.toleranceMetres} 米内)`);
    element.append(time, slider, this.controls(element, slider, moveTo));
    element.dataset.state = "shown";
  }

  /** Play/pause and the speed: playing moves the slider on every animation frame, from wherever it stands, to the end. */
  controls(element, slider, moveTo) {
    const play = el("button", { type: "button", class: "wall-track-toggle" }, "▶ 播放");
    const speed = el(
      "select",
      { class: "wall-track-speed", "aria-label": "回放速度" },
      ...PLAYBACK_SPEEDS.map((s) => el("option", { value: String(s) }, `${s}×`)),
    );
    speed.value = String(DEFAULT_SPEED);
    const setPlaying = (playing) => {
      element.dataset.playing = String(playing);
      play.textContent = playing ? "⏸ 暂停" : "▶ 播放";
    };
    const pause = () => {
      cancelAnimationFrame(this.frame);
      this.frame = 0;
      setPlaying(false);
    };
    const run = () => {
      const max = Number(slider.max);
      if (Number(slider.value) >= max) slider.value = "0";
      let last = performance.now();
      const step = (now) => {
        const value = Math.min(max, Number(slider.value) + (now - last) * Number(speed.value));
        last = now;
        slider.value = String(value);
        moveTo(value);
        if (value >= max) pause();
        else this.frame = requestAnimationFrame(step);
      };
      setPlaying(true);
      this.frame = requestAnimationFrame(step);
    };
    play.addEventListener("click", () => (this.frame ? pause() : run()));
    this.pause = pause;
    setPlaying(false);
    return el("div", { class: "wall-track-controls" }, play, speed);
  }

  close() {
    this.pause?.();
    this.pause = null;
    this.abort?.abort();
    this.abort = null;
    this.layer.clearLayers();
    this.panel?.remove();
    this.panel = null;
  }
}

/**
 * The period chosen in a person's popup as [from, to] Dates: a preset ending now, or the two custom times (CST);
 * null when the custom times are missing, reversed or longer than the server's 7 days.
 */
export function chosenPeriod(choice, fromValue, toValue, now = new Date()) {
  const preset = TRACK_PERIODS.find((p) => p.value === choice && p.hours);
  if (preset) return [new Date(now.getTime() - preset.hours * HOUR), now];
  const [from, to] = [chinaLocalToDate(fromValue), chinaLocalToDate(toValue)];
  if (!from || !to || to <= from || to - from > MAX_PERIOD_HOURS * HOUR) return null;
  return [from, to];
}
