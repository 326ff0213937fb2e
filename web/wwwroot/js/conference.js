// A video room of ours through the media server (Janus, janus.js): a command session's conference (视频会商), or a
// roll call's room (roll-call.js) with options of its own. Joining asks our server for a ticket (POST …/join), then
// opens /api/video/janus with it. Those who may publish send their camera
// and microphone (VP8 with simulcast); everyone sees every publisher as a tile, the low simulcast layer in tiles and the
// high one for the focused tile: the station that has the floor (发言), else, for a station, the commander; a click
// focuses another. Those who command the session give the floor and mute a station from its tile. A lost connection
// (network drop, media failure) rejoins by itself after a moment with a fresh ticket, and a reload rejoins too (the
// page remembers that it was in the conference); once the server refuses a ticket (the session closed, the roll call
// over) the page leaves. Names are text only.

import Janus from "../lib/janus/janus.js";
import { delay, getJson, post } from "./api.js";
import { el } from "./dom.js";

const REJOIN_MS = [1000, 2000, 4000, 8000]; // waits before each rejoin after a loss (the last one repeats)
const STATE_RELOAD_MS = 3000; // who has the floor is read this often
const STALLED_MS = 8000; // a subscription with no picture this long after it began is made again
const LOW = 0;
const HIGH = 2;

let initialized;

function initJanus() {
  initialized ??= new Promise((resolve) =>
    Janus.init({ debug: false, dependencies: Janus.useDefaultDependencies({ adapter: window.adapter }), callback: resolve }),
  );
  return initialized;
}

function serverUrl(path) {
  return `${location.protocol === "https:" ? "wss" : "ws"}://${location.host}${path}`;
}

function participantOf(feed) {
  const at = String(feed).lastIndexOf("#");
  return at > 0 ? String(feed).slice(0, at) : String(feed);
}

/** One room on a page: `root` holds its status, buttons and tiles (see command-conference.js). */
export class Conference {
  /**
   * @param {HTMLElement} root
   * @param {string} sessionId the session whose conference it is, or (with `options.base`) the id of what owns the room
   * @param {object} [options]
   * @param {string} [options.base] where its join (and, for a session, failures, floor and mute) are: a session's conference by default
   * @param {object} [options.join] the body of a join
   * @param {boolean} [options.session] a session's conference (who has the floor is read, failures are reported): true by default
   * @param {boolean} [options.watch] whether the page shows the others' video (a station answering a roll call only sends): true by default
   * @param {(reason: string) => void} [options.ended] called when the server refuses a ticket and the page leaves
   */
  constructor(root, sessionId, { base, join = {}, session = true, watch = true, ended } = {}) {
    this.root = root;
    this.sessionId = sessionId;
    this.base = base ?? `/api/command-sessions/${sessionId}/conference`;
    this.joinBody = join;
    this.isSession = session;
    this.watches = watch;
    this.ended = ended;
    this.storageKey = `cc-conference:${sessionId}`;
    this.status = root.querySelector("[data-conference-status]");
    this.tiles = root.querySelector("[data-conference-tiles]");
    this.feeds = new Map(); // feed id → { handle, tile, video, participant, display, since }
    this.publishers = new Map(); // feed id → the publisher as the room announced it
    this.janus = null;
    this.join = null;
    this.floor = null;
    this.chosen = null; // the feed a click focused, until the floor changes
    this.running = false;
    this.runs = 0; // which start() the state loop belongs to
    this.attempt = 0;
    this.generation = 0;
    window.addEventListener("beforeunload", () => this.janus?.destroy({ unload: true }));
  }

  /** Joins again after a reload when the page was in the conference. */
  resume() {
    if (sessionStorage.getItem(this.storageKey) === "on") this.start();
  }

  async start() {
    if (this.running) return;
    this.running = true;
    sessionStorage.setItem(this.storageKey, "on");
    this.root.dataset.active = "true";
    if (this.isSession) this.watchState();
    await this.connect();
  }

  /** Leaves the conference (a reload does not rejoin). */
  stop() {
    sessionStorage.removeItem(this.storageKey);
    this.running = false;
    this.root.dataset.active = "false";
    this.generation++;
    this.teardown();
    this.setStatus("idle", "未加入");
  }

  setStatus(state, text) {
    this.root.dataset.state = state;
    if (this.status) this.status.textContent = text;
  }

  async connect() {
    const generation = ++this.generation;
    this.setStatus(this.attempt ? "rejoining" : "joining", this.attempt ? "连接中断,正在重新加入…" : "正在加入…");
    const joined = await post(`${this.base}/join`, this.joinBody);
    if (generation !== this.generation) return;
    if (!joined.ok && [403, 404, 409].includes(joined.status)) {
      this.stop();
      this.setStatus("ended", joined.error);
      return this.ended?.(joined.error);
    }
    if (!joined.ok) return this.lost(generation, joined.error);
    this.join = joined.data;
    this.floor = this.join.floor;
    await initJanus();
    this.janus = new Janus({
      server: serverUrl(this.join.url),
      iceServers: this.join.iceServers.map((s) => ({ urls: s.urls, username: s.username ?? undefined, credential: s.credential ?? undefined })),
      success: () => generation === this.generation && this.attachPublisher(generation),
      error: (cause) => this.lost(generation, String(cause)),
      destroyed: () => {},
    });
  }

  /** The connection is gone (or never came): tiles go, and the page joins again after a moment while it is running. */
  async lost(generation, reason) {
    if (generation !== this.generation || !this.running) return;
    this.generation++;
    this.teardown();
    const wait = REJOIN_MS[Math.min(this.attempt, REJOIN_MS.length - 1)];
    this.attempt++;
    this.setStatus("rejoining", `连接中断(${reason}),${Math.round(wait / 1000)} 秒后重新加入…`);
    await delay(wait);
    if (this.running) await this.connect();
  }

  teardown() {
    for (const feed of this.feeds.values()) feed.tile.remove();
    this.feeds.clear();
    this.publishers.clear();
    this.self?.remove();
    this.self = null;
    const janus = this.janus;
    this.janus = null;
    this.publisher = null;
    try {
      janus?.destroy({ cleanupHandles: true });
    } catch {
      // gone already
    }
  }

  attachPublisher(generation) {
    this.janus.attach({
      plugin: "janus.plugin.videoroom",
      success: (handle) => {
        this.publisher = handle;
        handle.send({ message: { request: "join", ptype: "publisher", room: this.join.room } });
      },
      error: (cause) => this.lost(generation, String(cause)),
      iceState: (state) => state === "failed" && this.lost(generation, "媒体连接失败"),
      onmessage: (message, jsep) => this.onPublisherMessage(generation, message, jsep),
      onlocaltrack: (track, on) => this.onLocalTrack(track, on),
      onremotetrack: () => {},
      oncleanup: () => {},
    });
  }

  onPublisherMessage(generation, message, jsep) {
    if (generation !== this.generation) return;
    // The room went (its session closed, its roll call ended): joining again tells the page whether to stay.
    if (message.videoroom === "destroyed") return this.lost(generation, "会议室已关闭");
    if (message.videoroom === "joined") {
      this.attempt = 0;
      this.ownFeed = message.id;
      this.setStatus("joined", this.join.publish ? "已加入,正在发送本地视频" : "已加入(仅观看)");
      if (this.join.publish) this.publish(generation);
      this.announced(generation, message.publishers);
      this.watchFeeds(generation);
    } else if (message.videoroom === "event") {
      this.announced(generation, message.publishers);
      const gone = message.leaving ?? message.unpublished;
      if (gone !== undefined && gone !== "ok") {
        this.publishers.delete(gone);
        this.unsubscribe(gone);
      }
      if (message.error_code) this.setStatus("joined", `视频会商:${message.error}`);
    }
    if (jsep) this.publisher?.handleRemoteJsep({ jsep });
  }

  publish(generation) {
    this.publisher.createOffer({
      tracks: [
        { type: "audio", capture: true, recv: false },
        {
          type: "video",
          capture: { width: { ideal: this.join.capture.width }, height: { ideal: this.join.capture.height }, frameRate: { ideal: this.join.capture.frameRate } },
          recv: false,
          simulcast: true,
        },
      ],
      success: (jsep) => generation === this.generation && this.publisher.send({ message: { request: "configure", audio: true, video: true }, jsep }),
      error: (cause) => {
        this.setStatus("joined", "无法打开摄像头或麦克风,仅观看");
        console.error("conference: publishing failed", cause);
        if (this.isSession) post(`${this.base}/failures`, { reason: `本地视频发送失败:${cause?.message ?? cause}`.slice(0, 300) });
      },
    });
  }

  onLocalTrack(track, on) {
    if (track.kind !== "video") return;
    if (!on) return this.self?.remove();
    if (!this.self) {
      const video = el("video", { autoplay: true, playsinline: true, muted: true });
      video.muted = true;
      this.self = el("figure", { class: "conference-tile conference-tile-self", "data-self": "true" }, video, el("figcaption", null, `${this.join.display}(本机)`));
      this.tiles.prepend(this.self);
    }
    this.self.querySelector("video").srcObject = new MediaStream([track]);
  }

  announced(generation, publishers) {
    if (!this.watches) return;
    for (const p of publishers ?? []) {
      this.publishers.set(p.id, p);
      this.subscribe(generation, p);
    }
  }

  /** A subscription that shows no picture a while after it began (a refused join, a lost offer) is made again while its publisher is in the room. */
  async watchFeeds(generation) {
    while (generation === this.generation) {
      await delay(STALLED_MS / 2);
      for (const [id, feed] of [...this.feeds]) {
        if (generation !== this.generation) return;
        if (feed.video.videoWidth > 0 || Date.now() - feed.since < STALLED_MS) continue;
        this.unsubscribe(id);
        if (this.publishers.has(id)) this.subscribe(generation, this.publishers.get(id));
      }
    }
  }

  subscribe(generation, publisher) {
    if (this.feeds.has(publisher.id) || publisher.id === this.ownFeed || !(publisher.streams ?? []).some((s) => s.type === "video")) return;
    const participant = participantOf(publisher.id);
    const video = el("video", { autoplay: true, playsinline: true });
    const tile = el(
      "figure",
      { class: "conference-tile", "data-feed": publisher.id, "data-participant": participant },
      video,
      el("figcaption", null, publisher.display ?? participant),
      this.controls(participant),
    );
    tile.addEventListener("click", (event) => {
      if (event.target.closest("button")) return;
      this.chosen = publisher.id;
      this.layout();
    });
    this.tiles.append(tile);
    const feed = { tile, video, participant, display: publisher.display, handle: null, substream: null, since: Date.now() };
    this.feeds.set(publisher.id, feed);
    this.janus.attach({
      plugin: "janus.plugin.videoroom",
      success: (handle) => {
        feed.handle = handle;
        handle.send({ message: { request: "join", ptype: "subscriber", room: this.join.room, streams: [{ feed: publisher.id }] } });
      },
      error: () => this.unsubscribe(publisher.id),
      onmessage: (message, jsep) => {
        if (jsep && generation === this.generation)
          feed.handle.createAnswer({
            jsep,
            tracks: [{ type: "data" }],
            success: (answer) => feed.handle.send({ message: { request: "start", room: this.join.room }, jsep: answer }),
            error: () => this.unsubscribe(publisher.id),
          });
        if (message.substream !== undefined) tile.dataset.substream = String(message.substream);
      },
      onremotetrack: (track, mid, on) => {
        if (!on) return;
        if (track.kind === "video") {
          video.srcObject = new MediaStream([track]);
          // The layer is chosen once a first frame shows: switching before would wait for a key frame of the other layer.
          video.addEventListener("loadeddata", () => this.layout(), { once: true });
        } else if (track.kind === "audio") {
          const audio = tile.querySelector("audio") ?? tile.appendChild(el("audio", { autoplay: true }));
          audio.srcObject = new MediaStream([track]);
        }
      },
      oncleanup: () => {},
    });
  }

  controls(participant) {
    if (!this.join?.mayCommand || participant.startsWith("u:")) return null;
    const floor = el("button", { type: "button", class: "conference-floor" }, "发言");
    floor.addEventListener("click", async () => {
      const given = await post(`${this.base}/floor`, { station: this.floor === participant ? null : participant });
      if (given.ok) this.applyFloor(given.data.floor);
    });
    const mute = el("button", { type: "button", class: "conference-mute", "data-muted": "false" }, "静音");
    mute.addEventListener("click", async () => {
      const muted = mute.dataset.muted !== "true";
      const done = await post(`${this.base}/mute`, { station: participant, muted });
      if (done.ok) {
        mute.dataset.muted = String(muted);
        mute.textContent = muted ? "取消静音" : "静音";
      }
    });
    return el("div", { class: "conference-controls" }, floor, mute);
  }

  unsubscribe(feedId) {
    const feed = this.feeds.get(feedId);
    if (!feed) return;
    this.feeds.delete(feedId);
    feed.tile.remove();
    try {
      feed.handle?.detach();
    } catch {
      // gone already
    }
    this.layout();
  }

  applyFloor(floor) {
    if (floor === this.floor) return;
    this.floor = floor;
    this.chosen = null;
    this.layout();
  }

  /** The focused tile: the one clicked, else the station with the floor, else (for a station) the commander; it gets the high layer. */
  focusedFeed() {
    if (this.chosen && this.feeds.has(this.chosen)) return this.chosen;
    const entries = [...this.feeds.entries()];
    const floor = entries.find(([, f]) => f.participant === this.floor);
    if (floor) return floor[0];
    if (this.join && !this.join.mayCommand) return entries.find(([, f]) => f.participant.startsWith("u:"))?.[0] ?? null;
    return null;
  }

  layout() {
    const focused = this.focusedFeed();
    for (const [id, feed] of this.feeds) {
      const on = id === focused;
      feed.tile.dataset.focus = String(on);
      feed.tile.dataset.floor = String(feed.participant === this.floor);
      const substream = on ? HIGH : LOW;
      if (feed.handle && feed.video.videoWidth > 0 && feed.substream !== substream) {
        feed.substream = substream;
        feed.handle.send({ message: { request: "configure", substream } });
      }
    }
  }

  async watchState() {
    const run = ++this.runs;
    while (this.running && run === this.runs) {
      try {
        const state = await getJson(this.base);
        this.applyFloor(state.floor);
        this.root.dataset.floorName = state.floorName ?? "";
      } catch {
        // the next read tries again
      }
      await delay(STATE_RELOAD_MS);
    }
  }
}
