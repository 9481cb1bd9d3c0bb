// A few DOM helpers. Text from the server (alert texts, descriptions, names) only ever goes in
// through textContent, never innerHTML: a report cannot inject markup into a dispatcher's page.

export const $ = (selector, root = document) => root.querySelector(selector);
export const $$ = (selector, root = document) => [...root.querySelectorAll(selector)];

// el('li', { class: 'x', dataset: { id: '1' }, onclick: f }, 'text', child, ...)
export function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === null || value === false) continue;
    if (name === 'dataset') Object.assign(node.dataset, value);
    else if (name.startsWith('on')) node.addEventListener(name.slice(2), value);
    else if (name === 'class') node.className = value;
    else node.setAttribute(name, value === true ? '' : value);
  }
  for (const child of children.flat()) {
    if (child === undefined || child === null || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

// svg('circle', { cx: 1, cy: 2, r: 3 }): an SVG element with its attributes.
export function svg(tag, attributes = {}) {
  const node = document.createElementNS('http://www.w3.org/2000/svg', tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
  return node;
}

// Replaces `container`'s children with `children`, which are keyed by the data attribute
// `key` (data-incident, say): the keyboard's focus on one of them (or inside one) moves to the
// new child of the same key, so a redraw does not drop a keyboard user to the top of the page.
export function replaceKeepingFocus(container, children, key) {
  const attribute = `data-${key}`;
  const focused = container.contains(document.activeElement) ? document.activeElement.closest(`[${attribute}]`)?.getAttribute(attribute) : null;
  container.replaceChildren(...children);
  if (focused !== null && focused !== undefined) container.querySelector(`[${attribute}="${CSS.escape(focused)}"]`)?.focus();
}

export function show(node, visible) {
  node.hidden = !visible;
}

// A random id for idempotency keys: a retried request is recorded once.
export function randomId() {
  const bytes = new Uint8Array(12);
  crypto.getRandomValues(bytes);
  return [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('');
}
