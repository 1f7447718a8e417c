"""OP-Plan's operating rooms and the OP list, against a live server (docs/op-rooms.md).

The practice has two operating rooms, the seeded treatment room (an operating room until
someone unticks it) and a laboratory that is none.
"""

from __future__ import annotations

from datetime import timedelta

import httpx
import pytest
from pytestqt.qtbot import QtBot
from sqlalchemy.orm import Session, sessionmaker

from desktop.views.main_window import MainWindow
from desktop.views.op_plan.page import OpPlanPage
from server.master_data.models import OperationType, Resource
from tests.desktop.seed import MONDAY, SeededPractice, at

TUESDAY = MONDAY + timedelta(days=1)


def post_operation(practice: SeededPractice, body: dict[str, object]) -> int:
    response = httpx.post(
        practice.url + "/api/operations/", json=body, headers=practice.headers, timeout=10
    )
    assert response.status_code == 201, response.text
    return int(response.json()["id"])


def set_status(practice: SeededPractice, op_id: int, status: str) -> None:
    response = httpx.patch(
        f"{practice.url}/api/op-dashboard/{op_id}/status/",
        json={"status": status},
        headers=practice.headers,
        timeout=10,
    )
    assert response.status_code == 200, response.text


@pytest.fixture
def clinic(db: sessionmaker[Session], practice: SeededPractice) -> dict[str, int]:
    """Monday: Arthroskopie 11:00 in OP 1 (Müller, C-Bogen), Leistenhernie 08:00 in OP 2
    (Weber), Karpaltunnel 13:30 in OP 1 (Müller, cancelled); Tuesday: Leistenhernie 09:00 in
    OP 2 (Weber)."""
    with db() as session, session.begin():
        arthro = OperationType(
            name="Arthroskopie", prep_duration=15, op_duration=60, post_duration=15
        )
        hernia = OperationType(
            name="Leistenhernie", prep_duration=10, op_duration=45, post_duration=10
        )
        carpal = OperationType(name="Karpaltunnel", prep_duration=5, op_duration=30)
        rooms = [Resource(name=name, type="room") for name in ("OP 1", "OP 2")]
        lab = Resource(name="Labor", type="room", op_capable=False)
        device = Resource(name="C-Bogen", type="device")
        session.add_all([arthro, hernia, carpal, *rooms, lab, device])
        session.flush()
        ids = {
            "arthro": arthro.id,
            "hernia": hernia.id,
            "carpal": carpal.id,
            "op1": rooms[0].id,
            "op2": rooms[1].id,
            "lab": lab.id,
            "device": device.id,
        }
    mueller, weber = practice.doctors[0], practice.doctors[2]
    plan = {
        "a": (1001, mueller, "op1", "arthro", at(11), [ids["device"]]),
        "b": (1004, weber, "op2", "hernia", at(8), []),
        "c": (1002, mueller, "op1", "carpal", at(13, 30), []),
        "d": (1003, weber, "op2", "hernia", at(9, day=TUESDAY), []),
    }
    for key, (patient, surgeon, room, kind, start, devices) in plan.items():
        ids[key] = post_operation(
            practice,
            {
                "patient_id": patient,
                "primary_surgeon": surgeon,
                "op_room": ids[room],
                "op_type": ids[kind],
                "op_device_ids": devices,
                "start_time": start,
            },
        )
    set_status(practice, ids["c"], "cancelled")
    return ids


def open_plan(qtbot: QtBot, window: MainWindow) -> OpPlanPage:
    window.nav.setCurrentRow(window.page_keys.index("op_plan"))
    page = window.pages.currentWidget()
    assert isinstance(page, OpPlanPage)
    settle(qtbot, page)
    return page


def settle(qtbot: QtBot, page: OpPlanPage) -> None:
    qtbot.waitUntil(lambda: page.data is not None and not page.loading, timeout=10_000)


def row_names(page: OpPlanPage) -> list[str]:
    assert page.data is not None
    return [room.name for room in page.data.rooms]


# --- OP-Plan: which rooms are rows -----------------------------------------------------------


def test_op_plan_shows_the_operating_rooms_and_alle_raeume_shows_the_rest(
    qtbot: QtBot, window: MainWindow, clinic: dict[str, int], practice: SeededPractice
) -> None:
    page = open_plan(qtbot, window)
    assert row_names(page) == ["Behandlungsraum 1", "OP 1", "OP 2"]
    assert not page.all_rooms_button.isChecked()

    page.all_rooms_button.click()
    qtbot.waitUntil(lambda: "Labor" in row_names(page), timeout=10_000)
    assert row_names(page) == ["Behandlungsraum 1", "Labor", "OP 1", "OP 2"]
    assert page.settings.value("op_plan/all_rooms") == "true"  # kept for the next start

    page.all_rooms_button.click()
    qtbot.waitUntil(lambda: "Labor" not in row_names(page), timeout=10_000)

    # An operation in a room that is not marked still shows, with its room, at once.
    lab_op = post_operation(
        practice,
        {
            "patient_id": 1003,
            "primary_surgeon": practice.doctors[1],
            "op_room": clinic["lab"],
            "op_type": clinic["carpal"],
            "start_time": at(15),
        },
    )
    qtbot.waitUntil(lambda: "Labor" in row_names(page), timeout=10_000)
    settle(qtbot, page)
    assert lab_op in page.scene.blocks


def test_unticking_op_saal_in_stammdaten_removes_the_row_from_op_plan(
    qtbot: QtBot, window: MainWindow, clinic: dict[str, int], practice: SeededPractice
) -> None:
    page = open_plan(qtbot, window)
    assert "Behandlungsraum 1" in row_names(page)
    response = httpx.patch(
        f"{practice.url}/api/resources/{practice.room_id}/",
        json={"op_capable": False},
        headers=practice.headers,
        timeout=10,
    )
    assert response.status_code == 200
    # Another workstation's change arrives as a live event.
    qtbot.waitUntil(lambda: "Behandlungsraum 1" not in row_names(page), timeout=10_000)
    assert row_names(page) == ["OP 1", "OP 2"]
