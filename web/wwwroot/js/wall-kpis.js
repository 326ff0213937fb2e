// The wall's KPI strip (考核指标): today's and this month's 办结率, on-time rate, satisfaction and 化解率 of the wall's
// area from GET /api/stats/{code}, and this month's reports and closures per day as a small chart (ECharts, the vendored
// lib/echarts/echarts.esm.min.js, loaded when the first chart is drawn: one chart for the life of the page, its data
// replaced, canvas, no tooltips, so nothing of the data becomes markup). Read again a few seconds after cases change (at most every RELOAD_MS) and at midnight.
// A rate without data shows 无数据, never 0%.

import { getJson } from "./api.js";
import { chinaDay } from "./china-time.js";

const RELOAD_MS = 10_000;
const KPIS = ["closureRate", "onTimeRate", "satisfaction", "resolutionRate"];

export function percent(rate) {
  return rate === null || rate === undefined ? "无数据" : `${(rate * 100).toFixed(1)}%`;
}

export class KpiStrip {
  /**
   * @param {object} options
   * @param {HTMLElement} options.root the strip (#wall-kpis): rows data-kpi, cells data-period="today" | "month"
   * @param {string} options.areaPath the wall's area, as it goes into API paths
   * @param {AbortSignal} options.signal aborted when the wall stops
   */
  constructor({ root, areaPath, signal }) {
    this.root = root;
    this.areaPath = areaPath;
    this.signal = signal;
    this.timer = 0;
    this.loadedAt = 0;
    this.chart = null;
    this.loads = 0; // figures shown so far (data-loads: for tests and diagnostics)
    signal.addEventListener("abort", () => {
      clearTimeout(this.timer);
      this.chart?.dispose();
    });
  }

  /** Today's and this month's figures anew. */
  async load() {
    this.loadedAt = Date.now();
    const today = chinaDay(new Date());
    const monthStart = `${today.slice(0, 8)}01`;
    try {
      const [day, month] = await Promise.all([
        getJson(`api/stats/${this.areaPath}?from=${today}&to=${today}`, this.signal),
        getJson(`api/stats/${this.areaPath}?from=${monthStart}&to=${today}&by=day`, this.signal),
      ]);
      for (const kpi of KPIS) {
        const row = this.root.querySelector(`[data-kpi="${kpi}"]`);
        row.querySelector('[data-period="today"]').textContent = percent(day.total.rates[kpi]);
        row.querySelector('[data-period="month"]').textContent = percent(month.total.rates[kpi]);
      }
      await this.drawTrend(month.groups);
      this.root.dataset.loads = String(++this.loads);
    } catch {
      // the next change or midnight tries again
    }
  }

  /** Cases changed: read again once things settle, at most every RELOAD_MS. */
  changed() {
    if (this.timer) return;
    const wait = Math.max(2000, this.loadedAt + RELOAD_MS - Date.now());
    this.timer = setTimeout(() => {
      this.timer = 0;
      this.load();
    }, wait);
  }

  async drawTrend(days) {
    const element = document.getElementById("wall-kpi-trend");
    if (!element) return;
    if (!this.chart) {
      const echarts = await import("../lib/echarts/echarts.esm.min.js");
      if (this.signal.aborted) return;
      this.chart = echarts.init(element, null, { renderer: "canvas" });
    }
    this.chart.setOption({
      animation: false,
      grid: { left: 32, right: 8, top: 22, bottom: 20 },
      legend: { data: ["上报", "办结"], textStyle: { color: "#9fb3c8" }, top: 0, right: 0, itemHeight: 8 },
      xAxis: { type: "category", data: days.map((d) => d.key.slice(8)), axisLabel: { color: "#9fb3c8" } },
      yAxis: { type: "value", minInterval: 1, axisLabel: { color: "#9fb3c8" }, splitLine: { lineStyle: { color: "#1d3550" } } },
      series: [
        { name: "上报", type: "bar", data: days.map((d) => d.counts.reported), itemStyle: { color: "#4fc3f7" } },
        { name: "办结", type: "line", data: days.map((d) => d.counts.closed), itemStyle: { color: "#66bb6a" }, symbolSize: 4 },
      ],
    });
  }
}
