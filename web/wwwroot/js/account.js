// The page of one's own account (/account): ending a session of one's own (this one included: then to the sign-in
// page) and changing one's own password (the other sessions end; this one goes on).

import { postWithoutAnswer, remove, signInAgain } from "./api.js";

document.getElementById("account-sessions")?.addEventListener("click", async (event) => {
  const button = event.target.closest(".account-end");
  if (!button) return;
  const row = button.closest("tr");
  const current = row.querySelector("td").textContent.includes("当前");
  const answer = await remove(`/api/auth/sessions/${encodeURIComponent(row.dataset.session)}`);
  if (!answer.ok) {
    row.querySelector(".account-row-state").textContent = answer.error;
    return;
  }
  if (current) signInAgain("endedByOwner");
  else row.remove();
});

const form = document.getElementById("account-password-form");
form?.addEventListener("submit", async (event) => {
  event.preventDefault();
  const state = document.getElementById("account-password-state");
  const answer = await postWithoutAnswer("/api/auth/password", {
    currentPassword: form.elements.currentPassword.value,
    password: form.elements.password.value,
  });
  state.textContent = answer.ok ? "密码已修改;其他设备上的登录已结束。" : `未修改:${answer.error}`;
  if (answer.ok) {
    form.reset();
    setTimeout(() => location.reload(), 1500);
  }
});
