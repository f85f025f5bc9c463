// The one way views make elements. User text only ever goes in through `text` or string
// children, which become text nodes (textContent), never HTML.
const SVG_NS = 'http://www.w3.org/2000/svg';

export function el(tag, props = {}, ...children) {
  const node = fill(document.createElement(tag), props, children);
  if (isTypedInto(node) && !('dir' in props)) node.dir = 'auto';
  return node;
}

// What people type may be in any language (a Polish name on an Arabic board): a text field
// takes its direction from what is typed in it, whatever the page's.
function isTypedInto(node) {
  return node.localName === 'textarea' || (node.localName === 'input' && (node.type === 'text' || node.type === 'search'));
}

// The same for SVG (the picture of a revealed round); attributes are set as given.
export function svgEl(tag, props = {}, ...children) {
  return fill(document.createElementNS(SVG_NS, tag), props, children);
}

function fill(node, props, children) {
  for (const [key, value] of Object.entries(props)) {
    if (value === null || value === undefined || value === false) continue;
    if (key === 'text') node.textContent = value;
    else if (key === 'class') node.setAttribute('class', value);
    else if (key === 'dataset') Object.assign(node.dataset, value);
    else if (key.startsWith('on')) node.addEventListener(key.slice(2), value);
    else node.setAttribute(key, value === true ? '' : value);
  }
  node.append(...children.filter((child) => child !== null && child !== undefined && child !== false));
  return node;
}

// Sets text only when it changed, so screen readers and selections are not disturbed.
export function setText(node, text) {
  if (node.textContent !== text) node.textContent = text;
}

export function show(node, visible) {
  node.hidden = !visible;
}

// Puts `nodes` into `container` in this order, moving only what is out of place (a moved
// element loses the focus), and takes out every other child.
export function placeChildren(container, nodes) {
  let cursor = container.firstChild;
  for (const node of nodes) {
    if (node === cursor) cursor = cursor.nextSibling;
    else container.insertBefore(node, cursor);
  }
  while (cursor) {
    const next = cursor.nextSibling;
    cursor.remove();
    cursor = next;
  }
}
