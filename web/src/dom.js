// dom.js — the one DOM helper the page's modules share: el(tag, attributes, ...children).

/** A DOM element with attributes (null / false left out, true as an empty attribute) and children (strings become text). */
export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) if (v != null && v !== false) node.setAttribute(k, v === true ? '' : v);
  node.append(...children.flat().filter((c) => c != null && c !== false));
  return node;
}
