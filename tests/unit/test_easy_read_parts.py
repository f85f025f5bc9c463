""" "Our plan in easy read"'s parts (server/plans.py) against the map, the pictures and the
template: every part lists real sections, none twice, and has its picture and heading."""

from __future__ import annotations

import re

from server.board.template import COLUMNS
from server.pictures import EASY_READ_PICTURES
from server.plans import PARTS, TEMPLATES


def test_every_part_lists_sections_of_the_map_and_no_section_is_in_two() -> None:
    on_the_map = {section.key for column in COLUMNS for section in column.sections}
    listed = [key for part in PARTS for key in part.sections]
    assert set(listed) <= on_the_map
    assert len(listed) == len(set(listed))
    # Everything "Our plan" shows is in its easy read too.
    plan = {section.key for section in COLUMNS[-1].sections} | {"next_steps", "bottom_lines"}
    assert plan <= set(listed)


def test_every_part_and_who_and_when_have_a_picture_of_their_own() -> None:
    assert set(EASY_READ_PICTURES) == {part.key for part in PARTS} | {"who", "when"}
    assert all(re.fullmatch(r"[0-9A-F]{4,5}", id_) for id_ in EASY_READ_PICTURES.values())
    assert len(set(EASY_READ_PICTURES.values())) == len(EASY_READ_PICTURES)


def test_every_part_has_its_heading_in_the_template() -> None:
    page = (TEMPLATES / "easy_read.html").read_text(encoding="utf-8")
    headings = re.findall(r'^  "(\w+)": _\("[^"]+"\),$', page, re.M)
    assert {part.key for part in PARTS} <= set(headings)
