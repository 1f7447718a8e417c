"""OP-Plan's operating rooms and the OP list, against a live server (docs/op-rooms.md).

The practice has two operating rooms, the seeded treatment room (an operating room until
someone unticks it) and a laboratory that is none.
"""

from __future__ import annotations

import re
import zlib
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


# --- reading the PDF back --------------------------------------------------------------------
# No PDF library is locked; Qt's writer is regular enough to read back with a few lines: every
# page names its content stream and fonts, every font a ToUnicode CMap, and text is drawn as
# hex glyph ids with ``Tj`` inside ``BT``/``ET``.

_OBJECT = re.compile(rb"(\d+) 0 obj\s*(.*?)endobj", re.S)


def _objects(data: bytes) -> dict[int, tuple[bytes, bytes]]:
    objects: dict[int, tuple[bytes, bytes]] = {}
    for match in _OBJECT.finditer(data):
        body = match.group(2)
        stream = b""
        if b"stream" in body:
            head, _, rest = body.partition(b"stream")
            rest = rest.lstrip(b"\r\n")
            stream = rest[: rest.rindex(b"endstream")]
            if b"/FlateDecode" in head:
                stream = zlib.decompress(stream)
            body = head
        objects[int(match.group(1))] = (body, stream)
    return objects


def _cmap(text: bytes) -> dict[int, str]:
    glyphs: dict[int, str] = {}
    for block in re.findall(rb"beginbfchar(.*?)endbfchar", text, re.S):
        for src, dst in re.findall(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block):
            glyphs[int(src, 16)] = bytes.fromhex(dst.decode()).decode("utf-16-be")
    for block in re.findall(rb"beginbfrange(.*?)endbfrange", text, re.S):
        for low, high, dst, listed in re.findall(
            rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*(?:<([0-9A-Fa-f]+)>|\[([^\]]*)\])", block
        ):
            codes = range(int(low, 16), int(high, 16) + 1)
            if listed:
                targets = [int(t, 16) for t in re.findall(rb"<([0-9A-Fa-f]+)>", listed)]
            else:
                targets = [int(dst, 16) + offset for offset in range(len(codes))]
            for glyph, target in zip(codes, targets, strict=False):
                # Qt maps the space glyph to a tab.
                glyphs[glyph] = " " if target == 9 else chr(target)
    return glyphs


def pdf_pages(data: bytes) -> list[tuple[tuple[int, int], str]]:
    """(page size in points, text) of every page, in order; lines end at each ``ET``."""
    objects = _objects(data)
    [pages_body] = [body for body, _ in objects.values() if b"/Type /Pages" in body]
    kids = [int(n) for n in re.findall(rb"(\d+) 0 R", pages_body.split(b"/Kids", 1)[1])]
    result = []
    for kid in kids:
        page, _ = objects[kid]
        if b"/Type /Page" not in page:
            continue
        box = re.search(rb"/MediaBox \[0 0 ([\d.]+) ([\d.]+)\]", page)
        assert box is not None
        size = (round(float(box.group(1))), round(float(box.group(2))))
        contents = int(re.search(rb"/Contents (\d+) 0 R", page).group(1))  # type: ignore[union-attr]
        resources_id = int(re.search(rb"/Resources (\d+) 0 R", page).group(1))  # type: ignore[union-attr]
        resources, _ = objects[resources_id]
        fonts = {}
        font_block = resources.split(b"/Font", 1)[1].split(b">>", 1)[0]
        for name, ref in re.findall(rb"/(\w+) (\d+) 0 R", font_block):
            font, _ = objects[int(ref)]
            unicode_ref = re.search(rb"/ToUnicode (\d+) 0 R", font)
            assert unicode_ref is not None
            fonts[name] = _cmap(objects[int(unicode_ref.group(1))][1])
        text: list[str] = []
        glyphs: dict[int, str] = {}
        stream = objects[contents][1]
        for token in re.finditer(rb"/(\w+) [\d.]+ Tf|<([0-9A-Fa-f]+)> Tj|\bET\b", stream):
            if token.group(1):
                glyphs = fonts[token.group(1)]
            elif token.group(2):
                hex_text = token.group(2).decode()
                for i in range(0, len(hex_text), 4):
                    text.append(glyphs.get(int(hex_text[i : i + 4], 16), "?"))
            else:
                text.append("\n")
        result.append((size, "".join(text)))
    return result
