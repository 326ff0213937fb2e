// Following jurisdiction feeds over the wall hub (web/Hubs/WallHub.cs), for every page that does: the wall, the
// video wall (FeedFollower: every entry, strictly in sequence), the phone page (watchFeeds: that something changed)
// and a command session's board and the wall's session panel (SessionFollower: the session's log, strictly in
// sequence, and its leader's views, the latest only).
//
// Protocol: Subscribe(code, afterSequence) joins the live group first, then sends the backlog after
// afterSequence as `entries` messages (arrays of consecutive entries of one feed, oldest first), so live entries
// can arrive in between the backlog. Entries are therefore applied by sequence: ≤ last applied is skipped, last + 1
// is applied, later ones are held until the gap fills.
// A gap still open after Subscribe returned (or open for GAP_TIMEOUT_MS) means resubscribing from the last
// applied sequence. resync: true means too far behind: reload the snapshot and subscribe from its head.
//
// Connection (HubLink): withAutomaticReconnect for short outages, then an own retry loop (with backoff, forever);
// every (re)connection subscribes again. One HubConnection object for the whole life of the page, so its handlers
// are registered exactly once.

import { delay, signInAgain } from "./api.js";

/** The hub's address and names; the server has the same names on IWallClient (messages) and WallHub (methods). */
const HUB_URL = "hubs/wall";
const HubMessages = Object.freeze({
  entries: "entries",
  positions: "positions",
  cameraStatus: "cameraStatus",
  patrolsMissed: "patrolsMissed",
  alertsEscalated: "alertsEscalated",
  alertNudge: "alertNudge",
  sessionEntries: "sessionEntries",
  sessionView: "sessionView",
  instructionIssued: "instructionIssued",
  instructionEscalated: "instructionEscalated",
  zeroReportDue: "zeroReportDue",
  zeroReportsMissing: "zeroReportsMissing",
  rollCall: "rollCall",
  signedOut: "signedOut",
});
const HubMethods = Object.freeze({ subscribe: "Subscribe", joinSession: "JoinSession", shareView: "ShareView" });

/** The words for these states are CONNECTION_LABELS in labels.js (connecting: before the first connection). */
export const ConnectionState = Object.freeze({
  connecting: "connecting",
  live: "live",
  reconnecting: "reconnecting",
  disconnected: "disconnected",
});

const GAP_TIMEOUT_MS = 3000;
const MAX_PENDING = 5000;
const AUTO_RECONNECT_DELAYS = [0, 1000, 2000, 5000, 10000, 15000, 20000, 30000];
const RETRY_MIN_MS = 2000;
const RETRY_MAX_MS = 30000;
const REFUSED_RETRY_MS = 5000;

/** Hands the held entries that follow `last` to `apply`, in sequence (one that fails to show is logged); answers the new last. */
function applyInSequence(pending, last, apply, failure) {
  while (pending.has(last + 1)) {
    const entry = pending.get(last + 1);
    pending.delete(last + 1);
    last = entry.sequence;
    try {
      apply(entry);
    } catch (error) {
      console.warn(failure, entry.sequence, error);
    }
  }
  return last;
}

/** The page's connection to the hub: connects, reconnects forever, and calls `connected` after every (re)connection. */
class HubLink {
  /**
   * @param {object} options
   * @param {string} options.url hub URL
   * @param {() => void} options.connected (re)connected: subscribe again
   * @param {(state: string) => void} options.status connection state changes
   */
  constructor({ url, connected, status }) {
    this.onConnected = connected;
    this.onStatus = status;
    this.stopped = false;
    this.abort = new AbortController();
    this.connecting = false;
    this.state = null;

    this.connection = new signalR.HubConnectionBuilder()
      .withUrl(url)
      .withAutomaticReconnect({
        nextRetryDelayInMilliseconds: (context) =>
          context.previousRetryCount < AUTO_RECONNECT_DELAYS.length
            ? AUTO_RECONNECT_DELAYS[context.previousRetryCount]
            : null,
      })
      .configureLogging(signalR.LogLevel.Error)
      .build();
    // The sign-in is over (ended, the account changed or disabled): the server closes the connection next.
    this.connection.on(HubMessages.signedOut, (notice) => {
      this.stopped = true;
      signInAgain(notice.reason);
    });
    this.connection.onreconnecting(() => this.setState(ConnectionState.reconnecting));
    this.connection.onreconnected(() => this.onConnected());
    this.connection.onclose(() => {
      if (this.stopped) return;
      this.setState(ConnectionState.disconnected);
      this.connectLoop(true);
    });
  }

  get isConnected() {
    return this.connection.state === signalR.HubConnectionState.Connected;
  }

  /** Aborted when the page stops following. */
  get signal() {
    return this.abort.signal;
  }

  on(message, handler) {
    this.connection.on(message, handler);
  }

  subscribe(code, afterSequence) {
    return this.connection.invoke(HubMethods.subscribe, code, afterSequence);
  }

  joinSession(session, afterSequence) {
    return this.connection.invoke(HubMethods.joinSession, session, afterSequence);
  }

  shareView(session, view) {
    return this.connection.invoke(HubMethods.shareView, session, view);
  }

  start() {
    this.setState(ConnectionState.connecting);
    this.connectLoop(false);
  }

  async stop() {
    this.stopped = true;
    this.abort.abort();
    await this.connection.stop();
  }

  setState(state) {
    if (this.state === state) return;
    this.state = state;
    this.onStatus(state);
  }

  async connectLoop(afterFailure) {
    if (this.connecting || this.stopped) return;
    this.connecting = true;
    try {
      for (let attempt = afterFailure ? 1 : 0; !this.stopped; attempt++) {
        if (this.isConnected) break;
        if (attempt > 0) {
          const backoff = Math.min(RETRY_MAX_MS, RETRY_MIN_MS * 2 ** Math.min(attempt - 1, 5));
          await delay(backoff * (0.8 + Math.random() * 0.4), this.abort.signal);
          if (this.stopped) return;
          this.setState(ConnectionState.reconnecting);
        }
        if (this.connection.state !== signalR.HubConnectionState.Disconnected) {
          // An automatic reconnect is under way; its own callbacks take over.
          return;
        }
        try {
          await this.connection.start();
          break;
        } catch {
          this.setState(ConnectionState.disconnected);
        }
      }
    } finally {
      this.connecting = false;
    }
    if (!this.stopped && this.isConnected) this.onConnected();
  }
}

/** Follows one jurisdiction feed and hands its entries over strictly in sequence. */
export class FeedFollower {
  /**
   * @param {object} options
   * @param {string} [options.url] hub URL
   * @param {string} options.code jurisdiction code
   * @param {(entry: object) => void} options.apply called once per entry, in sequence order
   * @param {(batch: object) => void} options.positions called with each `positions` batch
   * @param {(change: object) => void} [options.cameraStatus] called with each `cameraStatus` change of this area
   * @param {(missed: object) => void} [options.patrolsMissed] called with each `patrolsMissed` message of this area
   * @param {(escalated: object) => void} [options.alertsEscalated] called with each `alertsEscalated` message of this area
   * @param {(notice: object) => void} [options.instructionIssued] called with each `instructionIssued` notice to this area's station
   * @param {(escalation: object) => void} [options.instructionEscalated] called with each `instructionEscalated` message sent up to this area
   * @param {(due: object) => void} [options.zeroReportDue] called when this area's zero-report of the day is missing at its deadline
   * @param {(missing: object) => void} [options.zeroReportsMissing] called with each `zeroReportsMissing` message of this area
   * @param {(notice: object) => void} [options.rollCall] called with each `rollCall` notice to this area's station (a roll call rings, or is over for it)
   * @param {() => Promise<number>} options.reload reloads the snapshot (resync) and returns its head
   * @param {(state: string) => void} options.status connection state changes
   */
  constructor({
    url = HUB_URL, code, apply, positions, cameraStatus, patrolsMissed, alertsEscalated, instructionIssued, instructionEscalated, zeroReportDue,
    zeroReportsMissing, rollCall, reload, status,
  }) {
    this.code = code;
    this.applyEntry = apply;
    this.reload = reload;
    this.last = 0;
    this.pending = new Map();
    this.gapTimer = 0;
    this.retryTimer = 0;
    this.subscribing = false;
    this.subscribeAgain = false;
    this.reloading = false;

    this.link = new HubLink({ url, connected: () => this.requestSubscribe(), status });
    this.link.on(HubMessages.entries, (entries) => this.receive(entries));
    this.link.on(HubMessages.positions, (batch) => {
      if (batch && batch.jurisdiction === this.code && Array.isArray(batch.positions)) positions(batch);
    });
    this.link.on(HubMessages.cameraStatus, (change) => {
      if (change && change.jurisdiction === this.code && typeof change.cameraId === "string") cameraStatus?.(change);
    });
    this.link.on(HubMessages.patrolsMissed, (missed) => {
      if (missed && missed.jurisdiction === this.code && Array.isArray(missed.grids)) patrolsMissed?.(missed);
    });
    this.link.on(HubMessages.alertsEscalated, (escalated) => {
      if (escalated && escalated.jurisdiction === this.code && Array.isArray(escalated.alerts)) alertsEscalated?.(escalated);
    });
    this.link.on(HubMessages.instructionIssued, (notice) => {
      if (notice && notice.recipient === this.code && typeof notice.instruction === "string") instructionIssued?.(notice);
    });
    this.link.on(HubMessages.instructionEscalated, (escalation) => {
      if (escalation && escalation.superior === this.code && typeof escalation.instruction === "string") instructionEscalated?.(escalation);
    });
    this.link.on(HubMessages.zeroReportDue, (due) => {
      if (due && due.jurisdiction === this.code) zeroReportDue?.(due);
    });
    this.link.on(HubMessages.zeroReportsMissing, (missing) => {
      if (missing && missing.jurisdiction === this.code && Array.isArray(missing.units)) zeroReportsMissing?.(missing);
    });
    this.link.on(HubMessages.rollCall, (notice) => {
      if (notice && notice.station === this.code) rollCall?.(notice);
    });
  }

  /** The sequence of the last entry handed to `apply`. */
  get lastApplied() {
    return this.last;
  }

  /** Starts following after `head` (the head of the snapshot the page was drawn from). */
  start(head) {
    this.last = head;
    this.link.start();
  }

  async stop() {
    this.clearGapTimer();
    clearTimeout(this.retryTimer);
    await this.link.stop();
  }

  // ---- subscription -----------------------------------------------------------------------------------

  /** Subscribes from the last applied sequence; calls made while one runs are merged into one more round. */
  async requestSubscribe() {
    if (this.link.stopped) return;
    if (this.subscribing) {
      this.subscribeAgain = true;
      return;
    }
    this.subscribing = true;
    clearTimeout(this.retryTimer);
    try {
      do {
        this.subscribeAgain = false;
        await this.subscribeOnce();
      } while (this.subscribeAgain && !this.link.stopped);
    } finally {
      this.subscribing = false;
    }
  }

  async subscribeOnce() {
    for (let round = 0; round < 5 && !this.link.stopped; round++) {
      if (!this.link.isConnected) return;
      let result;
      try {
        result = await this.link.subscribe(this.code, this.last);
      } catch (error) {
        if (this.link.isConnected) {
          // The hub refused (e.g. the cluster is restarting): try again shortly.
          console.warn("wall: Subscribe failed", error);
          this.scheduleRetry(REFUSED_RETRY_MS);
        }
        return; // otherwise the reconnect callbacks resubscribe
      }
      if (result && result.resync) {
        if (!(await this.resync())) return;
        continue; // subscribe again from the snapshot's head
      }
      this.link.setState(ConnectionState.live);
      this.drain();
      if (this.pending.size === 0) return;
      // The backlog did not close the gap: ask again from the last applied sequence.
      await delay(250 * (round + 1), this.link.signal);
    }
    if (!this.link.stopped) this.scheduleRetry(GAP_TIMEOUT_MS);
  }

  async resync() {
    this.reloading = true;
    try {
      const head = await this.reload();
      this.last = head;
      return true;
    } catch (error) {
      console.warn("wall: reloading the snapshot failed", error);
      this.scheduleRetry(REFUSED_RETRY_MS);
      return false;
    } finally {
      this.reloading = false;
      this.drain();
    }
  }

  scheduleRetry(ms) {
    clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => this.requestSubscribe(), ms);
  }

  // ---- ordering ---------------------------------------------------------------------------------------

  /** Takes one `entries` message: holds its new entries by sequence, then applies what follows the last applied. */
  receive(entries) {
    if (!Array.isArray(entries)) return;
    for (const entry of entries) {
      if (!entry || entry.jurisdiction !== this.code || !Number.isFinite(entry.sequence)) continue;
      if (entry.sequence <= this.last) continue;
      if (this.pending.size >= MAX_PENDING && !this.pending.has(entry.sequence)) {
        // A gap that does not fill: drop what does not fit (the backlog brings it again) and resubscribe,
        // which also tells us to resync when we are too far behind.
        this.requestSubscribe();
        break;
      }
      this.pending.set(entry.sequence, entry);
    }
    if (!this.reloading) this.drain();
  }

  drain() {
    this.last = applyInSequence(this.pending, this.last, this.applyEntry, "wall: could not show feed entry");
    for (const sequence of this.pending.keys()) {
      if (sequence <= this.last) this.pending.delete(sequence);
    }
    if (this.pending.size === 0) this.clearGapTimer();
    else if (!this.gapTimer) {
      this.gapTimer = setTimeout(() => {
        this.gapTimer = 0;
        if (this.pending.size > 0) this.requestSubscribe();
      }, GAP_TIMEOUT_MS);
    }
  }

  clearGapTimer() {
    if (this.gapTimer) {
      clearTimeout(this.gapTimer);
      this.gapTimer = 0;
    }
  }
}

/**
 * Follows feeds only to hear that something in them changed: joins each live group after its head (no backlog)
 * and calls `changed` on every entry and whenever it is live again, when the caller reads anew what it shows,
 * `nudged` with the person's id when one of the feeds' people has an alert from elsewhere (alertNudge), and
 * `instructed` with each instruction to one of the feeds' stations (instructionIssued), `zeroReportDue` when the
 * zero-report of the day of one of the feeds' units is missing at its deadline, and `rollCall` with each roll-call
 * notice to one of the feeds' stations.
 * It follows for the life of the page.
 */
export function watchFeeds({ codes, changed, nudged, instructed, zeroReportDue, rollCall, status }) {
  let retryTimer = 0;
  const subscribe = async () => {
    clearTimeout(retryTimer);
    try {
      for (const code of codes) await link.subscribe(code, Number.MAX_SAFE_INTEGER);
    } catch (error) {
      if (link.isConnected) {
        // The hub refused (e.g. the cluster is restarting): try again shortly.
        console.warn("feeds: Subscribe failed", error);
        retryTimer = setTimeout(subscribe, REFUSED_RETRY_MS);
      }
      return; // otherwise the reconnect callbacks subscribe again
    }
    link.setState(ConnectionState.live);
    changed();
  };
  const link = new HubLink({ url: HUB_URL, connected: subscribe, status });
  link.on(HubMessages.entries, () => changed());
  link.on(HubMessages.alertNudge, (nudge) => {
    if (nudge && typeof nudge.workerId === "string") nudged?.(nudge.workerId);
  });
  link.on(HubMessages.instructionIssued, (notice) => {
    if (notice && codes.includes(notice.recipient)) instructed?.(notice);
  });
  link.on(HubMessages.zeroReportDue, (due) => {
    if (due && codes.includes(due.jurisdiction)) zeroReportDue?.(due);
  });
  link.on(HubMessages.rollCall, (notice) => {
    if (notice && codes.includes(notice.station)) rollCall?.(notice);
  });
  link.start();
}

/**
 * Follows one command session's log (JoinSession: joins the session's group, then sends its log after the number
 * asked for) and hands each entry over once, strictly in sequence. After every (re)connection it joins again from
 * the last entry it has; a gap the hub did not fill (an entry whose push failed) is read from the log over HTTP
 * (`fill`).
 */
export class SessionFollower {
  /**
   * @param {object} options
   * @param {string} options.session the session's id
   * @param {(entry: object) => void} options.apply called with each entry, in sequence
   * @param {(after: number) => Promise<object[]>} options.fill reads the log after a number
   * @param {(state: string) => void} options.status connection state changes
   * @param {(led: object) => void} [options.view] called with each view the session's leader shares (sessionView),
   *   and with the last one when (re)joined; a later version replaces an earlier, so older ones are never handed over
   */
  constructor({ url = HUB_URL, session, apply, fill, status, view }) {
    this.session = session;
    this.applyEntry = apply;
    this.fill = fill;
    this.onView = view;
    this.last = 0;
    this.lastView = 0;
    this.pending = new Map();
    this.gapTimer = 0;
    this.retryTimer = 0;
    this.link = new HubLink({ url, connected: () => this.join(), status });
    this.link.on(HubMessages.sessionEntries, (entries) => this.receive(entries));
    this.link.on(HubMessages.sessionView, (led) => this.receiveView(led));
  }

  /** Shares the caller's view as the session's leader (ShareView); answers its version. */
  shareView(view) {
    return this.link.shareView(this.session, view);
  }

  receiveView(led) {
    if (!this.onView || !led || led.session !== this.session || !(led.version > this.lastView)) return;
    this.lastView = led.version;
    try {
      this.onView(led);
    } catch (error) {
      console.warn("command: could not show the shared view", led.version, error);
    }
  }

  start() {
    this.link.start();
  }

  async stop() {
    clearTimeout(this.gapTimer);
    clearTimeout(this.retryTimer);
    await this.link.stop();
  }

  async join() {
    clearTimeout(this.retryTimer);
    try {
      const joined = await this.link.joinSession(this.session, this.last);
      this.link.setState(ConnectionState.live);
      if (joined?.view) this.receiveView(joined.view);
      if (joined && joined.head > this.last) await this.fillGap();
    } catch (error) {
      if (this.link.isConnected) {
        console.warn("command: JoinSession failed", error);
        this.retryTimer = setTimeout(() => this.join(), REFUSED_RETRY_MS);
      }
    }
  }

  async fillGap() {
    try {
      this.receive(await this.fill(this.last));
    } catch (error) {
      console.warn("command: reading the session's log failed", error);
      this.retryTimer = setTimeout(() => this.join(), REFUSED_RETRY_MS);
    }
  }

  receive(entries) {
    if (!Array.isArray(entries)) return;
    for (const entry of entries) {
      if (entry && entry.session === this.session && Number.isFinite(entry.sequence) && entry.sequence > this.last) {
        this.pending.set(entry.sequence, entry);
      }
    }
    this.last = applyInSequence(this.pending, this.last, this.applyEntry, "command: could not show log entry");
    clearTimeout(this.gapTimer);
    if (this.pending.size > 0) this.gapTimer = setTimeout(() => this.fillGap(), GAP_TIMEOUT_MS);
  }
}
