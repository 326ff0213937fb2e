// The popups of the wall's map: a person, a camera with its live snapshot, an incident with the frames cameras near
// it took and, for a dispatcher, the nearest people free to go. Each popup keeps what it holds (its request, its images' object URLs) on its marker's popupState and lets
// go of it when it closes or is drawn again.

import { fetchImage, fetchSnapshot, getJson } from "./api.js";
import { BlobImage } from "./camera-snapshot.js";
import { chinaDateTime } from "./china-time.js";
import { categoryName } from "./categories.js";
import { el } from "./dom.js";
import {
  CAMERA_STATUS_LABELS,
  DUTY_LABELS,
  GRID_NOTE_LABELS,
  LOST_CONTACT_LABEL,
  OPEN_STATUSES,
  ROLE_LABELS,
  SOURCE_LABELS,
  STATUS_LABELS,
  distanceText,
  label,
} from "./labels.js";
import { TRACK_PERIODS, chosenPeriod } from "./wall-track.js";

const EVIDENCE_SHOWN = 3; // camera frames shown in an incident's popup
const RESPONDERS_SHOWN = 3; // nearest responders shown in an open incident's popup
const POPUP_OPTIONS = { className: "wall-popup", maxWidth: 560, autoPanPadding: [40, 40] };

function row(name, value) {
  return el("div", { class: "wall-popup-row" }, el("span", { class: "wall-popup-key" }, name), el("span", { class: "wall-popup-value" }, value));
}

export class WallPopups {
  /**
   * @param {L.Map} map the wall's map
   * @param {(code: string) => string} placeName the name of a grid with its ancestors (OutlineLayer.placeName)
   * @param {(worker: object, from: Date, to: Date) => void} playTrack plays back a person's track (TrackPlayback.open)
   * @param {boolean} mayDispatch the caller's role dispatches: open incidents show their nearest responders
   */
  constructor(map, placeName, playTrack, mayDispatch) {
    this.map = map;
    this.placeName = placeName;
    this.playTrack = playTrack;
    this.mayDispatch = mayDispatch;
  }

  /** The person is marker.worker, their last position and status marker.presence, read when the popup opens. */
  bindWorker(marker) {
    marker.bindPopup(() => this.workerPopup(marker), { className: "wall-popup" });
  }

  /** The person of an open popup moved or changed status. */
  redrawWorker(marker) {
    if (marker.isPopupOpen()) marker.setPopupContent(this.workerPopup(marker));
  }

  /** The camera is marker.camera, read when the popup opens. */
  bindCamera(marker) {
    marker.bindPopup(() => this.cameraPopup(marker), POPUP_OPTIONS);
    marker.on("popupclose", () => this.release(marker));
  }

  /** The incident is marker.incident, read when the popup opens. */
  bindIncident(marker) {
    marker.bindPopup(() => this.incidentPopup(marker), POPUP_OPTIONS);
    marker.on("popupclose", () => this.release(marker));
  }

  /** The incident of an open popup changed: the popup shows its new state. */
  redrawIncident(marker) {
    if (marker.isPopupOpen()) marker.setPopupContent(this.incidentPopup(marker));
  }

  /** The camera of an open popup changed status. */
  cameraStatusChanged(marker) {
    if (marker.isPopupOpen()) marker.popupState?.status.replaceChildren(label(CAMERA_STATUS_LABELS, marker.camera.status));
  }

  workerPopup(marker) {
    const { worker, presence } = marker;
    const status = presence ? label(DUTY_LABELS, presence.status) : "未上报位置";
    return el(
      "div",
      { class: "wall-popup-body", "data-worker": worker.id },
      el("div", { class: "wall-popup-title" }, worker.name),
      row("身份", label(ROLE_LABELS, worker.role)),
      row("网格", this.placeName(worker.gridCode)),
      row("状态", presence?.lostContact ? `${status} · ${LOST_CONTACT_LABEL}` : status),
      presence ? row("位置时间", chinaDateTime(presence.at)) : null,
      presence?.outsideGrid ? row("位置", GRID_NOTE_LABELS.leftGrid) : null,
      this.trackChooser(worker),
    );
  }

  /** 轨迹回放: a period (a preset ending now, or two CST times) and the button that plays it back. */
  trackChooser(worker) {
    const period = el("select", { class: "wall-track-choice", "aria-label": "回放时段" },
      ...TRACK_PERIODS.map((p) => el("option", { value: p.value }, p.label)));
    const from = el("input", { type: "datetime-local", class: "wall-track-from", "aria-label": "开始时间(北京时间)" });
    const to = el("input", { type: "datetime-local", class: "wall-track-to", "aria-label": "结束时间(北京时间)" });
    const custom = el("div", { class: "wall-track-custom", hidden: true }, from, "至", to);
    const note = el("div", { class: "wall-track-note" });
    period.addEventListener("change", () => (custom.hidden = period.value !== "custom"));
    const play = el("button", { type: "button", class: "wall-track-play" }, "轨迹回放");
    play.addEventListener("click", () => {
      const chosen = chosenPeriod(period.value, from.value, to.value);
      note.textContent = chosen ? "" : "请填写开始和结束时间:结束晚于开始,最长7天";
      if (chosen) this.playTrack(worker, ...chosen);
    });
    return el("div", { class: "wall-track-chooser" }, el("div", { class: "wall-popup-row" }, period, play), custom, note);
  }

  /** The camera's popup: name, grid, status and its snapshot, taken when the popup opens and again on 刷新. */
  cameraPopup(marker) {
    this.release(marker);
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
        const { blob, takenAt } = await fetchSnapshot(`api/cameras/${encodeURIComponent(camera.id)}/snapshot`, abort.signal);
        if (abort.signal.aborted) return;
        await state.image.show(blob);
        if (abort.signal.aborted) return;
        note.textContent = `画面时间 ${chinaDateTime(takenAt)}`;
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

  /** An incident's facts and its evidence: the frames cameras near it took when it was reported (loaded on opening). */
  incidentPopup(marker) {
    this.release(marker);
    const incident = marker.incident;
    const evidence = el("div", { class: "wall-evidence", "data-state": "loading" }, "取证中…");
    const state = { abort: new AbortController(), thumbnails: [] };
    marker.popupState = state;
    // What arrives after the popup opened makes it taller (it grows upwards): the map pans to keep it in view.
    const relayout = () => {
      if (marker.isPopupOpen()) this.keepInView(marker.getPopup());
    };
    this.loadEvidence(incident.id, evidence, state, relayout);
    const responders = this.mayDispatch && OPEN_STATUSES.includes(incident.status) ? this.responders(incident.id, state, relayout) : [];
    return el(
      "div",
      { class: "wall-popup-body", "data-incident": incident.id },
      el("div", { class: "wall-popup-title" }, incident.title),
      row("类别", categoryName(incident.category)),
      row("来源", label(SOURCE_LABELS, incident.source)),
      row("网格", this.placeName(incident.gridCode)),
      row("时间", chinaDateTime(incident.reportedAt)),
      row("状态", label(STATUS_LABELS, incident.status)),
      incident.overdue ? row("时限", "已超期") : null,
      incident.supervisedBy ? row("督办", incident.supervisedBy) : null,
      ...responders,
      el("div", { class: "wall-popup-key wall-evidence-title" }, "周边摄像头取证"),
      evidence,
    );
  }

  /** 就近可派: the nearest people free to go (loaded on opening) and the way to the console to dispatch. */
  responders(incidentId, state, relayout) {
    const list = el("ol", { class: "wall-responders", "data-state": "loading" }, el("li", null, "查找中…"));
    const path = encodeURIComponent(incidentId);
    getJson(`api/incidents/${path}/responders?limit=${RESPONDERS_SHOWN}`, state.abort.signal).then(
      (responders) => {
        list.replaceChildren(
          ...(responders.length
            ? responders.map((r) =>
                el(
                  "li",
                  { "data-worker": r.workerId },
                  el("strong", null, r.name),
                  ` ${distanceText(r.distanceMeters)} · ${label(DUTY_LABELS, r.status)}${r.policeBound ? " · 驻格民警" : ""} · ${r.gridName}`,
                ),
              )
            : [el("li", null, "附近没有在岗人员")]),
        );
        list.dataset.state = "shown";
        relayout();
      },
      (error) => {
        if (state.abort.signal.aborted) return;
        list.replaceChildren(el("li", null, `暂不可用:${error.message}`));
        list.dataset.state = "failed";
        relayout();
      },
    );
    return [
      el("div", { class: "wall-popup-key wall-evidence-title" }, "就近可派人员 ", el("a", { href: `/console/${path}`, class: "wall-dispatch-link" }, "去派单")),
      list,
    ];
  }

  async loadEvidence(incidentId, container, state, relayout) {
    const { signal } = state.abort;
    try {
      const attachments = await getJson(`api/incidents/${encodeURIComponent(incidentId)}/attachments`, signal);
      const photos = attachments.filter((p) => typeof p.uploadedBy === "string" && p.uploadedBy.startsWith("camera:"));
      if (signal.aborted) return;
      if (photos.length === 0) {
        container.textContent = "取证中…(附近摄像头的画面稍后到达)";
        container.dataset.state = "none";
        relayout();
        return;
      }
      container.replaceChildren();
      for (const photo of photos.slice(0, EVIDENCE_SHOWN)) {
        const img = el("img", { class: "wall-evidence-photo", alt: `${photo.uploadedBy.slice(7)} 取证画面`, title: photo.uploadedBy.slice(7) });
        const image = new BlobImage(img);
        state.thumbnails.push(image);
        container.append(img);
        await image.show(await fetchImage(photo.url.replace(/^\//, ""), signal));
        relayout();
      }
      container.dataset.state = "shown";
    } catch (error) {
      if (signal.aborted) return;
      container.textContent = `取证画面暂不可用:${error.message}`;
      container.dataset.state = "failed";
      relayout();
    }
  }

  /** Pans the map so that the open popup lies within it, POPUP_OPTIONS.autoPanPadding from its edges. */
  keepInView(popup) {
    const element = popup.getElement();
    if (!element) return;
    const [padX, padY] = POPUP_OPTIONS.autoPanPadding;
    const box = element.getBoundingClientRect();
    const area = this.map.getContainer().getBoundingClientRect();
    const dy = Math.min(0, box.top - area.top - padY);
    const dx = Math.min(0, box.left - area.left - padX) || Math.max(0, box.right - area.right + padX);
    if (dx !== 0 || dy !== 0) this.map.panBy([dx, dy], { animate: false });
  }

  /** Lets go of what an open popup holds: its request and its images' object URLs. */
  release(marker) {
    const state = marker.popupState;
    if (!state) return;
    state.abort?.abort();
    state.image?.release();
    for (const image of state.thumbnails ?? []) image.release();
    marker.popupState = null;
  }
}
