"""OP-Plan's operating rooms and the OP list, against a live server (docs/op-rooms.md).

The practice has two operating rooms, the seeded treatment room (an operating room until
someone unticks it) and a laboratory that is none.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import httpx
import pytest
from PySide6.QtCore import QDate, QPoint, Qt
from PySide6.QtWidgets import QComboBox
from pytestqt.qtbot import QtBot
from sqlalchemy.orm import Session, sessionmaker

from desktop.views.main_window import MainWindow
from desktop.views.op_plan.op_list import OpListWindow
from desktop.views.op_plan.page import OpPlanPage
from server.master_data.models import OperationType, Resource
from tests.desktop.pdf_text import pdf_pages
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


# --- the OP list -------------------------------------------------------------------------------


def open_list(qtbot: QtBot, window: MainWindow) -> OpListWindow:
    page = open_plan(qtbot, window)
    qtbot.mouseClick(page.op_list_button, Qt.MouseButton.LeftButton)
    listing = page.op_list
    assert listing is not None
    assert listing.isVisible()
    settle_list(qtbot, listing)
    return listing


def settle_list(qtbot: QtBot, listing: OpListWindow) -> None:
    qtbot.waitUntil(lambda: listing.loaded_once and not listing.loading, timeout=10_000)


def choose(qtbot: QtBot, listing: OpListWindow, combo: QComboBox, text: str) -> None:
    index = combo.findText(text)
    assert index >= 0, [combo.itemText(i) for i in range(combo.count())]
    combo.setCurrentIndex(index)


def click_header(qtbot: QtBot, listing: OpListWindow, title: str) -> None:
    header = listing.table.horizontalHeader()
    column = COLUMN_TITLES.index(title)
    x = header.sectionViewportPosition(column) + header.sectionSize(column) // 2
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, 5))


COLUMN_TITLES = ["Datum", "Beginn", "Ende", "Raum", "OP-Art", "Patient", "Operateur", "Status"]


def test_the_list_shows_the_day_and_filters_and_sorts_through_the_ui(
    qtbot: QtBot, window: MainWindow, clinic: dict[str, int]
) -> None:
    listing = open_list(qtbot, window)
    headers = listing.table.model()
    assert [headers.headerData(c, Qt.Orientation.Horizontal) for c in range(8)] == COLUMN_TITLES
    # OP-Plan shows Monday: the list opens on Monday, by date and time.
    assert listing.column_texts(1) == ["08:00", "11:00", "13:30"]
    assert listing.column_texts(0) == ["Mo 18.01.2027"] * 3
    assert listing.column_texts(4) == ["Leistenhernie", "Arthroskopie", "Karpaltunnel"]
    assert listing.column_texts(7) == ["Geplant", "Geplant", "Abgesagt"]
    cancelled = listing.proxy.index(2, 5).data(Qt.ItemDataRole.FontRole)
    assert cancelled.strikeOut()
    assert listing.count_label.text() == "3 von 3 Operationen"

    listing.last_edit.setDate(QDate(2027, 1, 19))
    qtbot.waitUntil(lambda: listing.proxy.rowCount() == 4, timeout=10_000)
    assert listing.column_texts(0)[-1] == "Di 19.01.2027"

    choose(qtbot, listing, listing.room_filter, "OP 2")
    assert listing.column_texts(3) == ["OP 2", "OP 2"]
    assert listing.column_texts(0) == ["Mo 18.01.2027", "Di 19.01.2027"]
    choose(qtbot, listing, listing.room_filter, "alle")
    choose(qtbot, listing, listing.surgeon_filter, "Anna Müller")
    assert listing.column_texts(4) == ["Arthroskopie", "Karpaltunnel"]
    choose(qtbot, listing, listing.status_filter, "Abgesagt")
    assert listing.column_texts(4) == ["Karpaltunnel"]
    choose(qtbot, listing, listing.surgeon_filter, "alle")
    choose(qtbot, listing, listing.status_filter, "alle")
    choose(qtbot, listing, listing.type_filter, "Leistenhernie")
    assert listing.column_texts(1) == ["08:00", "09:00"]
    choose(qtbot, listing, listing.type_filter, "alle")
    assert listing.count_label.text() == "4 von 4 Operationen"

    click_header(qtbot, listing, "Patient")
    patients = listing.column_texts(5)
    assert patients == sorted(patients, key=str.casefold)
    click_header(qtbot, listing, "Patient")
    assert listing.column_texts(5) == list(reversed(patients))
    click_header(qtbot, listing, "Beginn")
    # Times sort chronologically across days, not as text ("08:00" < "09:00" < "11:00").
    assert listing.column_texts(1) == ["08:00", "11:00", "13:30", "09:00"]

    listing.last_edit.setDate(QDate(2027, 1, 20))
    listing.first_edit.setDate(QDate(2027, 1, 20))
    qtbot.waitUntil(lambda: listing.proxy.rowCount() == 0, timeout=10_000)
    settle_list(qtbot, listing)
    assert listing.count_label.text() == "Keine Operationen im gewählten Zeitraum."


def test_a_change_elsewhere_reaches_the_open_list(
    qtbot: QtBot, window: MainWindow, clinic: dict[str, int], practice: SeededPractice
) -> None:
    listing = open_list(qtbot, window)
    set_status(practice, clinic["a"], "confirmed")
    qtbot.waitUntil(lambda: "Bestätigt" in listing.column_texts(7), timeout=10_000)


def test_printing_makes_one_landscape_page_per_day_with_the_operations(
    qtbot: QtBot, window: MainWindow, clinic: dict[str, int], tmp_path: Path
) -> None:
    listing = open_list(qtbot, window)
    listing.last_edit.setDate(QDate(2027, 1, 19))
    qtbot.waitUntil(lambda: listing.proxy.rowCount() == 4, timeout=10_000)
    target = tmp_path / "op-plan.pdf"
    assert listing.export_pdf(str(target)) == 2
    pages = pdf_pages(target.read_bytes())
    assert len(pages) == 2
    sizes = {size for size, _text in pages}
    assert sizes == {(842, 595)}  # A4 landscape, in points
    monday, tuesday = (text for _size, text in pages)
    assert "OP-Plan Montag, 18.01.2027" in monday
    for words in ("OP 1", "OP 2", "Arthroskopie", "Karpaltunnel", "Leistenhernie", "C-Bogen"):
        assert words in monday
    assert "Mustermann, Max" in monday
    assert "Wagner, Sophie" in monday
    assert "Anna Müller" in monday
    assert "Alle Operationen" in monday
    assert "OP-Plan Dienstag, 19.01.2027" in tuesday
    assert "Becker, Jonas" in tuesday
    assert "Arthroskopie" not in tuesday

    # What the table shows is what is printed: one room, one day.
    choose(qtbot, listing, listing.room_filter, "OP 1")
    only_op1 = tmp_path / "op-1.pdf"
    assert listing.export_pdf(str(only_op1)) == 1
    [(_size, text)] = pdf_pages(only_op1.read_bytes())
    assert "Raum: OP 1" in text
    assert "Arthroskopie" in text
    assert "Leistenhernie" not in text

    choose(qtbot, listing, listing.status_filter, "Läuft")
    empty = tmp_path / "leer.pdf"
    assert listing.export_pdf(str(empty)) == 0
    assert not empty.exists()
