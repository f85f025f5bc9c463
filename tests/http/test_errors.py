"""One answer to every refusal: JSON under /api/, the error page everywhere else, with the
status that goes with the error's code."""

from __future__ import annotations

from tests.support.inprocess import KEY, Kin


def test_a_refusal_is_json_under_api_and_the_error_page_elsewhere(kin: Kin) -> None:
    meeting_id = kin.new_meeting()["id"]
    stranger = kin.browser("203.0.113.70")
    for path in (f"/api/meetings/{meeting_id}", f"/api/meetings/{meeting_id}/minutes"):
        answer = stranger.get(path)
        assert answer.status_code == 403, path
        assert answer.headers["content-type"] == "application/json", path
        assert answer.json()["error"] == {
            "code": "forbidden",
            "message": "You are not part of this meeting.",
        }, path
    for path in (
        f"/m/{meeting_id}/activity",
        f"/m/{meeting_id}/activity.csv",
        f"/m/{meeting_id}/minutes/1.md",
        f"/m/{meeting_id}/qr.svg",
    ):
        answer = stranger.get(path)
        assert answer.status_code == 403, path
        assert answer.headers["content-type"].startswith("text/html"), path
        assert "page-error" in answer.text, path  # the error page, not a download
        assert "content-disposition" not in answer.headers, path


def test_the_status_follows_the_code_on_both_kinds_of_answer(kin: Kin) -> None:
    browser = kin.browser("203.0.113.71")
    joined = browser.post("/api/join", json={"token": "x" * 30, "name": "Sam"})
    assert (joined.status_code, joined.json()["error"]["code"]) == (404, "link_invalid")
    unknown = kin.client.get("/api/meetings/m_nosuchmeeting", headers=KEY)
    assert (unknown.status_code, unknown.json()["error"]["code"]) == (404, "not_found")
    page = kin.client.get("/m/m_nosuchmeeting/activity", headers=KEY)
    assert page.status_code == 404
    assert page.headers["content-type"].startswith("text/html")
