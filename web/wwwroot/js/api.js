// Every request a page makes to the API goes through here, so that one rule holds everywhere: an answer 401 (the
// sign-in lapsed, or was ended elsewhere) goes back to the sign-in page, which returns to this page afterwards.
// Writes carry a fresh Idempotency-Key and turn a problem+json answer into text a person can read.

/** To the sign-in page, which returns here afterwards; `ended` (a reason the hub gave) is what it tells the person. */
export function signInAgain(ended) {
  const reason = ended ? `&ended=${encodeURIComponent(ended)}` : "";
  location.assign(`/signin?ReturnUrl=${encodeURIComponent(location.pathname + location.search)}${reason}`);
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
  if (response.status === 401) signInAgain();
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
  return response.json();
}

/** A failed image request; its message is the problem's title, what the person reads. */
class SnapshotError extends Error {
  constructor(title, status) {
    super(title);
    this.status = status;
  }
}

/** The image at `url` (a camera snapshot, an incident photo) as a Blob; a SnapshotError when the server says no. */
export async function fetchImage(url, signal) {
  return (await imageResponse(url, signal)).blob();
}

/**
 * A camera's snapshot: the image and when the camera took it (`X-Snapshot-At`: a kept frame may be seconds old while
 * the next is captured), else the time of the answer.
 */
export async function fetchSnapshot(url, signal) {
  const response = await imageResponse(url, signal);
  return { blob: await response.blob(), takenAt: response.headers.get("X-Snapshot-At") ?? new Date().toISOString() };
}

async function imageResponse(url, signal) {
  const response = await fetch(url, { signal, credentials: "same-origin", cache: "no-store", headers: { Accept: "image/*, application/problem+json" } });
  if (response.status === 401) signInAgain();
  if (!response.ok) {
    let title = `HTTP ${response.status}`;
    try {
      const problem = await response.json();
      if (problem && typeof problem.title === "string") title = problem.title;
    } catch {
      // not problem+json: the status says it
    }
    throw new SnapshotError(title, response.status);
  }
  return response;
}

/** A key for one request, reused only by its retries; crypto.randomUUID where the page is a secure context. */
function newKey() {
  if (typeof crypto.randomUUID === "function") return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

/** The readable text of an error answer: problem+json detail, or each field's messages, or the status. */
async function problemText(response) {
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

/** Sends a body; answers { ok: true, response } or { ok: false, error } with the reason as text. */
async function send(method, url, body, headers) {
  let response;
  try {
    response = await fetch(url, { method, headers, body, credentials: "same-origin" });
  } catch {
    return { ok: false, error: "网络连接失败,请稍后重试。" };
  }
  if (response.status === 401) {
    signInAgain();
    return { ok: false, error: "登录已过期。" };
  }
  if (!response.ok) return { ok: false, status: response.status, error: await problemText(response) };
  return { ok: true, response };
}

/**
 * POSTs a JSON body with a fresh Idempotency-Key (or raw bytes, for photos). Answers { ok: true, data } or
 * { ok: false, error, status? } with the server's reason as text (and its status, when it answered).
 */
export async function post(url, body, { raw = false } = {}) {
  const headers = { Accept: "application/json", "Idempotency-Key": newKey() };
  if (!raw) headers["Content-Type"] = "application/json";
  const result = await send("POST", url, raw ? body : JSON.stringify(body ?? {}), headers);
  return result.ok ? { ok: true, data: await result.response.json() } : result;
}

/**
 * POSTs a file's bytes as `post` does, reporting the upload's progress to `onProgress(sent, total)` (fetch cannot):
 * for the large files of an import. Answers { ok: true, data } or { ok: false, error, status? }.
 */
export function postFile(url, bytes, contentType, onProgress) {
  return new Promise((resolve) => {
    const request = new XMLHttpRequest();
    request.open("POST", url);
    request.setRequestHeader("Accept", "application/json");
    request.setRequestHeader("Idempotency-Key", newKey());
    if (contentType) request.setRequestHeader("Content-Type", contentType);
    request.upload.addEventListener("progress", (event) => onProgress(event.loaded, event.lengthComputable ? event.total : bytes.byteLength));
    request.addEventListener("error", () => resolve({ ok: false, error: "网络连接失败,请稍后重试。" }));
    request.addEventListener("load", async () => {
      if (request.status === 401) {
        signInAgain();
        resolve({ ok: false, error: "登录已过期。" });
      } else if (request.status >= 200 && request.status < 300) {
        resolve({ ok: true, data: JSON.parse(request.responseText) });
      } else {
        resolve({ ok: false, status: request.status, error: await problemText(new Response(request.responseText, { status: request.status })) });
      }
    });
    request.send(bytes);
  });
}

/** DELETEs a resource; the server answers with JSON or nothing (204: data null). Answers { ok: true, data } or { ok: false, error }. */
export async function remove(url) {
  const result = await send("DELETE", url, undefined, { Accept: "application/json" });
  if (!result.ok) return result;
  return { ok: true, data: result.response.status === 204 ? null : await result.response.json() };
}

/** POSTs a JSON body the server answers with no body (204), such as positions. Answers { ok: true } or { ok: false, error }. */
export async function postWithoutAnswer(url, body) {
  const result = await send("POST", url, JSON.stringify(body), { "Content-Type": "application/json" });
  return result.ok ? { ok: true } : result;
}

/** PUTs a JSON document (a PUT is idempotent by itself: no key). Answers { ok: true } or { ok: false, error }. */
export async function put(url, body) {
  const result = await send("PUT", url, JSON.stringify(body), { "Content-Type": "application/json" });
  return result.ok ? { ok: true } : result;
}

/** PATCHes a JSON document (an edit of a resource). Answers { ok: true, data } or { ok: false, error, status? }. */
export async function patch(url, body) {
  const result = await send("PATCH", url, JSON.stringify(body), { "Content-Type": "application/json", Accept: "application/json" });
  return result.ok ? { ok: true, data: await result.response.json() } : result;
}

/** Uploads each photo to `url` (an incident's attachments, a report-back's photos) and answers their ids, or the first error. */
export async function uploadPhotos(url, files) {
  const ids = [];
  for (const file of files) {
    const result = await post(url, file, { raw: true });
    if (!result.ok) return { ok: false, error: `照片“${file.name}”上传失败:${result.error}` };
    ids.push(result.data.id);
  }
  return { ok: true, ids };
}
