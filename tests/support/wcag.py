"""WCAG 2.2 AA checks axe-core cannot make alone, measured in the page as it is laid out
(tests/support/wcag.js): the focused element not hidden by a sticky or fixed bar (2.4.11),
targets of at least 24 by 24 CSS pixels or with room around them (2.5.8), no sideways
scrolling (1.4.10 reflow) and nothing moving when the device asks for less (2.3.3)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from playwright.sync_api import Page

_SOURCE = (Path(__file__).parent / "wcag.js").read_text(encoding="utf-8")


def _check(page: Page, name: str) -> Any:
    return page.evaluate(f"() => {{ {_SOURCE}\nreturn checks.{name}(); }}")


def focus_covered_by(page: Page) -> str | None:
    """What hides the focused element, in words; None when it can be seen."""
    covered: str | None = _check(page, "covering")
    return covered


def small_targets(page: Page) -> list[str]:
    """The targets too small and too close to others, each in words."""
    found: list[str] = _check(page, "smallTargets")
    return found


def sideways_scroll(page: Page) -> str | None:
    """How the page is wider than its window, and what sticks out; None when it fits."""
    wide: str | None = _check(page, "sideways")
    return wide


def moving(page: Page) -> list[str]:
    """The elements with a transition or an animation longer than 10 ms."""
    found: list[str] = _check(page, "moving")
    return found
