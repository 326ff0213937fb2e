// DOM building for every page: text only, never HTML strings, so data from reports can never turn into markup.

/**
 * Creates an element. `attrs` values are set as attributes (className via the `class` key); children are
 * nodes or strings, and strings always become text nodes.
 */
export function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  if (attrs) {
    for (const [name, value] of Object.entries(attrs)) {
      if (value === undefined || value === null || value === false) continue;
      node.setAttribute(name, value === true ? "" : String(value));
    }
  }
  for (const child of children) {
    if (child === undefined || child === null || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}
