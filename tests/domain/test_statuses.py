"""The patient-flow chain of 05 §3, as the shared enum states it."""

from __future__ import annotations

import pytest

from shared.domain.statuses import PatientFlowStatus as S


def test_each_status_may_only_become_the_next_one() -> None:
    chain = list(S)
    assert [s.value for s in chain] == [
        "registered",
        "waiting",
        "preparing",
        "in_treatment",
        "post_treatment",
        "done",
    ]
    for old in chain:
        allowed = [new for new in chain if old.may_become(new)]
        assert allowed == ([old.next] if old.next else [])


@pytest.mark.parametrize(
    ("old", "new"),
    [(S.WAITING, S.DONE), (S.PREPARING, S.WAITING), (S.DONE, S.REGISTERED), (S.WAITING, S.WAITING)],
)
def test_skipping_going_back_and_staying_are_not_transitions(old: S, new: S) -> None:
    assert not old.may_become(new)


def test_done_is_terminal_and_only_the_first_two_may_start_a_flow() -> None:
    assert S.DONE.next is None
    assert [s for s in S if s.is_initial] == [S.REGISTERED, S.WAITING]
    assert S.WAITING.colour == "#FFC107"
