// Camera snapshots and incident photos as images: shown through object URLs, each revoked as soon as its image is
// replaced or let go, so that a page can refresh them for days without holding on to old frames.

/** One <img> showing blobs: the previous object URL is revoked when the next is shown, and on release (the image hides). */
export class BlobImage {
  constructor(img) {
    this.img = img;
    this.url = null;
  }

  /** Shows the blob; resolves once the image is decoded (it is on screen), rejects when it is no image. */
  async show(blob) {
    const previous = this.url;
    this.url = URL.createObjectURL(blob);
    this.img.src = this.url;
    this.img.hidden = false;
    if (previous) URL.revokeObjectURL(previous);
    await this.img.decode();
  }

  release() {
    if (this.url) URL.revokeObjectURL(this.url);
    this.url = null;
    this.img.removeAttribute("src");
    this.img.hidden = true;
  }
}
