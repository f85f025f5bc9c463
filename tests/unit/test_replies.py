"""A refusal's HTTP answer says, beside its status, how to sign in and when to try again."""

from __future__ import annotations

import pytest

from server.board.errors import Invalid, RateLimited, Unauthorized
from server.http.replies import http_error


@pytest.mark.parametrize(("after", "header"), [(0.3, "1"), (4.2, "5"), (5.0, "5"), (900, "900")])
def test_a_rate_limit_says_in_whole_seconds_rounded_up_when_to_try_again(
    after: float, header: str
) -> None:
    answer = http_error(RateLimited("Too many at once.", after))
    assert answer.status_code == 429
    assert answer.headers["retry-after"] == header
    assert answer.headers["cache-control"] == "no-store"


def test_a_rate_limit_that_cannot_say_when_has_no_retry_after() -> None:
    answer = http_error(RateLimited("Too many at once."))
    assert answer.status_code == 429 and "retry-after" not in answer.headers


def test_only_a_missing_sign_in_says_how_to_sign_in() -> None:
    assert http_error(Unauthorized("Sign in."), "en").headers["www-authenticate"] == (
        'Bearer realm="kinboard"'
    )
    refused = http_error(Invalid("Not that."))
    assert refused.status_code == 400
    assert "www-authenticate" not in refused.headers and "retry-after" not in refused.headers
