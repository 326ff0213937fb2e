// 今日零报告未报 on the console's list page: the units below the listed area that have not reported today
// (wall-zero-reports.js's list, read again every minute).

import { MissingZeroReports } from "./wall-zero-reports.js";

const list = document.getElementById("console-zero-missing");
if (list) {
  new MissingZeroReports({
    list,
    count: document.getElementById("console-zero-missing-count"),
    code: document.getElementById("console").dataset.jurisdiction,
    signal: new AbortController().signal,
  }).load();
}
