"""Which commits move a meeting's entry in the activity index, where writing it costs a
round trip of its own (Redis: the index is not in the meeting's slot, so not in the
commit's script).

The index is read for what is days away (an idle meeting's close, and its warning from
two weeks before), and an entry older than the truth is safe: each candidate's own log is
checked before it is closed. So a meeting's entry is moved at most once per
`NOTE_EVERY` seconds of its ops' time, rather than once per op: a busy meeting's entry is
at most that much older than its last op.
"""

from __future__ import annotations

NOTE_EVERY = 60.0
# Past this many meetings, those not noted for NOTE_EVERY are forgotten (they are due
# again anyway), so the map holds the meetings of the last minute or so, not every one.
KEEP = 10_000


class ActivityNotes:
    def __init__(self, every: float = NOTE_EVERY) -> None:
        self._every = every
        self._noted: dict[str, float] = {}

    def due(self, meeting_id: str, at: float) -> bool:
        """Whether an op at `at` should move the meeting's entry: none noted yet by this
        worker, the last one `every` seconds or more before, or after `at` (a clock set
        back)."""
        last = self._noted.get(meeting_id)
        return last is None or not self._recent(last, at)

    def noted(self, meeting_id: str, at: float) -> None:
        if len(self._noted) >= KEEP:
            self._noted = {m: t for m, t in self._noted.items() if self._recent(t, at)}
        self._noted[meeting_id] = at

    def _recent(self, noted_at: float, at: float) -> bool:
        """Whether an entry noted at `noted_at` is less than `every` before `at`."""
        return 0 <= at - noted_at < self._every
