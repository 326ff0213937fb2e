// Camera snapshots and incident photos as images: shown through object URLs, each revoked as soon as its image is
// replaced or let go, so that a page can refresh them for days without holding on to old frames.

/** One <img> showing blobs: the previous object URL is revoked when the next is shown, and on release (the image hides). */
export class BlobImage {
  constructor(img) {
    this.img = img;
    this.url = null;
  }

  /**
   * Shows the blob; resolves once it is on screen, rejects when it is no image (the one shown stays). The new frame is
   * decoded off-screen first and then swapped in (an image already decoded in the document shows at once), so the
   * element never goes blank between two frames.
   */
  async show(blob) {
    const url = URL.createObjectURL(blob);
    const next = new Image();
    next.src = url;
    try {
      await next.decode();
    } catch (error) {
      URL.revokeObjectURL(url);
      throw error;
    }
    const previous = this.url;
    this.url = url;
    this.img.src = url;
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
