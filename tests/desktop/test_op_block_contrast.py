"""OP blocks are readable: every text on one solid colour at ≥ 4.5:1 (WCAG AA), the phases
kept out of the text, a selection frame unlike the conflict red, a compact week label.

The ratios are computed from the colours the blocks really use (``block_text_pairs``); the
painted checks render real blocks offscreen and look at their pixels.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, time

import pytest
from PySide6.QtCore import QRectF
from PySide6.QtGui import QColor, QImage, QPainter
from PySide6.QtWidgets import QApplication

from desktop import theme
from desktop.views.op_plan.model import Operation, PlanData, Room
from desktop.views.op_plan.timeline import (
    BLOCK_H,
    SELECTION,
    OperationBlock,
    TimelineScene,
    block_text_pairs,
)
from shared.domain.statuses import OperationStatus

AA = 4.5
DAY = date(2027, 1, 18)


def operation(op_id: int, status: OperationStatus, hour: int = 8) -> Operation:
    start = datetime.combine(DAY, time(hour))
    return Operation(
        id=op_id,
        room_id=1,
        patient_name="Frank, Michaela (04.03.1977)",
        type_name="Arthroskopie",
        surgeon="Anna Müller",
        start=start,
        end=start.replace(hour=hour + 1, minute=30),
        prep=15,
        duration=60,
        post=15,
        status=status,
        devices=["C-Bogen"],
    )


@pytest.mark.parametrize(("what", "text", "background"), block_text_pairs(), ids=lambda v: str(v))
def test_every_block_text_reaches_aa(what: str, text: QColor, background: QColor) -> None:
    ratio = theme.contrast(text, background)
    assert ratio >= AA, f"{what}: {ratio:.2f}:1"


def test_every_status_has_its_pair() -> None:
    covered = {what for what, _t, _b in block_text_pairs()}
    assert {f"Block {s.value}" for s in OperationStatus} <= covered


def render(scene: TimelineScene, block: OperationBlock) -> QImage:
    rect = block.sceneBoundingRect()
    image = QImage(int(rect.width()), int(rect.height()), QImage.Format.Format_RGB32)
    image.fill(QColor("#FFFFFF"))
    painter = QPainter(image)
    scene.render(painter, QRectF(image.rect()), rect)
    painter.end()
    return image


def plan(*ops: Operation, days: list[date] | None = None) -> tuple[TimelineScene, PlanData]:
    scene = TimelineScene()
    scene.geometry.px_per_minute = 3.0
    data = PlanData(DAY, [Room(1, "OP 1", "#6A5ACD")], list(ops), days or [])
    scene.build(data, datetime.combine(DAY, time(7)))
    return scene, data


def on_line(pixel: QColor, fill: QColor, text: QColor) -> bool:
    """Whether ``pixel`` is fill, text, or an antialiased mix of exactly these two."""
    channels = [(pixel.red(), fill.red(), text.red()), (pixel.green(), fill.green(), text.green())]
    channels.append((pixel.blue(), fill.blue(), text.blue()))
    spans = [(p - f, t - f) for p, f, t in channels]
    longest = max(spans, key=lambda s: abs(s[1]))
    share = longest[0] / longest[1] if longest[1] else 0.0
    return all(abs(d - share * span) <= 14 for d, span in spans)


@pytest.mark.parametrize("status", list(OperationStatus))
def test_block_text_sits_on_one_solid_colour_above_the_phase_bar(
    qapp: QApplication, status: OperationStatus
) -> None:
    scene, _data = plan(operation(1, status))
    block = scene.blocks[1]
    image = render(scene, block)
    colours = next(p for p in block_text_pairs() if p[0] == f"Block {status.value}")
    _what, text, fill = colours
    # The text area: the lines above the device chips, inside the 1 px border.
    text_bottom = int(block.text_bottom)
    assert text_bottom >= 2 * 12
    foreign = [
        (x, y)
        for y in range(2, text_bottom)
        for x in range(2, image.width() - 2)
        if not on_line(image.pixelColor(x, y), fill, text)
    ]
    assert not foreign, f"{status}: {len(foreign)} pixels of another colour, first {foreign[:3]}"
    # The device chip is drawn below the text, on its own fill.
    chip_y = text_bottom + 7
    assert "#eceff1" in {image.pixelColor(x, chip_y).name() for x in range(4, 40)}
    # Text is painted (not only a fill), and the phase bar has the hatched ends below it.
    assert any(image.pixelColor(x, 8) == text for x in range(4, 60))
    bar = {image.pixelColor(x, int(BLOCK_H - 2)).name() for x in range(2, 30)}
    assert len(bar) >= 2, "the preparation end is hatched"


def test_long_names_are_elided_not_cut(qapp: QApplication) -> None:
    op = operation(1, OperationStatus.PLANNED)
    scene, _ = plan(op)
    scene.geometry.px_per_minute = 1.5
    scene.build(PlanData(DAY, [Room(1, "OP 1", "")], [op]), None)
    label = scene.blocks[1].label
    assert "Frank, Mi\n" not in label + "\n"
    assert all(
        line.endswith("…") or line in op.patient_name + op.surgeon + "08:00 Arthroskopie"
        for line in label.splitlines()
    )


def test_selection_frame_is_not_the_conflict_red(qapp: QApplication) -> None:
    scene, _ = plan(operation(1, OperationStatus.CONFIRMED))
    block = scene.blocks[1]
    block.setSelected(True)
    image = render(scene, block)
    frame = image.pixelColor(1, BLOCK_H // 2)
    assert frame == SELECTION
    assert theme.contrast(frame, QColor(theme.RED)) > 1.5
    block.set_conflict("Raum belegt")
    conflicted = render(scene, block).pixelColor(1, 10)
    assert conflicted == QColor(theme.RED)


def test_week_zoom_shows_initials_and_short_type_with_the_details_in_the_tooltip(
    qapp: QApplication,
) -> None:
    days = [DAY.replace(day=18 + n) for n in range(5)]
    scene, _ = plan(operation(1, OperationStatus.PLANNED), days=days)
    block = scene.blocks[1]
    assert block.label == "AM · Arthr."
    tip = block.tooltip()
    assert "Arthroskopie" in tip
    assert "Frank, Michaela" in tip
    assert "Anna Müller" in tip


@pytest.mark.parametrize(("surgeon", "shown"), [("Dr. Clara Weber", "CW"), ("Anna Müller", "AM")])
def test_an_hour_at_week_zoom_keeps_the_surgeons_initials(
    qapp: QApplication, surgeon: str, shown: str
) -> None:
    """An hour is about 27 px wide in the week range; wide letters ("CW") must not vanish."""
    days = [DAY.replace(day=18 + n) for n in range(5)]
    op = replace(operation(1, OperationStatus.PLANNED), surgeon=surgeon)
    op = replace(op, end=op.start.replace(hour=op.start.hour + 1), prep=10, duration=40, post=10)
    scene = TimelineScene()
    scene.geometry.px_per_minute = 0.45
    scene.build(PlanData(DAY, [Room(1, "OP 1", "")], [op], days), datetime.combine(DAY, time(7)))
    block = scene.blocks[1]
    assert block.width < 30
    assert block.label.splitlines()[0] == shown
