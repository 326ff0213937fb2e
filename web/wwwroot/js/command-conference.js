// The session board's video conference panel (视频会商): 加入 joins it with camera and microphone (for those who may
// publish; the others watch; it is enabled once this module runs), 退出 leaves it; a reload rejoins by itself. See
// conference.js.

import { Conference } from "./conference.js";

const root = document.getElementById("command-conference");
if (root) {
  const conference = new Conference(root, root.dataset.session);
  const join = root.querySelector("[data-conference-join]");
  join.addEventListener("click", () => conference.start());
  join.disabled = false;
  root.querySelector("[data-conference-leave]").addEventListener("click", () => conference.stop());
  conference.resume();
}
