// 乡镇月报 on the console's list page of a county (区县月报 on a city's): which townships' (counties') monthly reports of
// the latest month due the monthly report job has stored (GET /api/reports/{code}/monthly-ready), each with its
// download (the stored workbook) or 未生成.

import { getJson } from "./api.js";
import { el } from "./dom.js";

const list = document.getElementById("console-monthly");
if (list) {
  const code = encodeURIComponent(document.getElementById("console").dataset.jurisdiction);
  getJson(`api/reports/${code}/monthly-ready`)
    .then((ready) => {
      document.getElementById("console-monthly-period").textContent = ready.period;
      list.replaceChildren(
        ...ready.units.map((t) =>
          el(
            "li",
            { "data-code": t.code, class: t.ready ? "is-ready" : "is-missing" },
            el("span", null, t.name),
            " ",
            t.ready
              ? el("a", { href: `/api/reports/${encodeURIComponent(t.code)}/stored/monthly.xlsx?month=${ready.month}`, download: "" }, "已生成 · 下载")
              : el("span", { class: "console-monthly-missing" }, `未生成(每月 ${ready.buildDay} 日生成上月月报)`),
          ),
        ),
      );
    })
    .catch(() => list.replaceChildren(el("li", null, "月报情况暂时无法读取")));
}
