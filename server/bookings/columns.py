"""A booking's write fields: what the body holds, which columns store them.

The API speaks of ``doctor`` and ``op_room`` where the tables store ``doctor_id`` and
``op_room_id``. A domain declares that once (``Columns.of``); the stored values of a row,
"was this field changed", and writing the effective values back all follow from it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from server.core.fields import BIGINT_MAX, ChoiceField, DateTimeField, IntegerField, notes_field

POSITIVE_PATIENT = "patient_id muss positiv sein."


def write_fields(
    tz: ZoneInfo,
    references: dict[str, Any],
    *,
    times: tuple[str, ...],
    statuses: tuple[str, ...],
    default_status: str,
) -> dict[str, Any]:
    """The fields of a booking's write body, in contract order: the patient, the domain's
    ``references``, the ``times``, status and notes."""
    return {
        # Any positive bigint: the patient need not exist (03 §2, 04 §2.2).
        "patient_id": IntegerField(
            min_value=None,
            max_value=BIGINT_MAX,
            validators=[lambda v: None if v > 0 else POSITIVE_PATIENT],
        ),
        **references,
        **{name: DateTimeField(tz=tz) for name in times},
        # Defaults apply on create only; PUT keeps stored values for omitted fields.
        "status": ChoiceField(choices=statuses, required=False, default=default_status),
        "notes": notes_field(default=""),
    }


@dataclass(frozen=True)
class Columns:
    fields: tuple[str, ...]
    renamed: Mapping[str, str]  # API field → column, where the two differ

    @classmethod
    def of(cls, *same: str, **renamed: str) -> Columns:
        """``same`` are stored under their own name, ``renamed`` map field → column."""
        return cls((*same, *renamed), renamed)

    def column(self, name: str) -> str:
        return self.renamed.get(name, name)

    def stored(self, row: object) -> dict[str, Any]:
        """The row's values under their API names."""
        return {name: getattr(row, self.column(name)) for name in self.fields}

    def changed(self, row: object | None, sent: Mapping[str, Any], name: str) -> bool:
        """Whether a request changes ``name``: always on create (no row), else when it sent
        a value that differs from the stored one."""
        if row is None:
            return True
        return name in sent and sent[name] != getattr(row, self.column(name))

    def apply(self, row: object, values: Mapping[str, Any], **defaults: Any) -> None:
        """Write the effective values onto the row (``defaults`` for absent fields)."""
        for name in self.fields:
            setattr(row, self.column(name), values.get(name, defaults.get(name)))
