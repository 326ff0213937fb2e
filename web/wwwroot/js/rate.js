// The citizen's rating page (/rate/{id}?t=token): posts 满意/一般/不满意 with the link's token; 不满意 needs a reason.
// Loaded as a module by Components/Pages/Rate.razor.

import { post } from "./api.js";
import { RATING_LABELS } from "./labels.js";

// What the citizen reads when the link can no longer rate (the page said so already when it was opened too late).
const REFUSALS = {
  409: "您已评价,感谢您的反馈。事件如再次办结,可用此链接重新评价。",
  410: "链接已过期,不能再评价。如对办理结果有意见,请拨打12345热线反映。",
};

const root = document.getElementById("rate");
const form = document.getElementById("rate-form");
if (root && form) {
  const error = document.getElementById("rate-error");
  const done = document.getElementById("rate-done");
  form.addEventListener("change", () => {
    form.elements.note.required = form.elements.rating.value === "dissatisfied";
  });
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const button = form.querySelector("button[type=submit]");
    const rating = form.elements.rating.value;
    const note = form.elements.note.value.trim();
    button.disabled = true;
    error.hidden = true;
    const result = await post(`/api/incidents/${root.dataset.incident}/rate`, { token: root.dataset.token, rating, ...(note ? { note } : {}) });
    button.disabled = false;
    if (!result.ok) {
      error.textContent = REFUSALS[result.status] ?? result.error;
      error.hidden = false;
      return;
    }
    form.remove();
    done.textContent = `已提交评价:${RATING_LABELS[rating]}。感谢您的反馈!`;
    done.hidden = false;
  });
}
