// The current tree's areas for the administrator's page, read once and shared by its parts: by code, and each
// area's place named by its ancestors below the root ("四龙镇 · 红星村").
import { getJson } from "./api.js";
import { el } from "./dom.js";

let loading = null;

/** The areas by code (read again when `fresh`, after an edit of the tree). */
export function areasByCode(fresh = false) {
  if (!loading || fresh) loading = getJson("/api/jurisdictions").then((areas) => new Map(areas.map((a) => [a.code, a])));
  return loading;
}

/** An area's ancestors below the root, nearest last, joined: where it lies. */
export function placeOf(byCode, area) {
  const names = [];
  for (let current = byCode.get(area?.parentCode), guard = 0; current?.parentCode && guard < 8; current = byCode.get(current.parentCode), guard++) {
    names.unshift(current.name);
  }
  return names.join(" · ");
}

/**
 * A search's results as the page lists them: for each item (its key in `data-{attribute}`) a button with its name and
 * a note of where it lies; "没有找到。" when there are none, nothing before anything is asked.
 */
export function showFound(list, query, items, attribute) {
  if (!query) {
    list.replaceChildren();
    return;
  }
  list.replaceChildren(
    ...items.map((item) =>
      el(
        "li",
        { [`data-${attribute}`]: item.key },
        el("button", { type: "button", class: "admin-tree-pick" }, item.name),
        el("span", { class: "admin-tree-where" }, item.where),
      ),
    ),
  );
  if (!items.length) list.replaceChildren(el("li", null, "没有找到。"));
}
