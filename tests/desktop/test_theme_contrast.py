"""Every text the theme draws is readable (WCAG AA 4.5:1), and disabled controls look disabled.

The ratios are computed from the theme's own colours, so a colour change that makes a text
unreadable fails here; the disabled look is checked on real, painted Fusion buttons.
"""

from __future__ import annotations

import itertools

import pytest
from PySide6.QtCore import QRect
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import QAbstractButton, QPushButton, QStyleFactory, QToolButton, QWidget
from pytestqt.qtbot import QtBot

from desktop import theme
from desktop.views.calendar.legend import BADGE_GLYPH, STATUS_LOOKS
from desktop.views.calendar.model import BlockStatus
from desktop.views.calendar.scene import CANCELLED_STYLE, block_style

AA = 4.5


def test_contrast_formula_matches_wcag_reference_values() -> None:
    assert theme.contrast("#000000", "#FFFFFF") == pytest.approx(21.0)
    assert theme.contrast("#777777", "#FFFFFF") == pytest.approx(4.48, abs=0.01)
    assert theme.contrast("#FFFFFF", "#777777") == theme.contrast("#777777", "#FFFFFF")


@pytest.mark.parametrize(("what", "text", "background"), theme.TEXT_PAIRS)
def test_every_text_pair_of_the_theme_reaches_aa(what: str, text: str, background: str) -> None:
    assert theme.contrast(text, background) >= AA, what


def test_lowest_text_pair_is_reported() -> None:
    ratios = {what: theme.contrast(t, b) for what, t, b in theme.TEXT_PAIRS}
    lowest = min(ratios, key=ratios.__getitem__)
    print(f"lowest theme text pair: {lowest} {ratios[lowest]:.2f}:1")
    assert ratios[lowest] >= AA


def test_block_text_is_readable_on_any_doctor_or_type_colour() -> None:
    # Doctor and type colours are data: any colour a user may pick (a 16-step cube of the
    # RGB space, the seed and bench colours, the fallback) gets black or white text ≥ 4.5:1.
    steps = range(0, 256, 17)
    colours = [QColor(r, g, b).name() for r, g, b in itertools.product(steps, steps, steps)]
    colours += ["#4C8BD6", "#7BC47F", "#E8A87C", "#F2C14E", "#8FB8DE", theme.FALLBACK_BLOCK]
    worst = min(theme.contrast(block_style(c)[2], block_style(c)[0]) for c in colours)
    assert worst >= AA


def test_cancelled_blocks_are_readable_on_their_fill_and_hatching() -> None:
    fill, _border, text = CANCELLED_STYLE
    assert theme.contrast(text, fill) >= AA
    assert theme.contrast(text, theme.CANCELLED_HATCH) >= AA


@pytest.mark.parametrize("status", list(BlockStatus))
def test_status_badges_keep_their_white_glyph_readable(status: BlockStatus) -> None:
    assert theme.contrast(BADGE_GLYPH, STATUS_LOOKS[status].color) >= AA


def test_no_status_colour_looks_like_the_conflict_red() -> None:
    # Red means "conflict" (and "now") only: every status colour is a grey or a hue at least
    # 30° away from it, and no two statuses share a colour.
    red_hue = QColor(theme.RED).hslHue()
    for status, look in STATUS_LOOKS.items():
        colour = QColor(look.color)
        if colour.hslSaturationF() < 0.35:
            continue
        apart = abs(colour.hslHue() - red_hue) % 360
        assert min(apart, 360 - apart) >= 30, status
    assert len({look.color for look in STATUS_LOOKS.values()}) == len(STATUS_LOOKS)


@pytest.mark.parametrize(("what", "text", "background"), theme.DISABLED_PAIRS)
def test_disabled_labels_stay_legible_but_fainter(what: str, text: str, background: str) -> None:
    ratio = theme.contrast(text, background)
    assert ratio >= 3.0, what
    assert ratio < theme.contrast(theme.INK, background) - 5, what


# -- painted buttons ------------------------------------------------------------------------


_HOLDERS: list[QWidget] = []


def _themed(qtbot: QtBot, button: QAbstractButton) -> QAbstractButton:
    """``button`` as ``praxi`` paints it (Fusion, the theme's light palette)."""
    holder = QWidget()
    _HOLDERS.append(holder)  # the button lives as long as its parent
    qtbot.addWidget(holder)
    style = QStyleFactory.create("Fusion")
    holder.setStyle(style)
    button.setStyle(style)
    holder.setPalette(theme.light_palette())
    button.setParent(holder)
    button.adjustSize()
    holder.resize(button.width() + 8, button.height() + 8)
    button.move(4, 4)
    holder.show()
    qtbot.waitExposed(holder)
    return button


def _face_and_ink(button: QAbstractButton) -> tuple[QColor, QColor]:
    """The button's face colour (halfway down its left inner edge: Fusion paints a vertical
    gradient) and its darkest inner pixel (the label)."""
    image = button.grab().toImage().convertToFormat(QImage.Format.Format_RGB32)
    inner = QRect(4, 4, image.width() - 8, image.height() - 8)
    darkest = QColor("#FFFFFF")
    for y in range(inner.top(), inner.bottom()):
        for x in range(inner.left(), inner.right()):
            colour = QColor(image.pixel(x, y))
            if theme.luminance(colour) < theme.luminance(darkest):
                darkest = colour
    return QColor(image.pixel(3, image.height() // 2)), darkest


@pytest.mark.parametrize(
    "make",
    [
        lambda: QPushButton("Speichern"),
        lambda: QPushButton("‹ Zurück"),
        lambda: _tool_button("Drucken"),
    ],
    ids=["Speichern", "Zurück", "Drucken"],
)
def test_a_disabled_button_looks_disabled(qtbot: QtBot, make: object) -> None:
    enabled = _themed(qtbot, make())  # type: ignore[operator]
    disabled = _themed(qtbot, make())  # type: ignore[operator]
    disabled.setEnabled(False)

    on_face, on_ink = _face_and_ink(enabled)
    off_face, off_ink = _face_and_ink(disabled)

    assert off_face != on_face  # a grey face instead of the white one
    assert theme.contrast(off_face, on_face) > 1.05
    assert theme.contrast(on_ink, on_face) >= AA
    # the label stays legible (≥ 3:1) yet clearly fainter than an enabled one
    assert theme.contrast(off_ink, off_face) >= 3.0
    assert theme.contrast(off_ink, off_face) < theme.contrast(on_ink, on_face) - 4


def _tool_button(text: str) -> QToolButton:
    button = QToolButton()
    button.setText(text)
    return button
