"""Resource view, the printable day list (PDF) and the free-slot panel against a live server."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from desktop.views.calendar.day_list import day_list_document
from desktop.views.main_window import MainWindow
from tests.desktop.seed import MONDAY, SeededPractice, at, book


def test_resource_view_shows_rooms_as_columns_with_their_bookings(
    qtbot: QtBot, window: MainWindow, practice: SeededPractice
) -> None:
    booked = book(
        practice,
        "room_14",
        1004,
        practice.doctors[2],
        at(14),
        at(14, 30),
        resource_ids=[practice.room_id],
    )
    calendar = window.calendar  # type: ignore[attr-defined]
    calendar.set_mode("resources")
    qtbot.waitUntil(
        lambda: not calendar.loading and booked in calendar.grid.calendar_scene.items_by_id,
        timeout=10_000,
    )
    scene = calendar.grid.calendar_scene
    assert [c.title for c in scene.columns] == ["Behandlungsraum 1"]
    assert scene.columns[0].resource_id == practice.room_id
    assert scene.columns[0].subtitle == "Raum · 1 Termin"
    item = scene.items_by_id[booked]
    assert item.column == 0
    assert set(scene.items_by_id) == {booked}  # appointments without a room stay out
    assert not calendar.grid.moves_enabled
    assert calendar.title.text() == "Mo, 18.01.2027"


def test_day_list_pdf_holds_the_day_of_every_doctor(
    window: MainWindow, practice: SeededPractice, tmp_path: Path
) -> None:
    calendar = window.calendar  # type: ignore[attr-defined]
    target = tmp_path / "tagesliste.pdf"
    assert calendar.export_day_list_pdf(str(target))
    content = target.read_bytes()
    assert content.startswith(b"%PDF-")
    assert len(content) > 1000
    text = calendar.day_list(None).toPlainText()
    for name in ("Anna Müller", "Bernd Schmidt", "Clara Weber"):
        assert name in text
    for patient in ("Mustermann, Max", "Musterfrau, Erika", "Becker, Jonas"):
        assert patient in text
    assert "09:00–09:30" in text
    only_schmidt = day_list_document(calendar.data, MONDAY, [practice.doctors[1]]).toPlainText()
    assert "Becker, Jonas" in only_schmidt
    assert "Mustermann, Max" not in only_schmidt


def test_free_slots_name_their_weekday_and_keep_to_the_afternoon(
    qtbot: QtBot, window: MainWindow, practice: SeededPractice
) -> None:
    calendar = window.calendar  # type: ignore[attr-defined]
    qtbot.mouseClick(calendar.suggest_button, Qt.MouseButton.LeftButton)
    panel = calendar.suggest
    assert panel.isVisible()
    panel.minutes.setValue(30)
    panel.doctor.setCurrentIndex(0)  # "Beliebiger Arzt"
    qtbot.mouseClick(panel.search_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: panel.search_button.isEnabled(), timeout=10_000)
    assert panel.results.count() > 0, panel.status.text()
    first = panel.results.item(0).text()
    assert first == "Mo 18.01. 08:00–08:30\nAnna Müller"
    panel.part.setCurrentIndex(panel.part.findText("nachmittags"))
    with qtbot.waitSignal(panel.searched, timeout=10_000):
        qtbot.mouseClick(panel.search_button, Qt.MouseButton.LeftButton)
    texts = [panel.results.item(n).text() for n in range(panel.results.count())]
    assert texts, panel.status.text()
    assert texts[0] == "Mo 18.01. 12:00–12:30\nAnna Müller"
    assert all(int(text.split()[2][:2]) >= 12 for text in texts), texts
    assert panel.status.text() == "Klicken Sie auf einen Vorschlag, um zu buchen."
