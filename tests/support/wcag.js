// The page-side half of tests/support/wcag.py: each check measures the page as it is laid
// out now and returns what fails, in words (null or [] when nothing does).
const name = (e) => e.tagName.toLowerCase() + (e.id ? `#${e.id}` : '') + (e.className ? `.${String(e.className).split(' ').join('.')}` : '');
const words = (e) => (e.innerText || e.value || e.getAttribute('aria-label') || '').trim().slice(0, 40);

const checks = {
  // Which sticky or fixed element hides the focused one, at its middle or a corner (2.4.11).
  covering() {
    const focused = document.activeElement;
    if (!focused || focused === document.body) return null;
    const box = focused.getBoundingClientRect();
    if (!box.width || !box.height) return null;
    const inset = Math.min(2, box.width / 4, box.height / 4);
    const points = [
      [box.left + box.width / 2, box.top + box.height / 2],
      [box.left + inset, box.top + inset],
      [box.right - inset, box.top + inset],
      [box.left + inset, box.bottom - inset],
      [box.right - inset, box.bottom - inset],
    ];
    const bar = (element) => {
      for (let e = element; e && e !== document.documentElement; e = e.parentElement) {
        if (e.contains(focused)) return null;
        if (['fixed', 'sticky'].includes(getComputedStyle(e).position)) return e;
      }
      return null;
    };
    for (const [x, y] of points) {
      if (x < 0 || y < 0 || x >= innerWidth || y >= innerHeight) return `${name(focused)} "${words(focused)}" is out of view`;
      const top = document.elementFromPoint(x, y);
      const over = top && !focused.contains(top) && bar(top);
      if (over) return `${name(focused)} "${words(focused)}" is under ${name(over)}`;
    }
    return null;
  },

  // Every visible button, link and field under 24 x 24 CSS px whose 24 px circle, centred
  // on it, reaches another target: what 2.5.8 allows neither by size nor by spacing. A link
  // in a line of text is excepted, as 2.5.8 excepts it.
  smallTargets() {
    const selector = 'a[href], button, input, select, textarea, summary, [role=button], [role=tab]';
    const targets = [...document.querySelectorAll(selector)]
      .filter((e) => e.type !== 'hidden' && !e.closest('.visually-hidden'))
      .filter((e) => e.checkVisibility({ visibilityProperty: true, opacityProperty: true }))
      .map((e) => ({ e, box: e.getBoundingClientRect() }))
      .filter(({ box }) => box.width > 0 && box.height > 0);
    const inText = (e) =>
      e.tagName === 'A' && getComputedStyle(e).display === 'inline' && e.parentElement.textContent.trim().length > e.textContent.trim().length;
    const centre = (box) => [box.left + box.width / 2, box.top + box.height / 2];
    const gap = ([x, y], box) => Math.hypot(Math.max(box.left - x, 0, x - box.right), Math.max(box.top - y, 0, y - box.bottom));
    const found = [];
    for (const { e, box } of targets) {
      if ((box.width >= 24 && box.height >= 24) || inText(e)) continue;
      const middle = centre(box);
      const crowded = targets.some(({ e: other, box: otherBox }) => {
        if (other === e || other.contains(e) || e.contains(other)) return false;
        const [x, y] = centre(otherBox);
        return gap(middle, otherBox) < 12 || Math.hypot(middle[0] - x, middle[1] - y) < 24;
      });
      if (crowded) found.push(`${name(e)} "${words(e)}" ${Math.round(box.width)}x${Math.round(box.height)}`);
    }
    return found;
  },

  // How the page is wider than its window, and what sticks out (1.4.10).
  sideways() {
    const root = document.documentElement;
    if (root.scrollWidth <= root.clientWidth) return null;
    const out = (e) => e.getBoundingClientRect().right > root.clientWidth + 1;
    const first = [...document.body.querySelectorAll('*')].filter((e) => out(e) && !out(e.parentElement)).slice(0, 5);
    return `${root.scrollWidth} px wide in ${root.clientWidth}: ${first.map((e) => `${name(e)} (to ${Math.round(e.getBoundingClientRect().right)})`).join(', ')}`;
  },

  // What moves for longer than a moment: transitions and animations (2.3.3).
  moving() {
    const seconds = (list) => Math.max(...list.split(',').map((t) => parseFloat(t) * (t.trim().endsWith('ms') ? 0.001 : 1)));
    const found = [];
    for (const e of document.querySelectorAll('*')) {
      for (const pseudo of [null, '::before', '::after']) {
        const style = getComputedStyle(e, pseudo);
        const transition = style.transitionProperty !== 'none' && seconds(style.transitionDuration) > 0.01;
        const animation = style.animationName !== 'none' && seconds(style.animationDuration) > 0.01;
        if (transition || animation) found.push(name(e) + (pseudo ?? ''));
      }
    }
    return found.slice(0, 10);
  },
};
