"""The operation status machine of 04 §2.6, as the shared enum states it (server and desktop
both read it from there)."""

from __future__ import annotations

import pytest

from shared.domain.statuses import OperationStatus as S


def test_a_day_runs_planned_confirmed_running_done_and_may_be_cancelled_until_done() -> None:
    assert {old: old.next_steps for old in S} == {
        S.PLANNED: (S.CONFIRMED, S.CANCELLED),
        S.CONFIRMED: (S.RUNNING, S.CANCELLED),
        S.RUNNING: (S.DONE, S.CANCELLED),
        S.DONE: (),
        S.CANCELLED: (),
    }


@pytest.mark.parametrize(
    ("old", "new"),
    [
        (S.PLANNED, S.RUNNING),
        (S.PLANNED, S.DONE),
        (S.CONFIRMED, S.DONE),
        (S.RUNNING, S.CONFIRMED),
        (S.DONE, S.CANCELLED),
        (S.CANCELLED, S.PLANNED),
        (S.CONFIRMED, S.CONFIRMED),
    ],
)
def test_skipping_going_back_leaving_a_terminal_status_and_staying_are_refused(
    old: S, new: S
) -> None:
    assert not old.may_become(new)


def test_every_allowed_step_is_accepted_and_cancelled_blocks_nothing() -> None:
    for old in S:
        for new in old.next_steps:
            assert old.may_become(new)
    assert [s for s in S if not s.blocks] == [S.CANCELLED]
