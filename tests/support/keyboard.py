"""Using a page by keyboard alone, as someone who cannot use a mouse would: the focus moves
only by Tab and Shift+Tab, and things are done by Enter, Space, arrows and typing."""

from __future__ import annotations

from playwright.sync_api import Page

# Where the focus is, in words a failure can show.
_FOCUSED = """() => {
  const e = document.activeElement;
  if (!e || e === document.body) return 'nothing (the page itself)';
  const data = Object.entries(e.dataset).map(([k, v]) => `[data-${k}=${v}]`).join('');
  return `<${e.tagName.toLowerCase()}${data}> ${(e.innerText || e.value || '').slice(0, 60)}`;
}"""
_MATCHES = "selector => Boolean(document.activeElement?.matches(selector))"


def focused(page: Page) -> str:
    where: str = page.evaluate(_FOCUSED)
    return where


def is_focused(page: Page, selector: str) -> bool:
    return bool(page.evaluate(_MATCHES, selector))


def tab_to(page: Page, selector: str, *, backwards: bool = False, most: int = 250) -> None:
    """Presses Tab (or Shift+Tab) until the focus is on an element matching `selector`;
    fails, saying where the focus got to, if it never arrives."""
    key = "Shift+Tab" if backwards else "Tab"
    for _ in range(most):
        page.keyboard.press(key)
        if is_focused(page, selector):
            return
    raise AssertionError(f"{key} never reached {selector}; the focus is on {focused(page)}")
