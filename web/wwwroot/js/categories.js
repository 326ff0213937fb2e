// The configured incident categories' names, by code, as the server writes them into every signed-in page
// (#category-names, Components/Shared/CategoryNames.razor): a page shows a category by its name (矛盾纠纷 › 邻里纠纷),
// never by its code. A code the page does not know (added after it loaded) shows as it is until the next load.
const names = (() => {
  const node = document.getElementById("category-names");
  try {
    return node ? JSON.parse(node.textContent) : {};
  } catch {
    return {};
  }
})();

export function categoryName(code) {
  return Object.hasOwn(names, code) ? names[code] : code;
}
