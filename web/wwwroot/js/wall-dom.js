// Small helpers shared by the wall modules: DOM building (text only, never HTML strings),
// Chinese labels for the API's enum words, China-time formatting.

/**
 * Creates an element. `attrs` values are set as attributes (className via the `class` key); children are
 * nodes or strings, and strings always become text nodes, so data can never turn into markup.
 */
export function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  if (attrs) {
    for (const [name, value] of Object.entries(attrs)) {
      if (value === undefined || value === null || value === false) continue;
      node.setAttribute(name, value === true ? "" : String(value));
    }
  }
  for (const child of children) {
    if (child === undefined || child === null || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

export const SOURCE_LABELS = Object.freeze({
  gridWorker: "网格员上报",
  hotline12345: "12345热线",
  petition: "信访",
  miniProgram: "群众小程序",
  cameraAlarm: "摄像头告警",
  police: "公安",
});

export const ROLE_LABELS = Object.freeze({
  gridChief: "网格长",
  gridWorker: "网格员",
  patrolOfficer: "巡逻民警",
});

export const STATUS_LABELS = Object.freeze({
  reported: "待核实",
  verified: "已核实",
  ticketed: "已制单",
  dispatched: "已派单",
  accepted: "处置中",
  handled: "已处置",
  fedBack: "已办结",
  rated: "已评价",
  assessed: "已考核",
  rejected: "已驳回",
  merged: "已合并",
});

/** Statuses of a case still in the loop (未办结); the others are closed. */
export const OPEN_STATUSES = Object.freeze(["reported", "verified", "ticketed", "dispatched", "accepted", "handled"]);

export const LEVEL_LABELS = Object.freeze({
  county: "区县",
  township: "乡镇街道",
  village: "村社区",
  grid: "网格",
});

/** A label for an enum word; unknown words are shown as they are (as text). */
export function label(table, word) {
  return Object.prototype.hasOwnProperty.call(table, word) ? table[word] : String(word ?? "");
}

/** Only known words become CSS class suffixes. */
export function sourceClass(source) {
  return Object.prototype.hasOwnProperty.call(SOURCE_LABELS, source) ? "src-" + source : "src-other";
}

const CHINA_OFFSET_MS = 8 * 3600 * 1000;
const WEEKDAYS = ["日", "一", "二", "三", "四", "五", "六"];

function pad(n) {
  return n < 10 ? "0" + n : String(n);
}

/** The parts of an instant in China Standard Time (UTC+8, no DST), independent of the screen's time zone. */
export function chinaParts(instant) {
  const ms = instant instanceof Date ? instant.getTime() : new Date(instant).getTime();
  if (!Number.isFinite(ms)) return null;
  const d = new Date(ms + CHINA_OFFSET_MS);
  return {
    year: d.getUTCFullYear(),
    month: d.getUTCMonth() + 1,
    day: d.getUTCDate(),
    hour: d.getUTCHours(),
    minute: d.getUTCMinutes(),
    second: d.getUTCSeconds(),
    weekday: d.getUTCDay(),
  };
}

/** "2025-06-01", the China calendar day of an instant (used to roll the daily counter). */
export function chinaDay(instant) {
  const p = chinaParts(instant);
  return p ? `${p.year}-${pad(p.month)}-${pad(p.day)}` : "";
}

export function chinaTime(instant) {
  const p = chinaParts(instant);
  return p ? `${pad(p.hour)}:${pad(p.minute)}:${pad(p.second)}` : "";
}

export function chinaDateTime(instant) {
  const p = chinaParts(instant);
  return p ? `${p.year}-${pad(p.month)}-${pad(p.day)} ${pad(p.hour)}:${pad(p.minute)}:${pad(p.second)}` : "";
}

/** The clock: date line and time line. */
export function chinaClock(instant) {
  const p = chinaParts(instant);
  return {
    date: `${p.year}年${p.month}月${p.day}日 星期${WEEKDAYS[p.weekday]}`,
    time: `${pad(p.hour)}:${pad(p.minute)}:${pad(p.second)}`,
  };
}

/** Digits grouped for a big screen: 1,473. */
export function formatCount(n) {
  return Number.isFinite(n) ? n.toLocaleString("en-US") : "–";
}

/** Resolves after `ms`, or at once when `signal` aborts. */
export function delay(ms, signal) {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener("abort", done);
      resolve();
    }
    signal?.addEventListener("abort", done, { once: true });
  });
}

/** GET a JSON document; throws on HTTP errors. */
export async function getJson(url, signal) {
  const response = await fetch(url, { headers: { Accept: "application/json" }, signal, cache: "no-store" });
  if (response.status === 401) {
    // The sign-in lapsed (or was ended elsewhere): back to the sign-in page, which returns here.
    location.assign(`/signin?ReturnUrl=${encodeURIComponent(location.pathname + location.search)}`);
  }
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
  return response.json();
}
