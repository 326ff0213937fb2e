// The current tree's areas for the administrator's page, read once and shared by its parts: by code, and each
// area's place named by its ancestors below the root ("四龙镇 · 红星村").
import { getJson } from "./api.js";

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
