"""Path ids (00 §1, §12): positive bigint, anything else is simply not found.

Routes take ids either as ``{name:id}`` (the ``id`` path convertor registered here: ASCII digits,
any length) or as plain strings through ``parse_path_id``. Both turn a number beyond bigint —
even one of thousands of digits, which ``int()`` refuses to parse — into "not found" rather
than an error.
"""

from __future__ import annotations

from starlette.convertors import Convertor, register_url_convertor

from server.core.errors import not_found

BIGINT_MAX = 2**63 - 1
_BIGINT_DIGITS = len(str(BIGINT_MAX))
# Stands in for every id too long to parse: out of range like the exact number would be.
OUT_OF_RANGE = BIGINT_MAX + 1


def _to_int(digits: str) -> int:
    if len(digits.lstrip("0")) > _BIGINT_DIGITS:
        return OUT_OF_RANGE
    return int(digits)


def parse_path_id(raw: str) -> int:
    if not raw.isascii() or not raw.isdigit():
        raise not_found()
    value = _to_int(raw)
    if not 1 <= value <= BIGINT_MAX:
        raise not_found()
    return value


class IdConvertor(Convertor[int]):
    """``{name:id}``: like Starlette's ``int``, but never fails on very long numbers."""

    regex = "[0-9]+"

    def convert(self, value: str) -> int:
        return _to_int(value)

    def to_string(self, value: int) -> str:
        return str(int(value))


register_url_convertor("id", IdConvertor())
