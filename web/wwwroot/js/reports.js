// The reports page (/reports: 日分析、周研判、月报、季报) of one area and period: KPI cards, the trend of reports and
// closures, the figures by category and by source (ECharts, vendored, loaded here: canvas, no tooltips, so no data
// becomes markup), the children compared in a table with a sparkline each and on a map coloured by 办结率 (Leaflet
// with our own outlines), the quarter's star-rated grids, the period's top ten grid workers, the year's four-no
// villages and the notable cases. Everything from GET /api/stats/{code} and /api/incidents; names and
// numbers reach the page as text nodes only.

import { getJson } from "./api.js";
import { el } from "./dom.js";
import { percent } from "./wall-kpis.js";

const view = document.getElementById("reports-view");
const code = encodeURIComponent(view.dataset.code);
const period = `from=${view.dataset.from}&to=${view.dataset.to}`;
const AXIS = { color: "#9fb3c8" };
const SPLIT = { lineStyle: { color: "#1d3550" } };
const SVG = "http://www.w3.org/2000/svg";

const CARDS = [
  ["上报", (t) => t.counts.reported],
  ["受理", (t) => t.counts.accepted],
  ["办结", (t) => t.counts.closed],
  ["办结率", (t) => percent(t.rates.closureRate)],
  ["按时办结率", (t) => percent(t.rates.onTimeRate)],
  ["就地办结率", (t) => percent(t.rates.onTheSpotRate)],
  ["化解率", (t) => percent(t.rates.resolutionRate)],
  ["满意率", (t) => percent(t.rates.satisfaction)],
  ["督办", (t) => t.counts.supervised],
  ["超期(累计)", (t) => t.counts.everOverdue],
  ["重新办理", (t) => t.counts.reopened],
  ["未办结(当前)", (t) => t.openNow],
  ["办结用时中位数", (t) => hours(t.toClose.medianHours)],
  ["受理用时中位数", (t) => hours(t.toAccept.medianHours)],
  ["巡查完成率", (_, f) => percent(f.patrolCompliance)],
  ["警情签收用时中位数", (_, f) => minutes(f.alertAcknowledgeMedianMinutes)],
  ["指令按时签收率", (_, f) => percent(f.instructionsSignedOnTime)],
  ["视频点名应答率", (_, f) => percent(f.rollCallAnswerRate)],
];

function minutes(value) {
  return value === null || value === undefined ? "无数据" : `${value.toFixed(1)} 分钟`;
}

function hours(value) {
  return value === null || value === undefined ? "无数据" : `${value.toFixed(1)} 工作小时`;
}

function showCards(total, field) {
  document.getElementById("reports-cards").replaceChildren(
    ...CARDS.map(([name, value]) =>
      el("div", { class: "reports-card", "data-card": name }, el("span", { class: "reports-card-value" }, String(value(total, field) ?? "无数据")), el("span", { class: "reports-card-label" }, name)),
    ),
  );
}

async function chart(id, option) {
  const element = document.getElementById(id);
  if (!element) return;
  const echarts = await import("../lib/echarts/echarts.esm.min.js");
  const instance = echarts.getInstanceByDom(element) ?? echarts.init(element, null, { renderer: "canvas" });
  instance.setOption({ animation: false, textStyle: { fontFamily: "sans-serif" }, ...option });
}

function bars(id, groups) {
  const sorted = [...groups].sort((a, b) => b.counts.reported - a.counts.reported).slice(0, 15);
  return chart(id, {
    grid: { left: 150, right: 16, top: 24, bottom: 24 },
    legend: { data: ["上报", "办结"], textStyle: AXIS, top: 0 },
    xAxis: { type: "value", minInterval: 1, axisLabel: AXIS, splitLine: SPLIT },
    yAxis: { type: "category", inverse: true, data: sorted.map((g) => g.name), axisLabel: AXIS },
    series: [
      { name: "上报", type: "bar", data: sorted.map((g) => g.counts.reported), itemStyle: { color: "#4fc3f7" } },
      { name: "办结", type: "bar", data: sorted.map((g) => g.counts.closed), itemStyle: { color: "#66bb6a" } },
    ],
  });
}

function trend(groups) {
  return chart("reports-trend", {
    grid: { left: 40, right: 40, top: 28, bottom: 28 },
    legend: { data: ["上报", "办结", "办结率"], textStyle: AXIS, top: 0 },
    xAxis: { type: "category", data: groups.map((g) => g.key), axisLabel: AXIS },
    yAxis: [
      { type: "value", minInterval: 1, axisLabel: AXIS, splitLine: SPLIT },
      { type: "value", min: 0, max: 100, axisLabel: { ...AXIS, formatter: "{value}%" }, splitLine: { show: false } },
    ],
    series: [
      { name: "上报", type: "bar", data: groups.map((g) => g.counts.reported), itemStyle: { color: "#4fc3f7" } },
      { name: "办结", type: "line", data: groups.map((g) => g.counts.closed), itemStyle: { color: "#66bb6a" } },
      {
        name: "办结率",
        type: "line",
        yAxisIndex: 1,
        data: groups.map((g) => (g.rates.closureRate === null ? null : Math.round(g.rates.closureRate * 1000) / 10)),
        itemStyle: { color: "#ffca28" },
        connectNulls: false,
      },
    ],
  });
}

/** A small line of a child's reports over the period, drawn as SVG elements (no markup strings). */
function sparkline(values) {
  const width = 96;
  const height = 22;
  const top = Math.max(1, ...values);
  const svg = document.createElementNS(SVG, "svg");
  svg.setAttribute("viewBox", `0 0 ${width} ${height}`);
  svg.setAttribute("class", "reports-sparkline");
  const line = document.createElementNS(SVG, "polyline");
  const step = values.length > 1 ? width / (values.length - 1) : 0;
  line.setAttribute("points", values.map((v, i) => `${(i * step).toFixed(1)},${(height - 2 - (v / top) * (height - 4)).toFixed(1)}`).join(" "));
  svg.append(line);
  return svg;
}

function childRows(children, trends) {
  const body = document.querySelector("#reports-children tbody");
  body.replaceChildren(
    ...children.map((c, i) =>
      el(
        "tr",
        { "data-code": c.key },
        el("th", null, c.name),
        ...[
          c.counts.reported,
          c.counts.accepted,
          c.counts.closed,
          percent(c.rates.closureRate),
          percent(c.rates.onTimeRate),
          percent(c.rates.onTheSpotRate),
          percent(c.rates.resolutionRate),
          percent(c.rates.satisfaction),
          c.counts.supervised,
          c.openNow,
          c.overdueNow,
          percent(c.field.patrolCompliance),
        ].map((v) => el("td", null, String(v))),
        el("td", null, sparkline(trends[i].groups.map((g) => g.counts.reported))),
      ),
    ),
  );
}

/** 办结率 as a colour: red (low) to green (high); grey without data. */
function rateColour(rate) {
  if (rate === null || rate === undefined) return "#3a4a5c";
  const hue = Math.round(Math.max(0, Math.min(1, (rate - 0.5) / 0.5)) * 120);
  return `hsl(${hue}, 65%, 45%)`;
}

async function childMap(children) {
  const element = document.getElementById("reports-map");
  if (!element) return;
  const byCode = new Map(children.map((c) => [c.key, c]));
  const geojson = await getJson(`api/jurisdictions/${code}/geojson?levels=${view.dataset.children}`);
  const map = L.map(element, { zoomControl: false, attributionControl: false, scrollWheelZoom: false });
  if (view.dataset.tileUrl) L.tileLayer(view.dataset.tileUrl, { maxZoom: 18 }).addTo(map);
  const layer = L.geoJSON(geojson, {
    style: (feature) => ({
      color: "#8fdcff",
      weight: 1,
      fillOpacity: 0.75,
      fillColor: rateColour(byCode.get(feature.properties.code)?.rates.closureRate),
    }),
    onEachFeature: (feature, shape) => {
      const child = byCode.get(feature.properties.code);
      shape.bindTooltip(el("span", null, `${feature.properties.name ?? ""} ${percent(child?.rates.closureRate)}`), { sticky: true });
    },
  }).addTo(map);
  map.fitBounds(layer.getBounds(), { padding: [8, 8] });
}

/** 星级网格: the quarter's ten best grids of the area, with their stars. */
async function stars() {
  const ranking = await getJson(`api/rankings/grids?jurisdiction=${code}&quarter=${view.dataset.quarter}`);
  document.getElementById("reports-stars-quarter").textContent = ranking.period;
  const rows = ranking.grids.slice(0, 10).map((g) =>
    el(
      "tr",
      { "data-code": g.code },
      el("td", null, String(g.rank)),
      el("th", null, g.name),
      el("td", null, `${g.township} ${g.village}`),
      el("td", null, g.score === null ? "无数据" : g.score.toFixed(1)),
      el("td", { class: "reports-stars", "aria-label": `${g.stars} 星` }, "★".repeat(g.stars) + "☆".repeat(5 - g.stars)),
      el("td", null, percent(g.parts.closure)),
      el("td", null, percent(g.parts.onTime)),
      el("td", null, percent(g.parts.satisfaction)),
      el("td", null, percent(g.parts.patrol)),
    ),
  );
  document.querySelector("#reports-stars tbody").replaceChildren(...rows);
}

/** 十佳网格员: the period's ten best grid people of the area. */
async function topWorkers() {
  const top = await getJson(`api/rankings/workers?jurisdiction=${code}&${view.dataset.workers}`);
  document.getElementById("reports-workers-period").textContent = top.period;
  const rows = top.workers.map((w) =>
    el(
      "tr",
      { "data-worker": w.id },
      el("td", null, String(w.rank)),
      el("th", null, w.name),
      el("td", null, w.grid),
      el("td", null, `${w.township} ${w.village}`),
      el("td", null, w.score === null ? "无数据" : w.score.toFixed(1)),
      el("td", null, String(w.figures.reports)),
      el("td", null, String(w.figures.onTheSpot)),
      el("td", null, String(w.figures.handled)),
      el("td", null, percent(w.parts.onTime)),
      el("td", null, percent(w.parts.satisfaction)),
      el("td", null, percent(w.parts.patrol)),
    ),
  );
  document.querySelector("#reports-workers tbody").replaceChildren(...rows);
}

/** 四无村: per township its villages with each flag and all four, and the area's total, like the county's yearly figures. */
async function fourNo() {
  const table = document.getElementById("reports-four-no");
  if (!table) return;
  const year = await getJson(`api/rankings/four-no?jurisdiction=${code}&year=${view.dataset.year}`);
  const row = (tag, area) =>
    el(
      "tr",
      { "data-code": area.code },
      el("th", null, area.name),
      ...[area.counts.villages, area.counts.noLitigation, area.counts.noCriminalCase, area.counts.noPublicSecurityCase, area.counts.noDisputeBacklog, area.counts.allFour]
        .map((v) => el(tag, null, String(v))),
      el(tag, null, percent(area.allFourShare)),
    );
  table.querySelector("tbody").replaceChildren(...year.townships.map((t) => row("td", t)));
  table.querySelector("tfoot").replaceChildren(row("td", { ...year.total, name: `合计(${year.total.name})` }));
}

/**
 * 重点案件: the cases supervised, reopened or rated dissatisfied within the period (the same events the cards count),
 * and those overdue and open now, each list with a link to all of them in the console.
 */
async function notable() {
  const open = "status=reported,verified,ticketed,dispatched,accepted,handled";
  const lists = [
    ["reports-supervised", `notable=supervised&${period}`],
    ["reports-reopened", `notable=reopened&${period}`],
    ["reports-dissatisfied", `notable=dissatisfied&${period}`],
    ["reports-overdue", `overdue=true&${open}`],
  ];
  for (const [id, query] of lists) {
    const incidents = await getJson(`api/incidents?jurisdiction=${code}&${query}&limit=15`);
    const items = incidents.map((i) => el("li", null, el("a", { href: `/console/${i.id}` }, i.title)));
    document.getElementById(id).replaceChildren(...(items.length ? items : [el("li", { class: "reports-none" }, "无")]));
    document.getElementById(`${id}-all`).href = `/console?jurisdiction=${code}&${query}`;
  }
}

async function show() {
  const state = document.getElementById("reports-state");
  try {
    const [total, byCategory, bySource] = await Promise.all([
      getJson(`api/stats/${code}?${period}&by=${view.dataset.trend}`),
      getJson(`api/stats/${code}?${period}&by=category`),
      getJson(`api/stats/${code}?${period}&by=source`),
    ]);
    showCards(total.total, total.field);
    await trend(total.groups);
    await bars("reports-category", byCategory.groups);
    await bars("reports-source", bySource.groups);
    if (view.dataset.children) {
      const children = (await getJson(`api/stats/${code}?${period}&by=child`)).groups;
      const trends = await Promise.all(children.map((c) => getJson(`api/stats/${encodeURIComponent(c.key)}?${period}&by=${view.dataset.trend}`)));
      childRows(children, trends);
      await childMap(children);
    }
    await stars();
    await topWorkers();
    await fourNo();
    await notable();
    state.hidden = true;
    view.dataset.shown = "true";
  } catch (error) {
    state.textContent = `加载失败:${error.message ?? error}`;
  }
}

document.getElementById("reports-print").addEventListener("click", () => window.print());
show();
