// The wall's command-session panel (应急指挥: 领屏/跟随), shown while there is a running session the wall may follow
// (looked for every minute). A wall joins one of them (the list, or ?session= in its address). It then draws, on a layer of its own, the session's area, what the session
// shares (its incidents and cameras, whatever the wall's own jurisdiction) and its markup (标绘), and follows the
// leader's view: centre, zoom, layers, the selected incident or camera, the highlighted area. A follower leaves
// follow mode by moving the map itself (or with the 跟随 button) and comes back with the button. Those who command
// the session's area take the lead (领屏): their wall then sends its view (at most every SEND_EVERY_MS, the last
// one always) and draws markup with the tools. The panel lists the session's latest instructions with their 签收 and
// 回执 tallies, and its video conference (视频会商, conference.js): 加入视频会商 joins it with camera and microphone
// from the panel. Everything from outside (titles, labels, names) is text only.

import { fetchSnapshot, getJson, post, remove } from "./api.js";
import { BlobImage } from "./camera-snapshot.js";
import { chinaDateTime } from "./china-time.js";
import { categoryName } from "./categories.js";
import { el } from "./dom.js";
import { CAMERA_STATUS_LABELS, MARKUP_KIND_LABELS, STATUS_LABELS, label } from "./labels.js";
import { Conference } from "./conference.js";
import { SessionFollower } from "./wall-feed.js";

const SEND_EVERY_MS = 100;
const LIST_RELOAD_MS = 60_000; // a wall not in a session looks for running ones this often
const SHARED_RELOAD_MS = 300; // after a sharing entry, what the session shares is read once this long after the last one
const INSTRUCTIONS_RELOAD_MS = 30_000; // and its instructions this often (deliveries and missed deadlines make no entry)
const INSTRUCTIONS_LISTED = 10;
const MARKUP_STYLE = { color: "#ff9f1a", weight: 3, opacity: 0.95, fillColor: "#ff9f1a", fillOpacity: 0.15 };
const PREVIEW_STYLE = { ...MARKUP_STYLE, dashArray: "6 6" };
const AREA_STYLE = { color: "#ffd166", weight: 2, opacity: 0.9, dashArray: "8 6", fill: false };
const HIGHLIGHT_STYLE = { color: "#ff4d6d", weight: 4, opacity: 1, fill: true, fillColor: "#ff4d6d", fillOpacity: 0.1 };
const SHARED_INCIDENT_STYLE = { radius: 10, color: "#ffd166", weight: 3, fillColor: "#ff4d6d", fillOpacity: 0.9 };
const SHARED_CAMERA_STYLE = { radius: 7, color: "#ffd166", weight: 2, fillOpacity: 0.95 };
const CAMERA_FILL = { online: "#2fbf71", offline: "#ff4d4f", unknown: "#8c9aa8" };
const MIN_POINTS = { line: 2, polygon: 3, circle: 1 };

/** The wall's layer groups by the names a view carries (SessionRules.Layers on the server). */
function layerGroups(wallMap) {
  return {
    gridWorkers: wallMap.people.gridWorkers,
    patrolOfficers: wallMap.people.patrolOfficers,
    cameras: wallMap.cameras.group,
    incidents: wallMap.incidents.group,
  };
}

/** What an open popup shows: { incident } or { camera } by id, from the marker it is bound to. */
function selectionOf(popup) {
  const source = popup?._source;
  if (typeof source?.incident?.id === "string") return { incident: source.incident.id };
  if (typeof source?.camera?.id === "string") return { camera: source.camera.id };
  return null;
}

function parseData(entry) {
  try {
    return JSON.parse(entry.data);
  } catch {
    return {};
  }
}

export class SessionPanel {
  /**
   * @param {object} options
   * @param {HTMLElement} options.root the panel (data-session: a session to join at once)
   * @param {import("./wall-map.js").WallMap} options.wallMap
   * @param {import("./wall-dom.js").IncidentBoard} options.board the wall's incidents (a view selects among them)
   * @param {boolean} options.mayCommand the caller's role commands (领屏, markup) somewhere; each session says whether
   *   it commands that one (the server decides each time)
   * @param {string} options.me the caller's id
   * @param {AbortSignal} options.signal
   */
  constructor({ root, wallMap, board, mayCommand, me, signal }) {
    this.root = root;
    this.wallMap = wallMap;
    this.map = wallMap.map;
    this.board = board;
    this.mayCommand = mayCommand;
    this.me = me;
    this.signal = signal;
    this.session = null; // what /shared answered, kept up to date by the log
    this.commands = false; // the caller commands the joined session's area
    this.runningSessions = 0; // the sessions the picker offers
    this.follower = null;
    this.following = true;
    this.leading = false;
    this.lastLed = null;
    this.applying = false;
    this.selected = null;
    this.highlighted = null;
    this.sendTimer = 0;
    this.lastSentAt = 0;
    this.sharedTimer = 0;
    this.instructionsTimer = 0;
    this.drawing = null;
    this.markups = new Map(); // markup id → { markup, layer, item }
    this.baseBounds = this.map.options.maxBounds ? L.latLngBounds(this.map.options.maxBounds) : null; // the wall's own, again on leaving
    this.baseMinZoom = this.map.getMinZoom();

    this.map.createPane("session").style.zIndex = "600";
    this.renderer = L.svg({ pane: "session", padding: 0.3 });
    this.areaLayer = L.layerGroup().addTo(this.map);
    this.highlightLayer = L.layerGroup().addTo(this.map);
    this.sharedLayer = L.layerGroup().addTo(this.map);
    this.markupLayer = L.layerGroup().addTo(this.map);
    this.previewLayer = L.layerGroup().addTo(this.map);
    this.sharedIncidents = new Map(); // id → marker
    this.sharedCameras = new Map(); // id → marker

    this.build();
    this.map.on("moveend overlayadd overlayremove", () => this.viewChanged());
    this.map.on("popupopen", (e) => {
      this.selected = selectionOf(e.popup);
      this.viewChanged();
    });
    this.map.on("popupclose", () => {
      this.selected = null;
      this.viewChanged();
    });
    this.map.on("dragstart", () => this.leaveFollow());
    this.map.getContainer().addEventListener("wheel", () => this.leaveFollow(), { passive: true });
    this.map.on("click", (e) => this.addPoint(e.latlng));
  }

  build() {
    const button = (text, className, onClick) => {
      const b = el("button", { type: "button", class: className }, text);
      b.addEventListener("click", onClick);
      return b;
    };
    this.select = el("select", { class: "wall-session-select", "aria-label": "进行中的指挥会话" });
    this.joinButton = button("加入", "wall-session-join", () => this.select.value && this.join(this.select.value));
    this.title = el("p", { class: "wall-session-title" });
    this.leader = el("p", { class: "wall-session-leader" });
    this.followButton = button("跟随", "wall-session-follow", () => (this.following ? this.leaveFollow() : this.follow()));
    this.leadButton = button("领屏", "wall-session-lead", () => this.lead());
    this.releaseButton = button("结束领屏", "wall-session-release", () => this.release());
    this.highlightButton = button("高亮会话区域", "wall-session-highlight", () => this.toggleHighlight());
    this.leaveButton = button("离开会话", "wall-session-leave", () => this.leave());
    this.labelInput = el("input", { type: "text", class: "wall-session-label", maxlength: "60", placeholder: "标注文字(如:警戒区)", "aria-label": "标注文字" });
    this.toolButtons = Object.entries(MARKUP_KIND_LABELS).map(([kind, text]) => {
      const b = button(text, "wall-session-tool", () => this.startDrawing(kind));
      b.dataset.kind = kind;
      return b;
    });
    this.finishButton = button("完成标绘", "wall-session-finish", () => this.finishDrawing());
    this.cancelButton = button("取消", "wall-session-cancel", () => this.stopDrawing());
    this.hint = el("span", { class: "wall-session-hint" });
    this.tools = el(
      "div",
      { class: "wall-session-tools", hidden: true },
      el("span", { class: "wall-session-tools-label" }, "标绘"),
      ...this.toolButtons,
      this.labelInput,
      this.finishButton,
      this.cancelButton,
      this.hint,
    );
    this.markupList = el("ol", { class: "wall-session-markup", "aria-label": "标绘" });
    this.instructionList = el("ol", { class: "wall-session-instructions", "aria-label": "会话指令" });
    this.conferenceJoin = button("加入视频会商", "conference-join", () => this.conference?.start());
    this.conferenceLeave = button("退出", "conference-leave", () => this.conference?.stop());
    this.conferenceRoot = el(
      "section",
      { class: "conference wall-session-conference", "data-state": "idle", "data-active": "false", "aria-label": "视频会商" },
      el("h2", null, "视频会商", this.conferenceJoin, this.conferenceLeave, el("span", { class: "conference-status", "data-conference-status": "" }, "未加入")),
      el("div", { class: "conference-tiles", "data-conference-tiles": "" }),
    );
    this.message = el("p", { class: "wall-session-message", role: "status" });
    this.body = el(
      "div",
      { class: "wall-session-body", hidden: true },
      this.title,
      this.leader,
      el("div", { class: "wall-session-actions" }, this.followButton, this.leadButton, this.releaseButton, this.highlightButton, this.leaveButton),
      this.tools,
      this.markupList,
      this.instructionList,
      this.conferenceRoot,
    );
    this.picker = el("div", { class: "wall-session-pick" }, this.select, this.joinButton);
    this.root.replaceChildren(el("h2", null, "指挥会话"), this.picker, this.body, this.message);
  }

  async start() {
    const timer = setInterval(() => this.session || this.list(), LIST_RELOAD_MS);
    const instructions = setInterval(() => this.session && this.loadInstructions(), INSTRUCTIONS_RELOAD_MS);
    this.signal.addEventListener(
      "abort",
      () => {
        clearInterval(timer);
        clearInterval(instructions);
      },
      { once: true },
    );
    await this.list();
    if (this.root.dataset.session) await this.join(this.root.dataset.session);
  }

  stop() {
    clearTimeout(this.sendTimer);
    clearTimeout(this.sharedTimer);
    clearTimeout(this.instructionsTimer);
    this.follower?.stop();
  }

  /** The running sessions the caller may follow, in the picker. */
  async list() {
    try {
      const sessions = await getJson("api/command-sessions?open=true", this.signal);
      this.select.replaceChildren(
        el("option", { value: "" }, "选择进行中的指挥会话"),
        ...sessions.map((s) => el("option", { value: s.id }, `${s.title} · ${s.areaName}`)),
      );
      this.runningSessions = sessions.length;
      this.show();
    } catch (error) {
      this.say(`无法读取指挥会话:${error.message}`);
    }
  }

  async join(id) {
    await this.leave();
    let shared;
    try {
      shared = await getJson(`api/command-sessions/${encodeURIComponent(id)}/shared`, this.signal);
    } catch (error) {
      this.say(`无法加入该会话:${error.message}`);
      return;
    }
    this.session = shared;
    this.commands = this.mayCommand && shared.mayCommand;
    this.root.dataset.joined = shared.session;
    this.drawArea(shared.area);
    this.drawShared(shared);
    for (const markup of shared.markup) this.addMarkup(markup);
    this.setLeader(shared.leader, shared.leaderName);
    this.following = shared.leader !== this.me;
    this.follower = new SessionFollower({
      session: shared.session,
      apply: (entry) => this.apply(entry),
      fill: async (after) => (await getJson(`api/command-sessions/${encodeURIComponent(shared.session)}/log?after=${after}`, this.signal)).entries,
      status: (state) => (this.root.dataset.connection = state),
      view: (led) => this.received(led),
    });
    this.follower.last = shared.head;
    if (shared.view && this.following) this.received(shared.view);
    else this.fitArea();
    this.follower.start();
    this.loadInstructions();
    if (shared.open) {
      this.conference = new Conference(this.conferenceRoot, shared.session);
      this.conference.resume();
    }
    this.conferenceRoot.hidden = !shared.open;
    this.show();
  }

  async leave() {
    if (!this.session) return;
    this.stopDrawing();
    clearTimeout(this.sendTimer);
    await this.follower?.stop();
    this.follower = null;
    this.conference?.stop();
    this.conference = null;
    this.session = null;
    this.leading = false;
    this.lastLed = null;
    this.highlight(null);
    for (const layer of [this.areaLayer, this.sharedLayer, this.markupLayer]) layer.clearLayers();
    this.sharedIncidents.clear();
    this.sharedCameras.clear();
    this.markups.clear();
    this.markupList.replaceChildren();
    this.instructionList.replaceChildren();
    this.map.setMaxBounds(this.baseBounds);
    this.map.setMinZoom(this.baseMinZoom);
    delete this.root.dataset.joined;
    delete this.root.dataset.viewVersion;
    this.show();
  }

  // ---- the session's log ---------------------------------------------------------------------------------------

  apply(entry) {
    const data = parseData(entry);
    switch (entry.kind) {
      case "view.led":
        this.setLeader(data.leader, data.leaderName);
        break;
      case "view.released":
        this.setLeader(null, null);
        break;
      case "markup.drawn":
        this.addMarkup(data);
        break;
      case "markup.removed":
        this.removeMarkup(data.markup);
        break;
      case "session.shared":
        clearTimeout(this.sharedTimer);
        this.sharedTimer = setTimeout(() => this.reloadShared(), SHARED_RELOAD_MS);
        break;
      case "instruction.issued":
      case "instruction.signed":
      case "instruction.reported":
      case "instruction.escalated":
        clearTimeout(this.instructionsTimer);
        this.instructionsTimer = setTimeout(() => this.loadInstructions(), SHARED_RELOAD_MS);
        break;
      case "session.closed":
        this.session.open = false;
        this.setLeader(null, null);
        break;
    }
  }

  setLeader(leader, leaderName) {
    if (!this.session) return;
    this.session.leader = leader ?? null;
    this.session.leaderName = leaderName ?? null;
    const wasLeading = this.leading;
    this.leading = leader === this.me && this.session.open;
    if (this.leading) this.following = false;
    else this.stopDrawing();
    if (this.leading && !wasLeading) this.sendNow();
    this.show();
  }

  async reloadShared() {
    if (!this.session) return;
    try {
      const shared = await getJson(`api/command-sessions/${encodeURIComponent(this.session.session)}/shared`, this.signal);
      this.session.incidents = shared.incidents;
      this.session.cameras = shared.cameras;
      this.drawShared(shared);
    } catch (error) {
      this.say(`无法读取会话共享内容:${error.message}`);
    }
  }

  /**
   * The session's latest instructions with how many of the recipients this wall may see signed and reported back
   * (a station sees its own part), red when a deadline passed unmet.
   */
  async loadInstructions() {
    if (!this.session) return;
    try {
      const instructions = await getJson(
        `api/instructions?session=${encodeURIComponent(this.session.session)}&limit=${INSTRUCTIONS_LISTED}`,
        this.signal,
      );
      this.instructionList.replaceChildren(
        ...instructions.map((i) => {
          const t = i.tally;
          const missed = t.signMissed + t.reportMissed > 0;
          return el(
            "li",
            { "data-instruction-id": i.id, class: missed ? "is-missed" : null },
            el("span", { class: "wall-session-instruction-text" }, i.text),
            el("span", { class: "wall-session-instruction-tally" }, `签收 ${t.signed}/${t.recipients} · 回执 ${t.reported}/${t.recipients}`),
          );
        }),
      );
      this.root.dataset.instructions = String(instructions.length);
    } catch (error) {
      this.say(`无法读取会话指令:${error.message}`);
    }
  }

  // ---- following -----------------------------------------------------------------------------------------------

  received(led) {
    this.lastLed = led;
    if (this.leading) return;
    if (this.following) this.applyView(led);
  }

  follow() {
    this.following = true;
    if (this.lastLed) this.applyView(this.lastLed);
    this.show();
  }

  leaveFollow() {
    if (!this.session || this.leading || !this.following || this.applying) return;
    this.following = false;
    this.show();
  }

  applyView(led) {
    const view = led.view;
    this.applying = true;
    try {
      this.map.setView([view.lat, view.lng], view.zoom, { animate: false });
      const wanted = new Set(Array.isArray(view.layers) ? view.layers : []);
      for (const [name, group] of Object.entries(layerGroups(this.wallMap))) {
        if (wanted.has(name) && !this.map.hasLayer(group)) this.map.addLayer(group);
        if (!wanted.has(name) && this.map.hasLayer(group)) this.map.removeLayer(group);
      }
      this.showSelection(view);
      this.highlight(view.highlight ?? null);
    } finally {
      this.applying = false;
    }
    this.root.dataset.viewVersion = String(led.version);
    this.root.dataset.viewAppliedAt = String(Date.now());
  }

  /** Opens the popup of the incident or camera the leader selected, when this wall shows it; else closes any. */
  showSelection(view) {
    const wanted = view.selectedIncident ? { incident: view.selectedIncident } : view.selectedCamera ? { camera: view.selectedCamera } : null;
    const current = this.selected;
    if (wanted && current && wanted.incident === current.incident && wanted.camera === current.camera) return;
    const marker = wanted?.incident
      ? (this.board.records.get(wanted.incident)?.marker ?? this.sharedIncidents.get(wanted.incident))
      : wanted?.camera
        ? (this.wallMap.cameras.markers.get(wanted.camera) ?? this.sharedCameras.get(wanted.camera))
        : null;
    if (marker) marker.openPopup();
    else this.map.closePopup();
  }

  // ---- leading -------------------------------------------------------------------------------------------------

  async lead() {
    const result = await post(`api/command-sessions/${encodeURIComponent(this.session.session)}/lead`, {});
    if (!result.ok) return this.say(`领屏失败:${result.error}`);
    this.setLeader(result.data.leader, result.data.leaderName);
  }

  async release() {
    const result = await remove(`api/command-sessions/${encodeURIComponent(this.session.session)}/lead`);
    if (!result.ok) return this.say(`结束领屏失败:${result.error}`);
    this.setLeader(result.data.leader, result.data.leaderName);
  }

  toggleHighlight() {
    this.highlight(this.highlighted ? null : this.session.area.code);
    this.viewChanged();
    this.show();
  }

  currentView() {
    const center = this.map.getCenter();
    const layers = Object.entries(layerGroups(this.wallMap))
      .filter(([, group]) => this.map.hasLayer(group))
      .map(([name]) => name);
    return {
      lat: center.lat,
      lng: center.lng,
      zoom: this.map.getZoom(),
      layers,
      selectedIncident: this.selected?.incident ?? null,
      selectedCamera: this.selected?.camera ?? null,
      highlight: this.highlighted,
    };
  }

  /** The view changed: a leading wall sends it, at most every SEND_EVERY_MS and always the last one. */
  viewChanged() {
    if (!this.leading || this.applying) return;
    const wait = this.lastSentAt + SEND_EVERY_MS - Date.now();
    if (wait <= 0) this.sendNow();
    else if (!this.sendTimer) this.sendTimer = setTimeout(() => this.sendNow(), wait);
  }

  async sendNow() {
    clearTimeout(this.sendTimer);
    this.sendTimer = 0;
    if (!this.leading || !this.follower) return;
    const startedAt = Date.now();
    this.lastSentAt = startedAt;
    try {
      const version = await this.follower.shareView(this.currentView());
      // Sends overlap: the panel shows the latest view sent (and when its send began), whichever answer comes last.
      if (!(Number(this.root.dataset.viewSent) >= version)) {
        this.root.dataset.viewSent = String(version);
        this.root.dataset.viewSentAt = String(startedAt);
      }
    } catch (error) {
      this.say(`共享视图失败:${error.message}`);
    }
  }

  // ---- markup --------------------------------------------------------------------------------------------------

  startDrawing(kind) {
    this.stopDrawing();
    this.drawing = { kind, points: [], radius: null };
    this.map.doubleClickZoom.disable();
    this.map.getContainer().classList.add("is-drawing");
    this.hint.textContent = kind === "circle" ? "在地图上点击圆心,再点击确定半径" : "在地图上依次点击各点";
    this.show();
  }

  stopDrawing() {
    this.drawing = null;
    this.previewLayer.clearLayers();
    this.map.doubleClickZoom.enable();
    this.map.getContainer().classList.remove("is-drawing");
    this.hint.textContent = "";
    this.show();
  }

  addPoint(latlng) {
    const d = this.drawing;
    if (!d) return;
    if (d.kind === "circle" && d.points.length === 1) d.radius = Math.round(this.map.distance(d.points[0], latlng));
    else if (d.kind !== "circle" || d.points.length === 0) d.points.push(latlng);
    this.previewLayer.clearLayers();
    const layer = shapeOf(d.kind, d.points, d.radius, PREVIEW_STYLE, this.renderer);
    if (layer) this.previewLayer.addLayer(layer);
    this.root.dataset.drawnPoints = String(d.points.length);
  }

  async finishDrawing() {
    const d = this.drawing;
    if (!d) return;
    const text = this.labelInput.value.trim();
    if (d.points.length < MIN_POINTS[d.kind] || (d.kind === "circle" && !(d.radius > 0))) return this.say("请先在地图上点够标绘的点。");
    if (!text) return this.say("请填写标注文字。");
    const result = await post(`api/command-sessions/${encodeURIComponent(this.session.session)}/markup`, {
      kind: d.kind,
      points: d.points.map((p) => [p.lat, p.lng]),
      radius: d.kind === "circle" ? d.radius : undefined,
      label: text,
    });
    if (!result.ok) return this.say(`标绘失败:${result.error}`);
    this.addMarkup(result.data);
    this.labelInput.value = "";
    this.stopDrawing();
  }

  addMarkup(markup) {
    if (!markup || typeof markup.id !== "string" || this.markups.has(markup.id) || !Array.isArray(markup.points)) return;
    const points = markup.points.filter((p) => Array.isArray(p) && p.length === 2).map(([lat, lng]) => L.latLng(lat, lng));
    const layer = shapeOf(markup.kind, points, markup.radius, { ...MARKUP_STYLE, className: "wall-markup" }, this.renderer);
    if (!layer) return;
    layer.bindTooltip(el("span", null, String(markup.label ?? "")), {
      permanent: true,
      direction: "center",
      className: "wall-markup-label",
      interactive: false,
    });
    this.markupLayer.addLayer(layer);
    const removeButton = this.commands ? el("button", { type: "button", class: "wall-session-markup-remove", "aria-label": "撤除" }, "撤除") : null;
    removeButton?.addEventListener("click", () => this.unmark(markup.id));
    const item = el(
      "li",
      { "data-markup-id": markup.id },
      el("span", { class: "wall-session-markup-kind" }, label(MARKUP_KIND_LABELS, markup.kind)),
      el("span", { class: "wall-session-markup-label" }, String(markup.label ?? "")),
      el("span", { class: "wall-session-markup-by" }, String(markup.drawnByName ?? "")),
      removeButton,
    );
    this.markupList.append(item);
    this.markups.set(markup.id, { markup, layer, item });
    this.root.dataset.markup = String(this.markups.size);
  }

  removeMarkup(id) {
    const found = this.markups.get(id);
    if (!found) return;
    this.markupLayer.removeLayer(found.layer);
    found.item.remove();
    this.markups.delete(id);
    this.root.dataset.markup = String(this.markups.size);
  }

  async unmark(id) {
    const result = await remove(`api/command-sessions/${encodeURIComponent(this.session.session)}/markup/${encodeURIComponent(id)}`);
    if (!result.ok) return this.say(`撤除失败:${result.error}`);
    this.removeMarkup(id);
  }

  // ---- what the session shares ---------------------------------------------------------------------------------

  /**
   * The session's area: its outline; and while the wall is in the session its map may go anywhere (a station follows
   * the leader out of its own area: what it sees there is still only what it may see or the session shares).
   */
  drawArea(area) {
    this.areaLayer.clearLayers();
    for (const ring of area.rings) {
      this.areaLayer.addLayer(L.polygon(ring, { ...AREA_STYLE, renderer: this.renderer, interactive: false }));
    }
    this.map.setMaxBounds(null);
    this.map.setMinZoom(0);
  }

  /** The session's area fills the map (on joining, when there is no leader's view to show yet). */
  fitArea() {
    const [south, west, north, east] = this.session.area.bounds;
    this.applying = true;
    try {
      this.map.fitBounds(L.latLngBounds([south, west], [north, east]), { padding: [20, 20], animate: false });
    } finally {
      this.applying = false;
    }
  }

  drawShared(shared) {
    this.sharedLayer.clearLayers();
    this.sharedIncidents.clear();
    this.sharedCameras.clear();
    for (const incident of shared.incidents) {
      const marker = L.circleMarker([incident.lat, incident.lng], { ...SHARED_INCIDENT_STYLE, renderer: this.renderer, className: "wall-shared-incident" });
      marker.incident = { id: incident.id };
      marker.bindPopup(() =>
        el(
          "div",
          { class: "wall-popup-body" },
          el("div", { class: "wall-popup-title" }, incident.title),
          el("div", { class: "wall-popup-row" }, `${categoryName(incident.category)} · ${label(STATUS_LABELS, incident.status)}`),
          el("div", { class: "wall-popup-row" }, `${incident.gridName} · ${chinaDateTime(incident.reportedAt)}`),
          el("div", { class: "wall-popup-row wall-shared-note" }, "指挥会话共享"),
        ),
      );
      this.sharedIncidents.set(incident.id, marker);
      this.sharedLayer.addLayer(marker);
    }
    for (const camera of shared.cameras) {
      const marker = L.circleMarker([camera.lat, camera.lng], {
        ...SHARED_CAMERA_STYLE,
        fillColor: CAMERA_FILL[camera.status] ?? CAMERA_FILL.unknown,
        renderer: this.renderer,
        className: "wall-shared-camera",
      });
      marker.camera = { id: camera.id };
      marker.bindPopup(() => this.cameraPopup(camera));
      this.sharedCameras.set(camera.id, marker);
      this.sharedLayer.addLayer(marker);
    }
    this.root.dataset.sharedIncidents = String(shared.incidents.length);
    this.root.dataset.sharedCameras = String(shared.cameras.length);
  }

  /** A shared camera's latest frame, through the session (the camera may lie outside this wall's jurisdiction). */
  cameraPopup(camera) {
    const img = el("img", { class: "wall-snapshot", alt: `${camera.name} 实时画面`, hidden: true });
    const note = el("div", { class: "wall-snapshot-note" }, "画面加载中…");
    const image = new BlobImage(img);
    fetchSnapshot(`api/command-sessions/${encodeURIComponent(this.session.session)}/cameras/${encodeURIComponent(camera.id)}/snapshot`, this.signal)
      .then(async ({ blob, takenAt }) => {
        await image.show(blob);
        note.textContent = `画面时间 ${chinaDateTime(takenAt)}`;
      })
      .catch((error) => {
        image.release();
        note.textContent = `无法取得画面:${error.message}`;
      });
    this.map.once("popupclose", () => image.release());
    return el(
      "div",
      { class: "wall-popup-body wall-camera-popup", "data-camera": camera.id },
      el("div", { class: "wall-popup-title" }, camera.name),
      el("div", { class: "wall-popup-row" }, `${camera.gridName} · ${label(CAMERA_STATUS_LABELS, camera.status)}`),
      img,
      note,
    );
  }

  /** Outlines an area: the session's own, or one of this wall's areas. */
  highlight(code) {
    this.highlighted = code;
    this.highlightLayer.clearLayers();
    if (!code || !this.session) return;
    if (code === this.session.area.code) {
      for (const ring of this.session.area.rings) {
        this.highlightLayer.addLayer(L.polygon(ring, { ...HIGHLIGHT_STYLE, renderer: this.renderer, interactive: false, className: "wall-highlight" }));
      }
    } else if (this.wallMap.outlines.geometryOf(code)) {
      this.highlightLayer.addLayer(
        L.geoJSON(this.wallMap.outlines.geometryOf(code), {
          style: () => ({ ...HIGHLIGHT_STYLE, className: "wall-highlight" }),
          renderer: this.renderer,
          interactive: false,
        }),
      );
    }
  }

  // ---- the panel -----------------------------------------------------------------------------------------------

  show() {
    const s = this.session;
    // A wall with no running session to follow keeps the side for its lists.
    this.root.hidden = !s && !this.runningSessions;
    this.picker.hidden = Boolean(s);
    this.body.hidden = !s;
    this.root.dataset.following = String(Boolean(s) && this.following && !this.leading);
    this.root.dataset.leading = String(this.leading);
    if (!s) return;
    this.title.textContent = s.open ? `${s.title} · ${s.area.name}` : `${s.title}(已结束)`;
    this.leader.textContent = s.leaderName ? `领屏:${s.leaderName}` : "无人领屏";
    this.followButton.hidden = this.leading;
    this.followButton.textContent = this.following ? "跟随中 · 点击退出" : "回到跟随";
    this.followButton.classList.toggle("is-on", this.following);
    this.leadButton.hidden = !this.commands || this.leading || !s.open;
    this.releaseButton.hidden = !this.commands || !s.leader || !s.open;
    this.highlightButton.hidden = !this.leading;
    this.highlightButton.textContent = this.highlighted ? "取消高亮" : "高亮会话区域";
    this.tools.hidden = !this.leading;
    for (const b of this.toolButtons) b.classList.toggle("is-on", this.drawing?.kind === b.dataset.kind);
    this.finishButton.hidden = this.cancelButton.hidden = !this.drawing;
  }

  say(text) {
    this.message.textContent = text;
  }
}

/** A shape of markup as a Leaflet layer; null while it has too few points. */
function shapeOf(kind, points, radius, style, renderer) {
  if (kind === "circle") {
    return points.length === 1 ? L.circle(points[0], { ...style, radius: radius > 0 ? radius : 1, renderer }) : null;
  }
  if (kind === "polygon") return points.length >= 2 ? L.polygon(points, { ...style, renderer }) : null;
  return points.length >= 1 ? L.polyline(points, { ...style, fill: false, renderer }) : null;
}
