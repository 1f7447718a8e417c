"""``seed-demo --size large`` puts a busy live day on the flow board whatever day it runs
(issue 23): at least ``live_flows`` unfinished flows, every event still in the past."""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from server.demo.seed import SIZES, PlannedAppointment, plan_flows

TZ = ZoneInfo("Europe/Berlin")
FRIDAY_EVENING = datetime(2026, 12, 4, 18, 0, tzinfo=TZ)


def _friday_visits(count: int) -> list[PlannedAppointment]:
    """``count`` 20-minute visits on Friday 08:00–17:40, all over by the evening."""
    start = datetime(2026, 12, 4, 8, 0, tzinfo=TZ)
    return [
        PlannedAppointment(
            start=start + timedelta(minutes=20 * (i % 29)),
            end=start + timedelta(minutes=20 * (i % 29) + 20),
            doctor_id=1 + i // 29,
            patient_id=1000 + i,
            type_id=1,
            status="completed",
            is_no_show=False,
            notes="",
            resource_id=None,
        )
        for i in range(count)
    ]


@pytest.mark.parametrize(
    "now",
    [
        FRIDAY_EVENING + timedelta(days=2, hours=-4),  # Sunday afternoon
        FRIDAY_EVENING + timedelta(hours=5),  # Friday night
    ],
)
def test_the_large_set_keeps_its_live_board_full_off_hours(now: datetime) -> None:
    live = SIZES["large"].live_flows
    assert live >= 150
    visits = _friday_visits(232)
    flows = plan_flows(random.Random(7), now, 400, visits, [], live)
    unfinished = [f for f in flows if f.status != "done"]
    assert len(unfinished) >= live
    assert all(at <= now for f in flows for _, at in f.events)
    # The most recent visits are the ones still open, each somewhere along the chain.
    assert {f.status for f in unfinished} >= {"registered", "waiting", "in_treatment"}
    newest_done = max(f.arrival for f in flows if f.status == "done")
    assert sorted(f.arrival for f in unfinished)[-1] >= newest_done


def test_without_a_live_target_finished_visits_stay_done() -> None:
    flows = plan_flows(
        random.Random(7), FRIDAY_EVENING + timedelta(days=2), 200, _friday_visits(200), []
    )
    assert sum(1 for f in flows if f.status != "done") < 10  # only the few never closed
