// Camera snapshots (GET api/cameras/{id}/snapshot) and incident photos as images: fetched as blobs and shown through
// object URLs, each revoked as soon as its image is replaced or let go, so that a page can refresh them for days
// without holding on to old frames. A failed snapshot answers problem+json: its title is what the person reads.

export const CAMERA_STATUS_LABELS = Object.freeze({ online: "在线", offline: "离线", unknown: "未检测" });

export class SnapshotError extends Error {
  constructor(title, status) {
    super(title);
    this.status = status;
  }
}

/** The image at `url` as a Blob; a SnapshotError with the problem's title when the server says no. */
export async function fetchImage(url, signal) {
  const response = await fetch(url, { signal, credentials: "same-origin", cache: "no-store", headers: { Accept: "image/*, application/problem+json" } });
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
  return response.blob();
}

/** One <img> showing blobs: the previous object URL is revoked when the next is shown, and on release (the image hides). */
export class BlobImage {
  constructor(img) {
    this.img = img;
    this.url = null;
  }

  show(blob) {
    const previous = this.url;
    this.url = URL.createObjectURL(blob);
    this.img.src = this.url;
    this.img.hidden = false;
    if (previous) URL.revokeObjectURL(previous);
  }

  release() {
    if (this.url) URL.revokeObjectURL(this.url);
    this.url = null;
    this.img.removeAttribute("src");
    this.img.hidden = true;
  }
}
