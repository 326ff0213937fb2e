// The categories page for administrators (/categories): each row saves its name, order, whether it is in use and
// what it counts as (PUT /api/categories/{code}); the form below adds a category, a child under the parent chosen.
// The server checks every field and answers what is wrong; the page reloads after a change to show the list as stored.
import { put } from "./api.js";

function body(scope) {
  return {
    name: scope.querySelector("[name=name]").value,
    order: Number(scope.querySelector("[name=order]").value || 0),
    active: scope.querySelector("[name=active]")?.checked ?? true,
    countsAs: [...scope.querySelectorAll("[name=countsAs]:checked")].map((box) => box.value),
  };
}

async function save(code, scope, state) {
  state.textContent = "保存中…";
  const result = await put(`/api/categories/${encodeURIComponent(code)}`, body(scope));
  if (!result.ok) {
    state.textContent = `未保存:${result.error}`;
    return;
  }
  state.textContent = "已保存";
  location.reload();
}

for (const row of document.querySelectorAll(".categories-table tr[data-code]")) {
  const button = row.querySelector(".category-save");
  button?.addEventListener("click", () => save(row.dataset.code, row, row.querySelector(".category-state")));
}

const add = document.getElementById("category-add");
add?.addEventListener("submit", (event) => {
  event.preventDefault();
  const parent = add.elements.parent.value;
  const own = add.elements.code.value.trim();
  save(parent ? `${parent}.${own}` : own, add, document.getElementById("category-add-state"));
});
