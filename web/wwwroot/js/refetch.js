// A list a page keeps current by reading it again: soon() merges the calls of one debounce window into one read, and
// a read asked for while one runs is made once after it (never two at once, never a change missed).

const REFETCH_DEBOUNCE_MS = 400;

export class Refetch {
  /** @param {() => Promise<void>} readOnce reads and shows the list once; it handles its own failures */
  constructor(readOnce, debounceMs = REFETCH_DEBOUNCE_MS) {
    this.readOnce = readOnce;
    this.debounceMs = debounceMs;
    this.timer = 0;
    this.reading = null;
    this.again = false;
  }

  /** Reads again soon; calls within the window are merged into one read. */
  soon() {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.now(), this.debounceMs);
  }

  /** Reads now, or once more after the read under way. */
  async now() {
    if (this.reading) {
      this.again = true;
      return this.reading;
    }
    this.reading = (async () => {
      do {
        this.again = false;
        await this.readOnce();
      } while (this.again);
    })();
    try {
      await this.reading;
    } finally {
      this.reading = null;
    }
  }
}
