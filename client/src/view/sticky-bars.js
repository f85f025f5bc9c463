// Keeps what the keyboard focuses clear of the bars that stay on screen while the page
// scrolls (WCAG 2.4.11): "Exit this page" and a phone's tabs at the top, the toasts at the
// bottom. Their room, measured whenever they change, is the page's scroll padding, so the
// browser scrolls a focused element out from under them; and the tabs stick just below
// "Exit this page" rather than under it.
export function keepFocusClearOfBars({ exit, tabs, toasts }) {
  const root = document.documentElement;
  const sticks = (element) => Boolean(element) && getComputedStyle(element).position === 'sticky';
  const margin = 8; // a little space between the bar and what has the focus
  const measure = () => {
    const exitHeight = sticks(exit) ? exit.offsetHeight : 0;
    const tabsHeight = sticks(tabs) ? tabs.offsetHeight : 0;
    const toastsTop = toasts?.childElementCount ? toasts.getBoundingClientRect().top : window.innerHeight;
    root.style.setProperty('--quick-exit-height', `${exitHeight}px`);
    root.style.scrollPaddingTop = `${exitHeight + tabsHeight + margin}px`;
    root.style.scrollPaddingBottom = `${Math.max(0, window.innerHeight - toastsTop) + margin}px`;
  };
  const observer = new ResizeObserver(measure);
  for (const bar of [exit, tabs, toasts]) if (bar) observer.observe(bar);
  window.addEventListener('resize', measure);
  measure();
}
