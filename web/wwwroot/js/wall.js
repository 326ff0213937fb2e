// The command-center wall (/wall, /wall/{code}): map, live incidents, counters, clock and connection state.
// Loaded as a module by Components/Pages/Wall.razor after leaflet.js and signalr.min.js.
//
// Data from reports (titles, categories, names) only ever reaches the page as text nodes; no HTML strings of data.
// Meant to run for days: bounded marker and list sizes, one interval, listeners registered once.

import { delay, getJson } from "./api.js";
import { chinaClock, chinaDay } from "./china-time.js";
import { el } from "./dom.js";
import { CONNECTION_LABELS, label } from "./labels.js";
import { Counters, IncidentBoard, MAX_MARKERS, SupervisionList } from "./wall-dom.js";
import { ConnectionState, FeedFollower } from "./wall-feed.js";
import { WallMap } from "./wall-map.js";
import { LEVELS } from "./wall-map-outlines.js";
import { MissedPatrols } from "./wall-patrols.js";
import { EscalatedAlerts } from "./wall-alerts.js";
import { EscalatedInstructions, InstructionBanner } from "./wall-instructions.js";
import { RollCallBanner } from "./roll-call.js";
import { MissingZeroReports, ZeroReportBanner } from "./wall-zero-reports.js";
import { SessionPanel } from "./wall-session.js";
import { KpiStrip } from "./wall-kpis.js";

const COUNTER_REFRESH_MS = 5 * 60 * 1000; // re-read the authoritative counters this often
const COUNTER_SETTLE_MS = 1500; // after changes to cases, re-read the counters once this long after the last one
const FEED_COUNTERS = ["reportedToday", "open", "overdue", "supervised", "closedToday"];
const CONTACT_CHECK_MS = 5000; // lost contact is judged again this often (the clock's interval)

function showConnection(state) {
  const status = document.getElementById("wall-status");
  status.dataset.state = state;
  status.textContent = label(CONNECTION_LABELS, state);
}

/** Calls `fn` until it succeeds (backing off to 30 s), showing 已断开 while it fails; null when aborted. */
async function retry(fn, signal) {
  for (let attempt = 0; !signal.aborted; attempt++) {
    try {
      return await fn();
    } catch (error) {
      if (signal.aborted) break;
      console.warn("wall: loading failed, retrying", error);
      showConnection(ConnectionState.disconnected);
      await delay(Math.min(30000, 1000 * 2 ** Math.min(attempt, 5)), signal);
    }
  }
  return null;
}

class Wall {
  constructor(root) {
    this.root = root;
    this.areaPath = encodeURIComponent(root.dataset.code); // the area, as it goes into API paths
    this.stopping = new AbortController();
    this.counters = new Counters(document.getElementById("wall-counters"));
    this.mapElement = document.getElementById("wall-map");
    this.map = null;
    this.board = null;
    this.session = null;
    this.supervisions = null;
    this.follower = null;
    this.countedThrough = 0; // counters from a snapshot already include the entries up to its head
    this.settleTimer = 0;
    this.refreshing = false;
    this.dropped = false; // the hub connection dropped since the wall was last live
    this.moved = 0; // worker markers moved by live positions (shown as data-moved, for tests and diagnostics)
    this.serverOffset = 0; // the server's clock minus this screen's, from the last snapshot
    this.lostAfterMs = Infinity; // lost contact after this long without a position (the snapshot says)
    this.contactCheckedAt = 0;
    this.patrols = new MissedPatrols({
      list: document.getElementById("wall-patrols-missed"),
      count: document.getElementById("wall-patrols-missed-count"),
      areaPath: this.areaPath,
      signal: this.stopping.signal,
    });
    const escalated = document.getElementById("wall-alerts-escalated");
    this.alerts = escalated
      ? new EscalatedAlerts({
          list: escalated,
          count: document.getElementById("wall-alerts-escalated-count"),
          areaPath: this.areaPath,
          signal: this.stopping.signal,
        })
      : null;
    const escalatedInstructions = document.getElementById("wall-escalated-instructions");
    this.escalatedInstructions = escalatedInstructions
      ? new EscalatedInstructions({
          list: escalatedInstructions,
          count: document.getElementById("wall-escalated-instructions-count"),
          areaPath: this.areaPath,
          signal: this.stopping.signal,
        })
      : null;
    const instructions = document.getElementById("wall-instructions");
    this.instructions = instructions
      ? new InstructionBanner({ root: instructions, station: root.dataset.code, signal: this.stopping.signal })
      : null;
    const rollCall = document.getElementById("wall-roll-call");
    this.rollCall = rollCall ? new RollCallBanner({ root: rollCall, station: root.dataset.code, signal: this.stopping.signal }) : null;
    const zeroReport = document.getElementById("wall-zero-report");
    this.zeroReport = zeroReport ? new ZeroReportBanner({ root: zeroReport, unit: root.dataset.code, signal: this.stopping.signal }) : null;
    const kpis = document.getElementById("wall-kpis");
    this.kpis = kpis ? new KpiStrip({ root: kpis, areaPath: this.areaPath, signal: this.stopping.signal }) : null;
    const zeroMissing = document.getElementById("wall-zero-missing");
    this.zeroMissing = zeroMissing
      ? new MissingZeroReports({ list: zeroMissing, count: document.getElementById("wall-zero-missing-count"), code: root.dataset.code, signal: this.stopping.signal })
      : null;
  }

  async start() {
    this.startClock();
    const overview = await this.load(`api/jurisdictions/${this.areaPath}`);
    if (!overview) return;
    for (const name of FEED_COUNTERS) this.counters.set(name, overview.counters?.[name]);
    this.createMap(overview);
    const snapshot = await this.drawArea(overview.level);
    if (!snapshot) return;
    await this.showSnapshot(snapshot);
    this.patrols.load();
    this.alerts?.load();
    this.instructions?.load();
    this.escalatedInstructions?.load();
    this.zeroReport?.load();
    this.zeroMissing?.load();
    this.rollCall?.load();
    this.kpis?.load();
    this.follow(snapshot.head);
    this.startSession();
    this.counterTimer = setInterval(() => {
      this.refreshCounters();
      this.refreshCameraCounts();
    }, COUNTER_REFRESH_MS);
    window.addEventListener("pagehide", () => this.stop(), { once: true });
  }

  stop() {
    clearInterval(this.clockTimer);
    clearInterval(this.counterTimer);
    clearTimeout(this.settleTimer);
    this.stopping.abort();
    this.follower?.stop();
    this.session?.stop();
  }

  /** The command-session panel (领屏/跟随), for those whose role follows sessions. */
  startSession() {
    const root = document.getElementById("wall-session");
    if (!root) return;
    this.session = new SessionPanel({
      root,
      wallMap: this.map,
      board: this.board,
      mayCommand: root.dataset.command === "true",
      me: root.dataset.me,
      signal: this.stopping.signal,
    });
    this.session.start().catch((error) => console.warn("wall: the session panel failed to start", error));
  }

  load(path) {
    return retry(() => getJson(path, this.stopping.signal), this.stopping.signal);
  }

  /** The clock (China time), the highlight sweep and the day roll: one interval for the page's life. */
  startClock() {
    const clockDate = el("span", { class: "wall-clock-date" });
    const clockTime = el("span", { class: "wall-clock-time" });
    document.getElementById("wall-clock").replaceChildren(clockDate, clockTime);
    let counterDay = chinaDay(new Date());
    const tick = () => {
      const now = new Date();
      const { date, time } = chinaClock(now);
      if (clockDate.textContent !== date) clockDate.textContent = date;
      clockTime.textContent = time;
      this.board?.sweep(now.getTime());
      if (now.getTime() - this.contactCheckedAt >= CONTACT_CHECK_MS) this.judgeContact();
      const day = chinaDay(now);
      if (day !== counterDay) {
        counterDay = day;
        if (this.follower) this.newDay();
      }
    };
    tick();
    this.clockTimer = setInterval(tick, 1000);
  }

  createMap(overview) {
    this.map = new WallMap(this.mapElement, {
      tileUrl: this.root.dataset.tileUrl || "",
      bounds: overview.bounds,
      level: overview.level,
      mayDispatch: this.root.dataset.dispatch === "true",
    });
    // For tests and diagnostics: cameras and people are canvas shapes, not elements; the map's centre and zoom.
    this.mapElement.cameraPoint = (id) => this.map.cameras.point(id);
    this.mapElement.mapView = () => ({ ...this.map.map.getCenter(), zoom: this.map.map.getZoom() });
    this.mapElement.workerPoint = (id) => this.map.people.point(id);
    this.board = new IncidentBoard(this.map, document.getElementById("wall-incidents"));
    this.supervisions = new SupervisionList(document.getElementById("wall-supervisions"), this.stopping.signal);
  }

  /** The area's outlines (its level and below), its people and cameras; answers the feed's snapshot. */
  async drawArea(level) {
    const wanted = LEVELS.slice(Math.max(0, LEVELS.indexOf(level))).join(",");
    const [geojson, workers, cameras, cameraCounts, snapshot] = await Promise.all([
      this.load(`api/jurisdictions/${this.areaPath}/geojson?levels=${wanted}`),
      this.load(`api/workers?jurisdiction=${this.areaPath}`),
      this.load(`api/cameras?jurisdiction=${this.areaPath}`),
      this.load(`api/cameras/counts?jurisdiction=${this.areaPath}`),
      this.load(`api/feeds/${this.areaPath}/snapshot`),
    ]);
    if (!snapshot) return null;
    this.map.outlines.set(geojson);
    this.mapElement.dataset.outlines = String(this.map.outlines.count);
    this.mapElement.dataset.workers = String(this.map.people.set(Array.isArray(workers) ? workers : [], snapshot.positions));
    this.mapElement.dataset.cameras = String(this.map.cameras.set(Array.isArray(cameras) ? cameras : []));
    this.counters.set("camerasOnline", cameraCounts?.online);
    this.counters.set("camerasOffline", cameraCounts?.offline);
    return snapshot;
  }

  /** Draws the incidents of a snapshot anew (at start and after a resync). */
  async showSnapshot(snap) {
    this.board.clear();
    const recent = Array.isArray(snap.recent) ? snap.recent : [];
    await this.showOlderIncidents(recent, snap.head);
    this.supervisions.clear();
    for (const entry of recent) {
      if (entry.kind === "incident.reported") this.board.add(entry.incident);
      else if (entry.kind === "incident.left") this.board.drop(entry.incident?.id);
      else this.board.update(entry.incident);
      if (entry.kind === "incident.supervised") this.supervisions.add(entry);
    }
    for (const name of FEED_COUNTERS) this.counters.set(name, snap.counters?.[name], true);
    this.countedThrough = snap.head;
    this.takePositions(snap);
  }

  /** A snapshot's positions, and its clock and lost-contact limit. */
  takePositions(snap) {
    const serverNow = Date.parse(snap.now);
    if (Number.isFinite(serverNow)) this.serverOffset = serverNow - Date.now();
    if (snap.lostContactAfterSeconds > 0) this.lostAfterMs = snap.lostContactAfterSeconds * 1000;
    if (Array.isArray(snap.positions)) this.map.people.move(snap.positions);
    this.judgeContact();
  }

  /** Marks who has lost contact (失联) by the server's clock and counts them, and those at work (在岗人员). */
  judgeContact() {
    if (!this.map) return;
    this.contactCheckedAt = Date.now();
    const { lost, atWork } = this.map.people.judge(Date.now() + this.serverOffset, this.lostAfterMs);
    this.counters.set("workers", atWork);
    this.counters.set("lostContact", lost);
    this.mapElement.dataset.lostContact = String(lost);
  }

  /** Older incidents for the map only (best effort): up to MAX_MARKERS markers right after a reload. */
  async showOlderIncidents(recent, head) {
    const oldest = recent.length ? recent[0].sequence : head + 1;
    if (oldest - 1 <= 0 || recent.length >= MAX_MARKERS) return;
    try {
      const after = Math.max(0, oldest - 1 - (MAX_MARKERS - recent.length));
      const page = await getJson(`api/feeds/${this.areaPath}?after=${after}&limit=${oldest - 1 - after}`, this.stopping.signal);
      if (page.resync) return;
      for (const entry of page.entries) {
        if (entry.sequence < oldest && entry.kind === "incident.reported") this.board.add(entry.incident, { listed: false });
      }
    } catch {
      // the markers of older incidents are a nicety
    }
  }

  follow(head) {
    this.follower = new FeedFollower({
      code: this.root.dataset.code,
      apply: (entry) => this.apply(entry),
      positions: (batch) => this.movePositions(batch),
      cameraStatus: (change) => this.changeCameraStatus(change),
      patrolsMissed: (missed) => this.patrols.add(missed),
      alertsEscalated: (escalated) => this.alerts?.add(escalated),
      instructionIssued: () => this.instructions?.load(),
      instructionEscalated: (escalation) => this.escalatedInstructions?.add(escalation),
      zeroReportDue: () => this.zeroReport?.remind(),
      zeroReportsMissing: () => this.zeroMissing?.remind(),
      rollCall: () => this.rollCall?.notice(),
      reload: () => this.reload(),
      status: (state) => this.connectionChanged(state),
    });
    this.follower.start(head);
  }

  apply(entry) {
    if (entry.incident) this.kpis?.changed();
    if (entry.kind === "incident.reported" && entry.incident) {
      this.board.add(entry.incident, { fresh: true });
      if (entry.sequence > this.countedThrough) {
        if (chinaDay(entry.at) === chinaDay(new Date())) this.counters.add("reportedToday", 1);
        this.counters.add("open", 1);
      }
    } else if (entry.incident) {
      // Updates move open, overdue, supervised and closed counts by what changed: the feed's own counters know.
      // A case a re-import of the tree moved out of this area leaves the wall (incident.left).
      if (entry.kind === "incident.left") this.board.drop(entry.incident.id);
      else this.board.update(entry.incident);
      if (entry.kind === "incident.supervised") this.supervisions.add(entry);
      clearTimeout(this.settleTimer);
      this.settleTimer = setTimeout(() => this.refreshCounters(), COUNTER_SETTLE_MS);
    }
  }

  movePositions(batch) {
    this.moved += this.map.people.move(batch.positions);
    this.mapElement.dataset.moved = String(this.moved);
    this.judgeContact();
  }

  changeCameraStatus(change) {
    this.map.cameras.setStatus(change.cameraId, change.status);
    for (const [status, delta] of [
      [change.previous, -1],
      [change.status, 1],
    ]) {
      if (status === "online") this.counters.add("camerasOnline", delta);
      if (status === "offline") this.counters.add("camerasOffline", delta);
    }
  }

  /** Too far behind to catch up entry by entry: the snapshot anew; answers its head. */
  async reload() {
    const snap = await getJson(`api/feeds/${this.areaPath}/snapshot`, this.stopping.signal);
    await this.showSnapshot(snap);
    return snap.head;
  }

  connectionChanged(state) {
    showConnection(state);
    // Live again after a drop: what changed meanwhile without a feed entry (camera statuses, missed patrols, alerts
    // sent up, instructions to the station and those sent up to it, zero-reports, roll calls) is read anew.
    if (state === ConnectionState.reconnecting || state === ConnectionState.disconnected) this.dropped = true;
    else if (state === ConnectionState.live && this.dropped) {
      this.dropped = false;
      this.refreshCameraCounts();
      this.patrols.load();
      this.alerts?.load();
      this.instructions?.load();
      this.escalatedInstructions?.load();
      this.zeroReport?.load();
      this.zeroMissing?.load();
      this.rollCall?.load();
    }
  }

  /**
   * The authoritative counters, now and then and after midnight (China time), when they can be trusted:
   * a snapshot at or after the last applied entry already includes every entry up to its head.
   */
  async refreshCounters() {
    if (this.refreshing) return;
    this.refreshing = true;
    try {
      const snap = await getJson(`api/feeds/${this.areaPath}/snapshot`, this.stopping.signal);
      this.takePositions(snap);
      if (snap.head >= this.follower.lastApplied) {
        for (const name of FEED_COUNTERS) this.counters.set(name, snap.counters?.[name], true);
        this.countedThrough = Math.max(this.countedThrough, snap.head);
      }
    } catch {
      // next time
    } finally {
      this.refreshing = false;
    }
  }

  /** Camera counts follow cameraStatus messages; one missed while the connection was down is put right here. */
  async refreshCameraCounts() {
    try {
      const cameraCounts = await getJson(`api/cameras/counts?jurisdiction=${this.areaPath}`, this.stopping.signal);
      this.counters.set("camerasOnline", cameraCounts.online, true);
      this.counters.set("camerasOffline", cameraCounts.offline, true);
    } catch {
      // next time
    }
  }

  newDay() {
    this.counters.set("reportedToday", 0, true);
    this.refreshCounters();
    this.patrols.load();
    this.zeroMissing?.load();
    this.kpis?.load();
  }
}

const root = document.getElementById("wall");
if (root) {
  new Wall(root).start().catch((error) => {
    console.warn("wall: failed to start", error);
    showConnection(ConnectionState.disconnected);
  });
}
