"""Statistik: the server's OP statistics and KPIs for a range, refusals, export, live reload."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path
from typing import Any

import httpx
import pytest
from PySide6.QtCore import QDate
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QFileDialog
from pytestqt.qtbot import QtBot
from sqlalchemy.orm import Session, sessionmaker

from desktop.views.main_window import MainWindow
from desktop.views.statistics.page import StatisticsPage
from desktop.views.statistics.ranges import DateRange
from server.master_data.models import OperationType, Resource
from tests.desktop.seed import MONDAY, PASSWORD, SeededPractice, at
from tests.desktop.staff import OpenWindow, staff_window

__all__ = ["staff_window"]

FEBRUARY_3 = date(2027, 2, 3)
ONLY_MONDAY = DateRange(MONDAY, MONDAY)


def create_operation(practice: SeededPractice, body: dict[str, Any]) -> int:
    response = httpx.post(
        practice.url + "/api/operations/", json=body, headers=practice.headers, timeout=10
    )
    assert response.status_code == 201, response.text
    return int(response.json()["id"])


@pytest.fixture
def operations(db: sessionmaker[Session], practice: SeededPractice) -> dict[str, int]:
    """04 §5.8 reference day: two 60-minute ops in "OP 1" with the C-Bogen on Monday (Weber),
    plus one in February (Schmidt) outside the Monday range."""
    with db() as session, session.begin():
        kind = OperationType(
            name="Arthroskopie", prep_duration=0, op_duration=60, post_duration=0, color="#1A73E8"
        )
        room = Resource(name="OP 1", type="room", color="#6A5ACD")
        device = Resource(name="C-Bogen", type="device", color="#8B4513")
        session.add_all([kind, room, device])
        session.flush()
        ids = {"type": kind.id, "room": room.id, "device": device.id}
    for hour in (8, 9):
        create_operation(
            practice,
            {
                "patient_id": 1004,
                "primary_surgeon": practice.doctors[2],
                "op_room": ids["room"],
                "op_type": ids["type"],
                "op_device_ids": [ids["device"]],
                "start_time": at(hour),
            },
        )
    create_operation(
        practice,
        {
            "patient_id": 1003,
            "primary_surgeon": practice.doctors[1],
            "op_room": ids["room"],
            "op_type": ids["type"],
            "start_time": at(11, day=FEBRUARY_3),
        },
    )
    return ids


def server_json(
    practice: SeededPractice, path: str, rng: DateRange, headers: dict[str, str] | None = None
) -> Any:
    response = httpx.get(
        practice.url + path,
        params=rng.params(),
        headers=headers or practice.headers,
        timeout=10,
    )
    assert response.status_code == 200, response.text
    return response.json()


def open_statistics(qtbot: QtBot, window: MainWindow) -> StatisticsPage:
    page = window.open_page("statistics")
    assert isinstance(page, StatisticsPage)
    qtbot.waitUntil(lambda: page.loaded_at is not None and not page.loading, timeout=10_000)
    return page


def choose_dates(qtbot: QtBot, page: StatisticsPage, first: date, last: date) -> None:
    """Type the dates into Von/Bis as a user would, then wait for the reload they start."""
    with qtbot.waitSignal(page.loaded, timeout=10_000):
        page.to_edit.setDate(QDate(last.year, last.month, last.day))
        page.from_edit.setDate(QDate(first.year, first.month, first.day))


def tile_text(page: StatisticsPage, section: str, label: str) -> str:
    return page.cards[section].tiles.tile(label).value_label.text()


def tile_value(page: StatisticsPage, section: str, label: str) -> float | None:
    return page.cards[section].tiles.tile(label).tile.value


def bars(page: StatisticsPage, section: str) -> list[tuple[str, float]]:
    return [(bar.label, bar.value) for bar in page.cards[section].chart.bars]


def labels(page: StatisticsPage, section: str) -> list[str]:
    return [bar.label for bar in page.cards[section].chart.bars]


def values(page: StatisticsPage, section: str) -> list[float]:
    return [bar.value for bar in page.cards[section].chart.bars]


def test_the_screen_shows_the_servers_numbers_for_the_chosen_range(
    qtbot: QtBot, window: MainWindow, practice: SeededPractice, operations: dict[str, int]
) -> None:
    page = open_statistics(qtbot, window)
    # The first opening shows the current month (the window's clock says 18.01.2027).
    assert page.quick.currentText() == "Dieser Monat"
    assert page.range == DateRange(date(2027, 1, 1), date(2027, 1, 31))
    assert tile_text(page, "op_overview", "Operationen") == "2"

    choose_dates(qtbot, page, MONDAY, MONDAY)
    assert page.range == ONLY_MONDAY
    assert page.quick.currentText() == "Benutzerdefiniert"
    assert page.heading.text() == "Statistik · 18.01.2027 – 18.01.2027"
    assert {card.state for card in page.cards.values()} == {"ready"}

    overview = server_json(practice, "/api/op-stats/overview/", ONLY_MONDAY)
    assert (overview["op_count"], overview["total_op_minutes"]) == (2, 120)
    assert tile_value(page, "op_overview", "Operationen") == overview["op_count"]
    assert tile_value(page, "op_overview", "OP-Zeit gesamt") == overview["total_op_minutes"]
    assert tile_value(page, "op_overview", "⌀ OP-Dauer") == overview["average_op_duration"]
    assert tile_text(page, "op_overview", "⌀ OP-Dauer") == "60,0"
    unit = page.cards["op_overview"].tiles.tile("OP-Zeit gesamt").unit_label.text()
    assert unit == "Minuten"

    rooms = server_json(practice, "/api/op-stats/rooms/", ONLY_MONDAY)["rooms"]
    assert labels(page, "op_rooms") == [row["room"]["name"] for row in rooms] == ["OP 1"]
    assert values(page, "op_rooms") == pytest.approx([row["utilization"] * 100 for row in rooms])
    assert values(page, "op_rooms") == pytest.approx([25.0])
    assert page.cards["op_rooms"].chart.bars[0].caption == "25,0 %"
    assert page.cards["op_rooms"].chart.unit == "Auslastung in %"

    devices = server_json(practice, "/api/op-stats/devices/", ONLY_MONDAY)["devices"]
    assert bars(page, "op_devices") == [
        (row["device"]["name"], row["usage_minutes"]) for row in devices
    ]
    assert bars(page, "op_devices") == [("C-Bogen", 120)]

    surgeons = server_json(practice, "/api/op-stats/surgeons/", ONLY_MONDAY)["surgeons"]
    assert bars(page, "op_surgeons") == [
        (row["surgeon"]["name"], row["op_count"]) for row in surgeons
    ]
    assert page.cards["op_surgeons"].chart.bars[0].caption == "2 OPs · 120 Min."

    types = server_json(practice, "/api/op-stats/types/", ONLY_MONDAY)["types"]
    assert (
        bars(page, "op_types")
        == [("Arthroskopie", 2)]
        == [(row["type"]["name"], row["count"]) for row in types]
    )

    kpis = server_json(practice, "/api/kpi/operations/", ONLY_MONDAY)
    assert tile_value(page, "kpi_operations", "Termine") == kpis["utilization"]["appointment_count"]
    assert tile_text(page, "kpi_operations", "Termine") == "3"
    assert tile_value(page, "kpi_operations", "Auslastung") == kpis["utilization"]["utilization"]
    # No appointment of the range lies in the past of the server's clock (2027 is ahead), so
    # there is nothing a no-show rate could be computed from: no invented 0,0 %.
    assert kpis["no_show"]["total_past"] == 0
    assert tile_text(page, "kpi_operations", "No-Show-Rate") == "keine Daten"

    patients = server_json(practice, "/api/kpi/patients/overview/", ONLY_MONDAY)
    assert tile_value(page, "kpi_patients", "Patienten gesamt") == patients["total_patients"] == 4

    doctors = server_json(practice, "/api/kpi/doctors/", ONLY_MONDAY)["doctors"]
    assert bars(page, "kpi_doctors") == [(row["name"], row["utilization"]) for row in doctors]
    assert len(doctors) == 3


def test_changing_the_range_reloads_and_von_never_passes_bis(
    qtbot: QtBot, window: MainWindow, practice: SeededPractice, operations: dict[str, int]
) -> None:
    page = open_statistics(qtbot, window)
    choose_dates(qtbot, page, MONDAY, MONDAY)
    assert tile_text(page, "op_overview", "Operationen") == "2"

    longer = DateRange(MONDAY, date(2027, 2, 5))
    choose_dates(qtbot, page, longer.first, longer.last)
    assert tile_text(page, "op_overview", "Operationen") == "3"
    rooms = server_json(practice, "/api/op-stats/rooms/", longer)["rooms"]
    assert rooms[0]["total_minutes"] == 19 * 480
    assert labels(page, "op_rooms") == ["OP 1"]
    assert values(page, "op_rooms") == pytest.approx([rooms[0]["utilization"] * 100])
    surgeons = server_json(practice, "/api/op-stats/surgeons/", longer)["surgeons"]
    assert [row["op_count"] for row in surgeons] == [1, 2]  # Schmidt, Weber (by id)
    assert bars(page, "op_surgeons") == [
        (row["surgeon"]["name"], row["op_count"]) for row in surgeons
    ]

    # "Von" moved past "Bis": "Bis" follows, so the server is never asked for from > to.
    with qtbot.waitSignal(page.loaded, timeout=10_000):
        page.from_edit.setDate(QDate(2027, 2, 10))
    assert page.range == DateRange(date(2027, 2, 10), date(2027, 2, 10))
    assert page.to_edit.date() == QDate(2027, 2, 10)
    assert not page.message.isVisible()
    assert tile_text(page, "op_overview", "Operationen") == "0"
    assert tile_text(page, "op_overview", "⌀ OP-Dauer") == "keine Daten"
    rooms_chart = page.cards["op_rooms"].chart
    assert rooms_chart.bars == []
    assert rooms_chart.empty.isVisible()
    assert not rooms_chart.plot.isVisible()
    assert rooms_chart.empty.text() == "Keine Daten im gewählten Zeitraum."

    # A quick choice sets both dates and reloads.
    with qtbot.waitSignal(page.loaded, timeout=10_000):
        page.quick.setCurrentIndex(page.quick.findText("Dieses Quartal"))
    assert page.range == DateRange(date(2027, 1, 1), date(2027, 3, 31))
    assert page.from_edit.date() == QDate(2027, 1, 1)
    assert tile_text(page, "op_overview", "Operationen") == "3"


def read_csv(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.reader(handle, delimiter=";"))


def block(rows: list[list[str]], title: str) -> list[list[str]]:
    """The rows of one section of the export (after its title, up to the empty line)."""
    start = rows.index([title]) + 1
    end = next((i for i in range(start, len(rows)) if not rows[i]), len(rows))
    return rows[start:end]


def test_csv_export_holds_the_servers_values_under_german_headers(
    qtbot: QtBot,
    window: MainWindow,
    practice: SeededPractice,
    operations: dict[str, int],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    page = open_statistics(qtbot, window)
    choose_dates(qtbot, page, MONDAY, MONDAY)
    target = tmp_path / "Januar"
    # The user picks a file name without suffix in the save dialog.
    monkeypatch.setattr(
        QFileDialog, "getSaveFileName", lambda *args, **kwargs: (str(target), "CSV-Datei (*.csv)")
    )
    assert page.csv_button.isEnabled()
    page.csv_button.click()
    written = tmp_path / "Januar.csv"
    assert page.message.text() == f"Gespeichert: {written}"

    raw = written.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # BOM: Excel opens the umlauts correctly
    assert b"\r\n" in raw
    rows = read_csv(written)
    assert rows[1] == ["Zeitraum", "18.01.2027", "18.01.2027"]

    overview = server_json(practice, "/api/op-stats/overview/", ONLY_MONDAY)
    assert block(rows, "Operationen im Überblick") == [
        ["Kennzahl", "Wert", "Einheit", "Hinweis"],
        ["Operationen", str(overview["op_count"]), "Anzahl", ""],
        ["OP-Zeit gesamt", str(overview["total_op_minutes"]), "Minuten", ""],
        ["⌀ OP-Dauer", "60,0", "Minuten", ""],
    ]
    room = server_json(practice, "/api/op-stats/rooms/", ONLY_MONDAY)["rooms"][0]
    assert block(rows, "Raumauslastung") == [
        ["Raum", "Belegt (Minuten)", "Verfügbar (Minuten)", "Auslastung (%)"],
        ["OP 1", str(room["used_minutes"]), str(room["total_minutes"]), "25,0"],
    ]
    assert block(rows, "Gerätenutzung") == [["Gerät", "Nutzung (Minuten)"], ["C-Bogen", "120"]]
    surgeon = server_json(practice, "/api/op-stats/surgeons/", ONLY_MONDAY)["surgeons"][0]
    assert block(rows, "Operationen je Operateur")[1] == [
        surgeon["surgeon"]["name"],
        "2",
        "120",
        "60,0",
    ]
    assert block(rows, "OP-Arten")[1] == ["Arthroskopie", "2", "60,0", "60", "60"]
    patients = block(rows, "Patienten")
    assert ["Patienten gesamt", "4", "Anzahl", ""] in patients


def test_png_export_writes_the_rendered_report(
    qtbot: QtBot,
    window: MainWindow,
    practice: SeededPractice,
    operations: dict[str, int],
    tmp_path: Path,
) -> None:
    page = open_statistics(qtbot, window)
    written = page.export_png(tmp_path / "statistik.png")
    assert written.read_bytes().startswith(b"\x89PNG\r\n\x1a\n")
    image = QImage(str(written))
    assert not image.isNull()
    # The whole report, also the sections scrolled out of view.
    assert image.width() == page.report.width()
    assert image.height() == page.report.height() > page.scroll_area.viewport().height()
    # Not a blank canvas: the cards, bars and text put many colours on it.
    colours = {image.pixel(x, y) for x in range(0, image.width(), 7) for y in range(0, 400, 5)}
    assert len(colours) > 20


def login_headers(practice: SeededPractice, username: str) -> dict[str, str]:
    response = httpx.post(
        practice.url + "/api/auth/login/",
        json={"username": username, "password": PASSWORD},
        timeout=10,
    )
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['access']}"}


@pytest.mark.parametrize(
    ("role", "username", "refused", "allowed"),
    [
        (
            "doctor",
            "doctor.user",
            {
                "op_rooms",
                "op_devices",
                "op_types",
                "kpi_operations",
                "kpi_scheduling",
                "kpi_patients",
            },
            {"op_overview", "op_surgeons", "kpi_doctor"},
        ),
        (
            "billing",
            "billing.user",
            {"kpi_patients"},
            {"op_overview", "op_rooms", "op_devices", "op_surgeons", "op_types", "kpi_doctors"},
        ),
    ],
)
def test_sections_the_server_refuses_say_so_in_german(
    qtbot: QtBot,
    staff_window: OpenWindow,
    practice: SeededPractice,
    operations: dict[str, int],
    tmp_path: Path,
    role: str,
    username: str,
    refused: set[str],
    allowed: set[str],
) -> None:
    window = staff_window(role)
    page = open_statistics(qtbot, window)
    headers = login_headers(practice, username)
    for key in refused:
        path = page.cards[key].section.path
        answer = httpx.get(
            practice.url + path, params=page.range.params(), headers=headers, timeout=10
        )
        assert answer.status_code == 403, path
    role_label = {"doctor": "Arzt", "billing": "Abrechnung"}[role]
    for key in refused:
        card = page.cards[key]
        assert card.state == "refused", key
        assert card.message.isVisible()
        assert card.message.text() == (
            f"Keine Berechtigung: Diese Auswertung ist für die Rolle „{role_label}“ "
            "nicht freigegeben."
        )
        assert not card.chart.isVisible()
        assert not card.tiles.isVisible()
        assert card.chart.bars == []
        assert card.tiles.tiles == []
    for key in allowed:
        assert page.cards[key].state == "ready", key
    assert not page.message.isVisible()

    # The export names the refusal instead of an empty (zero-looking) table.
    rows = read_csv(page.export_csv(tmp_path / "export.csv"))
    refusal = f"Keine Berechtigung: Diese Auswertung ist für die Rolle „{role_label}“ nicht"
    assert block(rows, "Patienten") == [[refusal + " freigegeben."]]
    if role == "doctor":
        # Only the doctor's own operations (none) and own figures.
        own = server_json(
            practice, f"/api/kpi/doctors/{window.user.id}/", page.range, headers=headers
        )
        assert tile_value(page, "kpi_doctor", "Termine") == own["volume"]["total"]
        assert tile_text(page, "op_overview", "Operationen") == "0"
        assert page.cards["op_surgeons"].chart.empty.isVisible()


def test_a_range_the_server_refuses_shows_its_message(
    qtbot: QtBot, window: MainWindow, operations: dict[str, int]
) -> None:
    page = open_statistics(qtbot, window)
    assert page.csv_button.isEnabled()
    choose_dates(qtbot, page, date(2026, 1, 1), date(2027, 6, 30))
    assert page.message.isVisible()
    assert page.message.text() == "Der Zeitraum ist zu lang – höchstens 366 Tage sind möglich."
    for card in page.cards.values():
        assert card.state == "failed"
        assert not card.chart.isVisible()
        assert not card.tiles.isVisible()
    # Nothing to export: the numbers of the previous range are gone, not passed off as these.
    assert not page.csv_button.isEnabled()
    assert not page.png_button.isEnabled()

    choose_dates(qtbot, page, MONDAY, MONDAY)
    assert not page.message.isVisible()
    assert tile_text(page, "op_overview", "Operationen") == "2"


def test_an_operation_booked_elsewhere_updates_the_numbers_live(
    qtbot: QtBot, window: MainWindow, practice: SeededPractice, operations: dict[str, int]
) -> None:
    page = open_statistics(qtbot, window)
    choose_dates(qtbot, page, MONDAY, MONDAY)
    qtbot.waitUntil(lambda: window.session.live.connected, timeout=5000)
    create_operation(
        practice,
        {
            "patient_id": 1002,
            "primary_surgeon": practice.doctors[1],
            "op_room": operations["room"],
            "op_type": operations["type"],
            "start_time": at(14),
        },
    )
    qtbot.waitUntil(lambda: tile_text(page, "op_overview", "Operationen") == "3", timeout=5000)
    assert tile_text(page, "op_overview", "OP-Zeit gesamt") == "180"
