// The console's 应急指挥 panel (/console): the running command sessions one follows (to their boards) and the latest
// instructions to stations of one's jurisdiction with how many signed and reported back, red when a deadline passed
// unmet. Shown to the roles that follow sessions; the server decides what each list holds. A station's account also
// gets the instruction banner and its roll calls (视频点名, roll-call.js) here, as on its wall (its station's feed is
// watched for instructionIssued and rollCall). Text only.

import { getJson } from "./api.js";
import { chinaDateTime } from "./china-time.js";
import { el } from "./dom.js";
import { COMMAND_LEVEL_LABELS, label } from "./labels.js";
import { watchFeeds } from "./wall-feed.js";
import { RollCallBanner } from "./roll-call.js";
import { InstructionBanner } from "./wall-instructions.js";

const INSTRUCTIONS_LISTED = 20;

export async function showCommand() {
  showBanner();
  await Promise.all([showSessions(), showInstructions()]);
}

/** The banners of the instructions to one's own station and of its roll calls, on every console page of a station's account. */
export function showBanner() {
  const root = document.getElementById("console-instruction-banner");
  if (!root) return;
  const signal = new AbortController().signal;
  const banner = new InstructionBanner({ root, station: root.dataset.station, signal });
  const rollCallRoot = document.getElementById("console-roll-call");
  const rollCalls = new RollCallBanner({ root: rollCallRoot, station: rollCallRoot.dataset.station, signal });
  banner.load();
  rollCalls.load();
  watchFeeds({
    codes: [root.dataset.station],
    changed: () => {},
    instructed: () => {
      banner.load();
      showInstructions();
    },
    rollCall: () => rollCalls.notice(),
    status: (state) => {
      if (state === "live") {
        banner.load();
        rollCalls.load();
      }
    },
  });
}

async function showSessions() {
  const list = document.getElementById("console-sessions");
  const state = document.getElementById("console-sessions-state");
  if (!list) return;
  try {
    const sessions = await getJson("/api/command-sessions?open=true");
    list.replaceChildren(
      ...sessions.map((s) =>
        el(
          "li",
          { "data-session-id": s.id },
          el("a", { href: `/command/${s.id}` }, s.title),
          el(
            "span",
            { class: "console-supervision" },
            `${s.areaName} · ${label(COMMAND_LEVEL_LABELS, s.level)} · ${chinaDateTime(s.openedAt).slice(0, 16)} 开启${s.leaderName ? ` · 领屏 ${s.leaderName}` : ""}`,
          ),
        ),
      ),
    );
    state.textContent = sessions.length ? "" : "暂无进行中的指挥会话";
  } catch (error) {
    state.textContent = `加载失败:${error.message}`;
  }
}

async function showInstructions() {
  const list = document.getElementById("console-instructions");
  const state = document.getElementById("console-instructions-state");
  if (!list) return;
  try {
    const instructions = await getJson(`/api/instructions?limit=${INSTRUCTIONS_LISTED}`);
    list.replaceChildren(
      ...instructions.map((i) => {
        const t = i.tally;
        const missed = t.signMissed + t.reportMissed > 0;
        return el(
          "li",
          { "data-instruction-id": i.id, class: missed ? "is-overdue" : null },
          i.session ? el("a", { href: `/command/${i.session}` }, i.text) : el("span", null, i.text),
          el(
            "span",
            { class: "console-supervision" },
            `${i.issuedByName} · ${chinaDateTime(i.issuedAt).slice(5, 16)} · 签收 ${t.signed}/${t.recipients} · 回执 ${t.reported}/${t.recipients}`,
            missed ? el("span", { class: "console-badge is-overdue" }, `超时 ${Math.max(t.signMissed, t.reportMissed)}`) : null,
          ),
        );
      }),
    );
    state.textContent = instructions.length ? "" : "暂无指令";
  } catch (error) {
    state.textContent = `加载失败:${error.message}`;
  }
}
