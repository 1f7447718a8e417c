"""German number formatting (1.234,5) without depending on the system locale.

The screen shows German numbers on every machine, also on an English Windows; the CSV export
uses the same decimal comma but no thousands separator, which German Excel reads as a number.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication


def german_number(value: float, decimals: int = 0, *, grouping: bool = True) -> str:
    text = f"{value:,.{decimals}f}" if grouping else f"{value:.{decimals}f}"
    if text.startswith("-") and float(text.replace(",", "")) == 0:
        text = text[1:]  # "-0,0" reads like an error
    return text.replace(",", "\0").replace(".", ",").replace("\0", ".")


def with_unit(value: float, decimals: int, unit: str) -> str:
    """``25,0 %``, ``120 Min.``; the count unit "Anzahl" is implied by a bare number."""
    number = german_number(value, decimals)
    if unit == "%":
        return f"{number} %"
    # ``unit`` is a source text of ``content`` (marked there, context "Statistik").
    if unit == "Minuten":
        return QCoreApplication.translate("Statistik", "{0} Min.").format(number)
    if unit in ("", "Anzahl"):
        return number
    return f"{number} {QCoreApplication.translate('Statistik', unit)}"
