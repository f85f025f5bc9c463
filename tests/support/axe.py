"""axe-core (the client's dev dependency) run in a page for the WCAG 2.2 A and AA rules: the
browser tests' accessibility check. A failure lists each violation by rule, element and
what to do, so it can be fixed from the test's output alone."""

from __future__ import annotations

from functools import cache
from typing import Any

from playwright.sync_api import Page

from tests.support.harness import ROOT

AXE_SOURCE = ROOT / "client" / "node_modules" / "axe-core" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]

# Kinboard's pages allow no inline script (CSP script-src 'self'), so a <script> tag with the
# source would be refused; the source is evaluated through Playwright instead, which the
# page's CSP does not govern.
_INJECT = "source => { if (!window.axe) (0, eval)(source); }"
# Asked first: the source (650 KB) goes over Playwright's pipe only to a page without axe
# (after a navigation), not again to a page checked a second time.
_LOADED = "() => Boolean(window.axe)"
_RUN = """tags => axe
  .run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})
  .then(result => result.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help,
    targets: v.nodes.map(n => n.target.join(' ')),
  })))"""


@cache
def axe_source() -> str:
    return AXE_SOURCE.read_text(encoding="utf-8")


def violations(page: Page) -> list[dict[str, Any]]:
    """axe's violations of the WCAG 2.2 A/AA rules on the page as it is now."""
    if not page.evaluate(_LOADED):
        page.evaluate(_INJECT, axe_source())
    found: list[dict[str, Any]] = page.evaluate(_RUN, WCAG_TAGS)
    return found


def describe(found: list[dict[str, Any]]) -> str:
    lines = []
    for violation in found:
        lines.append(f"- {violation['id']} ({violation['impact']}): {violation['help']}")
        lines.extend(f"    at {target}" for target in violation["targets"][:10])
    return "\n".join(lines)


def assert_accessible(page: Page, what: str) -> None:
    """Fails with a readable list if axe finds any WCAG 2.2 A/AA violation on the page."""
    found = violations(page)
    assert not found, f"axe found WCAG 2.2 A/AA problems on {what} ({page.url}):\n{describe(found)}"
