// Shared by the console (/console), the grid worker's phone page (/m) and the citizen's rating page (/rate):
// Chinese labels for the closed loop's words, and POSTs that carry a fresh Idempotency-Key and turn a
// problem+json answer into text a person can read.

export const ACTION_LABELS = Object.freeze({
  verify: "核实",
  reject: "驳回",
  merge: "合并",
  resolve: "就地办结",
  ticket: "制单",
  dispatch: "派单",
  accept: "接单",
  handle: "处置",
  feedback: "反馈",
  rate: "评单",
  assess: "考单",
  escalate: "上报上级",
});

export const EVENT_LABELS = Object.freeze({
  reported: "上报",
  verified: "核实",
  rejected: "驳回",
  merged: "合并到其他案件",
  linked: "合并了重复上报",
  resolved: "就地办结",
  ticketed: "制单",
  dispatched: "派单",
  accepted: "接单",
  handled: "处置",
  fedBack: "反馈",
  feedbackShared: "收到主案件的反馈",
  rated: "群众评价",
  reopened: "不满意,重新处置",
  assessed: "考单",
  escalated: "上报上级",
  overdue: "超期,开始督办",
  supervisionEscalated: "督办超期,上级督办",
  attached: "上传照片",
  cameraRecovered: "摄像头恢复在线",
});

export const STEP_LABELS = Object.freeze({
  ticket: "制单",
  accept: "接单",
  handle: "做单",
  feedback: "反馈",
  supervision: "督办",
});

export const RATING_LABELS = Object.freeze({
  satisfied: "满意",
  neutral: "一般",
  dissatisfied: "不满意",
});

export const ASSIGNEE_LABELS = Object.freeze({
  worker: "人员",
  jurisdiction: "下级",
  department: "职能部门",
});

/** A key for one request, reused only by its retries; crypto.randomUUID where the page is a secure context. */
export function newKey() {
  if (typeof crypto.randomUUID === "function") return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

/** The readable text of an error answer: problem+json detail, or each field's messages, or the status. */
export async function problemText(response) {
  let problem = null;
  try {
    problem = await response.json();
  } catch {
    // not JSON: the status says enough
  }
  const parts = [];
  if (problem && typeof problem === "object") {
    if (problem.errors && typeof problem.errors === "object") {
      for (const [field, messages] of Object.entries(problem.errors)) {
        parts.push(`${field}: ${Array.isArray(messages) ? messages.join(" ") : String(messages)}`);
      }
    }
    if (parts.length === 0 && problem.detail) parts.push(String(problem.detail));
    if (parts.length === 0 && problem.title) parts.push(String(problem.title));
  }
  return parts.length ? parts.join(";") : `请求失败(HTTP ${response.status})`;
}

/**
 * POSTs a JSON body with a fresh Idempotency-Key (or raw bytes, for photos). Answers { ok: true, data } or
 * { ok: false, error } with the server's reason as text; a lapsed sign-in goes back to the sign-in page.
 */
export async function post(url, body, { raw = false } = {}) {
  const headers = { Accept: "application/json", "Idempotency-Key": newKey() };
  if (!raw) headers["Content-Type"] = "application/json";
  let response;
  try {
    response = await fetch(url, { method: "POST", headers, body: raw ? body : JSON.stringify(body ?? {}), credentials: "same-origin" });
  } catch {
    return { ok: false, error: "网络连接失败,请稍后重试。" };
  }
  if (response.status === 401) {
    location.assign(`/signin?ReturnUrl=${encodeURIComponent(location.pathname + location.search)}`);
    return { ok: false, error: "登录已过期。" };
  }
  if (!response.ok) return { ok: false, error: await problemText(response) };
  return { ok: true, data: await response.json() };
}

/** Uploads each photo to the incident and answers the attachment ids, or the first error. */
export async function uploadPhotos(incidentId, files) {
  const ids = [];
  for (const file of files) {
    const result = await post(`/api/incidents/${encodeURIComponent(incidentId)}/attachments`, file, { raw: true });
    if (!result.ok) return { ok: false, error: `照片“${file.name}”上传失败:${result.error}` };
    ids.push(result.data.id);
  }
  return { ok: true, ids };
}
