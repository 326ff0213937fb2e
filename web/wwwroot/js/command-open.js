// 发起应急指挥 (/command): opens a command session from the form (its area, level and the stations taking part) and
// goes to its board. The form's button is enabled here: the page itself never posts.

import { post } from "./api.js";

const form = document.getElementById("command-open");
form?.addEventListener("submit", async (event) => {
  event.preventDefault();
  const result = await post("api/command-sessions", {
    title: form.elements.title.value,
    level: form.elements.level.value,
    area: form.elements.area.value,
    participants: [...form.querySelectorAll("input[name=participant]:checked")].map((i) => i.value),
  });
  if (result.ok) window.location.assign(`/command/${encodeURIComponent(result.data.id)}`);
  else form.querySelector(".command-form-error").textContent = result.error;
});
form?.querySelector("button[type=submit]").removeAttribute("disabled");
