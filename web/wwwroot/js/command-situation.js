// The board's 态势 panel (/command/{id}): each incident of the session with its state, the cameras near it (their
// latest frames: one's own cameras as any camera's, shared ones through the session), the nearest available
// responders and the latest steps of its timeline — the last two only for those who may read them (the server
// refuses the others, and the panel leaves them out). Read at start and every RELOAD_MS. Text only.

import { fetchSnapshot, getJson } from "./api.js";
import { BlobImage } from "./camera-snapshot.js";
import { chinaDateTime, chinaTime } from "./china-time.js";
import { categoryName } from "./categories.js";
import { el } from "./dom.js";
import { CAMERA_STATUS_LABELS, DUTY_LABELS, EVENT_LABELS, STATUS_LABELS, distanceText, label } from "./labels.js";

const RELOAD_MS = 30_000;
const RESPONDERS = 5;
const TIMELINE = 5;

/** Answers the JSON, or null when the server refuses it to this caller (or it fails: the panel shows what it has). */
async function optional(url) {
  try {
    return await getJson(url);
  } catch {
    return null;
  }
}

export class Situation {
  /**
   * @param {HTMLElement} root the panel's content
   * @param {string} sessionPath the session in API paths
   */
  constructor(root, sessionPath) {
    this.root = root;
    this.sessionPath = sessionPath;
    this.images = [];
  }

  start() {
    this.load();
    setInterval(() => this.load(), RELOAD_MS);
  }

  async load() {
    const shared = await optional(`${this.sessionPath}/shared`);
    if (!shared) return;
    const cards = await Promise.all(shared.incidents.map((incident) => this.card(incident)));
    for (const image of this.images) image.release();
    this.images = [];
    this.root.replaceChildren(...(cards.length ? cards : [el("p", { class: "command-situation-none" }, "本会话未关联事件")]));
    for (const card of cards) this.showFrames(card);
  }

  async card(incident) {
    const [responders, timeline] = await Promise.all([
      optional(`/api/incidents/${encodeURIComponent(incident.id)}/responders?limit=${RESPONDERS}`),
      optional(`/api/incidents/${encodeURIComponent(incident.id)}/timeline`),
    ]);
    return el(
      "article",
      { class: "command-situation-incident", "data-incident-id": incident.id },
      el("h3", null, incident.title),
      el("p", { class: "command-situation-meta" }, `${categoryName(incident.category)} · ${label(STATUS_LABELS, incident.status)} · ${incident.gridName} · ${chinaDateTime(incident.reportedAt).slice(5, 16)}`),
      el(
        "div",
        { class: "command-situation-cameras" },
        ...(incident.cameras.length
          ? incident.cameras.map((c) =>
              el(
                "figure",
                { class: "command-situation-camera", "data-camera-id": c.id, "data-snapshot": c.snapshotUrl },
                el("img", { alt: `${c.name} 实时画面`, hidden: true }),
                el("figcaption", null, `${c.name} · ${distanceText(c.distanceMeters)} · ${label(CAMERA_STATUS_LABELS, c.status)}`),
              ),
            )
          : [el("p", { class: "command-situation-none" }, "附近无可查看的摄像头")]),
      ),
      !Array.isArray(responders)
        ? null
        : responders.length
          ? el(
              "ul",
              { class: "command-situation-responders", "aria-label": "附近力量" },
              ...responders.map((r) => el("li", null, `${r.name} · ${r.gridName} · ${distanceText(r.distanceMeters)} · ${label(DUTY_LABELS, r.status)}`)),
            )
          : el("p", { class: "command-situation-none" }, "附近暂无在岗力量"),
      Array.isArray(timeline)
        ? el(
            "ol",
            { class: "command-situation-timeline", "aria-label": "处置经过" },
            ...timeline.slice(-TIMELINE).map((e) => el("li", null, `${chinaTime(e.at).slice(0, 5)} ${label(EVENT_LABELS, e.kind)}`)),
          )
        : null,
    );
  }

  /** The cameras' latest frames, each when it comes (a camera that fails says why). */
  showFrames(card) {
    for (const figure of card.querySelectorAll(".command-situation-camera")) {
      const image = new BlobImage(figure.querySelector("img"));
      this.images.push(image);
      fetchSnapshot(figure.dataset.snapshot)
        .then(({ blob }) => image.show(blob))
        .then(() => (figure.dataset.state = "shown"))
        .catch((error) => {
          figure.dataset.state = "failed";
          figure.querySelector("figcaption").append(` · 无法取得画面:${error.message}`);
        });
    }
  }
}
