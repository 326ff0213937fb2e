// Instants as the people of the county read them: China Standard Time, whatever the screen's time zone.

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
