"""A refusal in every language Kinboard ships, from its real catalogue: over HTTP as JSON and
as the error page, the same code, the words of the asker's language with the numbers filled
in, never the English."""

from __future__ import annotations

import pytest

from server import i18n
from server.board.parsing import NAME
from tests.support.inprocess import Kin, token_of

NO_BOARD = "To see this board, please open the link the facilitator gave you."
OTHER_LANGUAGES = [language.code for language in i18n.LANGUAGES if language.code != i18n.DEFAULT]


@pytest.mark.parametrize("code", OTHER_LANGUAGES)
def test_a_refusal_is_in_the_askers_language(kin: Kin, code: str) -> None:
    meeting = kin.new_meeting()
    body = {"token": token_of(meeting["links"]["participant"]), "role": "parent", "name": "x" * 81}
    answer = kin.browser().post("/api/join", json=body, headers={"Accept-Language": code})
    words = i18n.translate(NAME.too_long, {"most": 80}, code)
    assert words != "A name can be at most 80 characters." and "80" in words
    assert (answer.status_code, answer.json()["error"]) == (
        400,
        {"code": "too_long", "message": words},
    )

    page = kin.browser().get("/m/nosuchmeeting", headers={"Accept-Language": code})
    assert page.status_code == 403
    assert i18n.gettext(code, NO_BOARD) in page.text
    assert NO_BOARD not in page.text
    assert f'lang="{code}"' in page.text
