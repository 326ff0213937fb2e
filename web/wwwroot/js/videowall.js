// The video wall (/videowall): 1, 4, 9 or 16 tiles of camera snapshots, refreshed every 1–5 s, filled by hand, by area
// or with the cameras nearest the newest incident (followed live over the wall hub); the layout is saved per person.
//
// It runs for days on a big screen, so it holds nothing that grows: one interval timer for all tiles; a tile fetches
// its next frame only when its last request has finished (a slow camera skips ticks, never piles them up); each tile
// shows frames through one object URL, revoked when the next frame replaces it; a layout change aborts the requests
// and releases the images of the tiles it removes; on pagehide everything is stopped and released.

import { fetchSnapshot, getJson, put } from "./api.js";
import { BlobImage } from "./camera-snapshot.js";
import { chinaDateTime } from "./china-time.js";
import { el } from "./dom.js";
import { CAMERA_STATUS_LABELS, CONNECTION_LABELS, label } from "./labels.js";
import { ConnectionState, FeedFollower } from "./wall-feed.js";

const SAVE_DELAY_MS = 400;
const PICKER_MAX = 200; // cameras listed at once in the picker (the filter narrows the rest)

/** Metres between two points (equirectangular: exact enough within a county). */
function metres(aLat, aLng, bLat, bLng) {
  const rad = Math.PI / 180;
  const x = (bLng - aLng) * rad * Math.cos(((aLat + bLat) / 2) * rad);
  const y = (bLat - aLat) * rad;
  return Math.hypot(x, y) * 6371000;
}

/** Online cameras first, then the others, each group in its given order. */
const onlineFirst = (cameras) => [...cameras.filter((c) => c.status === "online"), ...cameras.filter((c) => c.status !== "online")];

class Tile {
  constructor(index, onPick) {
    this.index = index;
    this.camera = null;
    this.inFlight = null;
    this.img = el("img", { class: "videowall-frame", alt: "", hidden: true });
    this.image = new BlobImage(this.img);
    this.name = el("span", { class: "videowall-name" });
    this.note = el("span", { class: "videowall-note" });
    this.element = el("figure", { class: "videowall-tile", "data-index": String(index) }, this.img, el("figcaption", null, this.name, this.note));
    this.element.addEventListener("click", () => onPick(this));
  }

  show(camera) {
    if (camera && this.camera?.id === camera.id) {
      this.camera = camera;
      this.setStatus();
      return;
    }
    this.stop();
    this.camera = camera;
    this.element.dataset.camera = camera?.id ?? "";
    this.name.textContent = camera ? camera.name : "空";
    this.note.textContent = camera ? "画面加载中…" : "";
    this.element.dataset.state = camera ? "loading" : "empty";
    this.setStatus();
  }

  setStatus() {
    this.element.dataset.status = this.camera?.status ?? "";
    this.element.title = this.camera ? `${this.camera.name} · ${label(CAMERA_STATUS_LABELS, this.camera.status)}` : "点击选择摄像头";
  }

  /** Fetches the next frame unless one is on its way. */
  async refresh() {
    if (!this.camera || this.inFlight) return;
    const abort = new AbortController();
    this.inFlight = abort;
    const camera = this.camera;
    try {
      const { blob, takenAt } = await fetchSnapshot(`api/cameras/${encodeURIComponent(camera.id)}/snapshot`, abort.signal);
      if (abort.signal.aborted) return;
      await this.image.show(blob);
      if (abort.signal.aborted) return;
      this.note.textContent = chinaDateTime(takenAt);
      this.element.dataset.state = "shown";
    } catch (error) {
      if (abort.signal.aborted) return;
      this.note.textContent = `无画面:${error.message}`;
      this.element.dataset.state = "failed";
    } finally {
      if (this.inFlight === abort) this.inFlight = null;
    }
  }

  stop() {
    this.inFlight?.abort();
    this.inFlight = null;
    this.image.release();
  }
}

async function main(root) {
  const scopes = (root.dataset.scopes || "").split(",").filter(Boolean);
  const form = document.getElementById("videowall-controls");
  const grid = document.getElementById("videowall-tiles");
  const stateElement = document.getElementById("videowall-state");
  const picker = document.getElementById("videowall-picker");
  const stopping = new AbortController();

  const lists = await Promise.all(scopes.map((code) => getJson(`api/cameras?jurisdiction=${encodeURIComponent(code)}`, stopping.signal)));
  const cameras = new Map();
  for (const list of lists) for (const camera of list) cameras.set(camera.id, camera);
  let layout = await getJson("api/videowall/layout", stopping.signal);
  let tiles = [];
  let newest = null; // the newest incident seen (mode "incident")
  let fillToken = 0;

  const setState = (text) => {
    stateElement.textContent = text;
  };

  const syncControls = () => {
    form.tiles.value = String(layout.tiles);
    form.mode.value = layout.mode;
    if (layout.area) form.area.value = layout.area;
    form.intervalSeconds.value = String(layout.intervalSeconds);
    form.area.disabled = layout.mode !== "area";
  };

  /** The cameras the tiles show now, by the layout's mode. */
  const chosen = async () => {
    if (layout.mode === "manual") return Array.from({ length: layout.tiles }, (_, i) => cameras.get(layout.cameras?.[i] ?? "") ?? null);
    if (layout.mode === "area") {
      const inArea = await getJson(`api/cameras?jurisdiction=${encodeURIComponent(layout.area || scopes[0])}`, stopping.signal);
      for (const camera of inArea) cameras.set(camera.id, camera);
      return onlineFirst(inArea).slice(0, layout.tiles);
    }
    if (!newest) return [];
    const near = [...cameras.values()].sort(
      (a, b) => metres(newest.latitude, newest.longitude, a.latitude, a.longitude) - metres(newest.latitude, newest.longitude, b.latitude, b.longitude),
    );
    return onlineFirst(near.slice(0, layout.tiles * 2)).slice(0, layout.tiles);
  };

  const fill = async () => {
    const token = ++fillToken;
    const wanted = await chosen();
    if (token !== fillToken) return;
    while (tiles.length > layout.tiles) tiles.pop().stop();
    while (tiles.length < layout.tiles) tiles.push(new Tile(tiles.length, pick));
    grid.dataset.tiles = String(layout.tiles);
    grid.replaceChildren(...tiles.map((t) => t.element));
    tiles.forEach((tile, i) => tile.show(wanted[i] ?? null));
    setState(layout.mode === "incident" ? (newest ? `最新事件:${newest.title}` : "等待新事件…") : "");
    for (const tile of tiles) tile.refresh();
  };

  let saveTimer = 0;
  const save = () => {
    clearTimeout(saveTimer);
    saveTimer = setTimeout(async () => {
      const saved = await put("api/videowall/layout", layout);
      if (!saved.ok) setState("布局未能保存");
    }, SAVE_DELAY_MS);
  };

  let refreshTimer = 0;
  const startRefreshing = () => {
    clearInterval(refreshTimer);
    refreshTimer = setInterval(() => {
      for (const tile of tiles) tile.refresh();
    }, layout.intervalSeconds * 1000);
  };

  form.addEventListener("change", () => {
    const next = {
      ...layout,
      tiles: Number(form.tiles.value),
      mode: form.mode.value,
      area: form.area.value || null,
      intervalSeconds: Number(form.intervalSeconds.value),
    };
    next.cameras = (layout.cameras ?? []).slice(0, next.tiles);
    const intervalChanged = next.intervalSeconds !== layout.intervalSeconds;
    layout = next;
    syncControls();
    if (intervalChanged) startRefreshing();
    fill();
    save();
  });

  // ---- choosing a camera for a tile by hand ----
  const pickerFilter = picker.querySelector("input[name=filter]");
  const pickerList = picker.querySelector(".videowall-picker-list");
  let pickingTile = null;
  const listCameras = () => {
    const text = pickerFilter.value.trim();
    const matching = [...cameras.values()].filter((c) => !text || c.name.includes(text) || c.id.includes(text)).slice(0, PICKER_MAX);
    pickerList.replaceChildren(
      ...matching.map((camera) => {
        const button = el("button", { type: "button", "data-camera": camera.id, "data-status": camera.status }, camera.name, el("small", null, ` ${camera.id} · ${label(CAMERA_STATUS_LABELS, camera.status)}`));
        button.addEventListener("click", () => choose(camera.id));
        return el("li", null, button);
      }),
    );
  };
  const choose = (cameraId) => {
    const index = pickingTile.index;
    const manual = Array.from({ length: layout.tiles }, (_, i) => (layout.mode === "manual" ? layout.cameras?.[i] : tiles[i]?.camera?.id) ?? null);
    manual[index] = cameraId;
    layout = { ...layout, mode: "manual", cameras: manual };
    picker.close();
    syncControls();
    fill();
    save();
  };
  function pick(tile) {
    pickingTile = tile;
    pickerFilter.value = "";
    listCameras();
    picker.showModal();
  }
  pickerFilter.addEventListener("input", listCameras);
  picker.addEventListener("close", () => {
    if (picker.returnValue === "clear" && pickingTile) choose(null);
    pickingTile = null;
    pickerList.replaceChildren();
  });

  // ---- the newest incident and camera status, live over the wall hub (for those who may follow feeds) ----
  const follower = root.dataset.feeds === "true" ? await follow() : null;
  if (!follower && layout.mode === "incident") layout = { ...layout, mode: "area" };

  syncControls();
  await fill();
  startRefreshing();

  window.addEventListener(
    "pagehide",
    () => {
      clearInterval(refreshTimer);
      clearTimeout(saveTimer);
      stopping.abort();
      for (const tile of tiles) tile.stop();
      follower?.stop();
    },
    { once: true },
  );

  async function follow() {
    const home = scopes[0];
    const snapshot = await getJson(`api/feeds/${encodeURIComponent(home)}/snapshot`, stopping.signal);
    const reported = (entries) => entries.filter((e) => e.kind === "incident.reported" && e.incident).map((e) => e.incident);
    newest = reported(snapshot.recent ?? []).at(-1) ?? null;
    const follower = new FeedFollower({
      code: home,
      apply: (entry) => {
        if (entry.kind !== "incident.reported" || !entry.incident) return;
        newest = entry.incident;
        if (layout.mode === "incident") fill();
      },
      positions: () => {},
      cameraStatus: (change) => {
        const camera = cameras.get(change.cameraId);
        if (!camera) return;
        camera.status = change.status;
        for (const tile of tiles) if (tile.camera?.id === camera.id) tile.setStatus();
      },
      reload: async () => {
        const snap = await getJson(`api/feeds/${encodeURIComponent(home)}/snapshot`, stopping.signal);
        newest = reported(snap.recent ?? []).at(-1) ?? newest;
        return snap.head;
      },
      status: (state) => {
        root.dataset.connection = state;
        if (state !== ConnectionState.live) setState(label(CONNECTION_LABELS, state));
      },
    });
    follower.start(snapshot.head);
    return follower;
  }
}

const root = document.getElementById("videowall");
if (root) {
  main(root).catch((error) => {
    console.warn("videowall: failed to start", error);
    const state = document.getElementById("videowall-state");
    if (state) state.textContent = "加载失败,请刷新页面";
  });
}
