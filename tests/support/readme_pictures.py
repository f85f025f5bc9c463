"""The README's pictures under docs/: the browser tests that take them copy them there only
when asked (KINBOARD_SCREENSHOTS=1), so that a test run leaves docs/ as it is; each stays
under tests/artifacts/ on every run. `python -m tests.support.screenshots` makes the boards'."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from tests.support.harness import ROOT

DOCS = ROOT / "docs"


def asked() -> bool:
    return os.environ.get("KINBOARD_SCREENSHOTS", "") not in ("", "0", "false")


def keep_for_readme(picture: Path, name: str) -> None:
    """Copies a test's picture to docs/<name>, when KINBOARD_SCREENSHOTS asks for it."""
    if asked():
        shutil.copyfile(picture, DOCS / name)
