"""DRF-compatible input validation.

The API contract (00 §7) fixes the exact error texts of Django REST Framework ("This field is
required.", "A valid integer is required.", …) and reports every invalid field at once. Pydantic's
messages and coercion rules differ in many small ways, so this module is a deliberately small,
hand-written re-implementation of the DRF field semantics the spec relies on. Each field also
describes itself as JSON Schema for the OpenAPI document.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

from email_validator import EmailNotValidError, validate_email

from server.core import timefmt
from server.core.errors import ValidationFailed

BIGINT_MAX = 2**63 - 1
# Free-text notes (appointments, operations, patient flow): a generous page of text. The
# columns are unbounded ``text``; the limit keeps one request from storing megabytes.
NOTES_MAX_LENGTH = 10_000
BIGINT_MIN = -(2**63)

REQUIRED = "This field is required."
NOT_NULL = "This field may not be null."
NOT_BLANK = "This field may not be blank."
NO_NUL = "Null characters are not allowed."
INVALID_INT = "A valid integer is required."
INVALID_BOOL = "Must be a valid boolean."
INVALID_STRING = "Not a valid string."

_MISSING: Any = object()
_DECIMAL_TAIL = re.compile(r"\.0*\s*$")
_PK_TEXT = re.compile(r"-?[0-9]+", re.ASCII)
_BIGINT_DIGITS = len(str(2**63))


class FieldError(Exception):
    """Errors of one field: a list of messages, or a nested mapping (list items)."""

    def __init__(self, messages: list[str] | dict[str, Any]) -> None:
        super().__init__(messages)
        self.messages = messages


Validator = Callable[[Any], str | None]


@dataclass
class Field:
    required: bool = True
    allow_null: bool = False
    default: Any = _MISSING
    validators: list[Validator] = field(default_factory=list)
    description: str | None = None

    def convert(self, value: Any) -> Any:
        return value

    def run(self, value: Any) -> Any:
        if value is None:
            if self.allow_null:
                return None
            raise FieldError([NOT_NULL])
        converted = self.convert(value)
        for validator in self.validators:
            message = validator(converted)
            if message:
                raise FieldError([message])
        return converted

    def schema(self) -> dict[str, Any]:
        return {}

    def full_schema(self) -> dict[str, Any]:
        schema = self.schema()
        if self.allow_null:
            schema = {"anyOf": [schema, {"type": "null"}]}
        if self.description:
            schema["description"] = self.description
        return schema


@dataclass
class CharField(Field):
    max_length: int | None = None
    min_length: int | None = None
    allow_blank: bool = False
    trim_whitespace: bool = True

    def convert(self, value: Any) -> Any:
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            raise FieldError([INVALID_STRING])
        text = str(value)
        if "\x00" in text:
            raise FieldError([NO_NUL])
        if self.trim_whitespace:
            text = text.strip()
        if text == "" and not self.allow_blank:
            raise FieldError([NOT_BLANK])
        errors = []
        if self.max_length is not None and len(text) > self.max_length:
            errors.append(f"Ensure this field has no more than {self.max_length} characters.")
        if self.min_length is not None and len(text) < self.min_length and text != "":
            errors.append(f"Ensure this field has at least {self.min_length} characters.")
        if errors:
            raise FieldError(errors)
        return text

    def schema(self) -> dict[str, Any]:
        schema: dict[str, Any] = {"type": "string"}
        if self.max_length is not None:
            schema["maxLength"] = self.max_length
        if self.min_length is not None:
            schema["minLength"] = self.min_length
        return schema


@dataclass
class EmailField(CharField):
    max_length: int | None = 254

    def convert(self, value: Any) -> Any:
        text = super().convert(value)
        if text:
            try:
                validate_email(text, check_deliverability=False)
            except EmailNotValidError as exc:
                raise FieldError(["Enter a valid email address."]) from exc
        return text

    def schema(self) -> dict[str, Any]:
        return {**super().schema(), "format": "email"}


def parse_int(value: Any) -> int:
    """DRF IntegerField coercion: ints, integral floats and numeric strings; never booleans."""
    if isinstance(value, bool):
        raise ValueError(INVALID_INT)
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        if value.is_integer():
            return int(value)
        raise ValueError(INVALID_INT)
    if isinstance(value, str) and len(value) <= 1000:
        try:
            return int(_DECIMAL_TAIL.sub("", value.strip()))
        except ValueError:
            pass
    raise ValueError(INVALID_INT)


@dataclass
class IntegerField(Field):
    min_value: int | None = BIGINT_MIN
    max_value: int | None = BIGINT_MAX

    def convert(self, value: Any) -> Any:
        try:
            number = parse_int(value)
        except ValueError as exc:
            raise FieldError([INVALID_INT]) from exc
        if self.max_value is not None and number > self.max_value:
            raise FieldError([f"Ensure this value is less than or equal to {self.max_value}."])
        if self.min_value is not None and number < self.min_value:
            raise FieldError([f"Ensure this value is greater than or equal to {self.min_value}."])
        return number

    def schema(self) -> dict[str, Any]:
        schema: dict[str, Any] = {"type": "integer"}
        if self.min_value is not None:
            schema["minimum"] = self.min_value
        if self.max_value is not None:
            schema["maximum"] = self.max_value
        return schema


_TRUE = {"t", "true", "y", "yes", "on", "1", 1}
_FALSE = {"f", "false", "n", "no", "off", "0", 0}


@dataclass
class BooleanField(Field):
    def convert(self, value: Any) -> Any:
        key = value.lower() if isinstance(value, str) else value
        try:
            if key in _TRUE:
                return True
            if key in _FALSE:
                return False
        except TypeError:  # unhashable (list, dict)
            pass
        raise FieldError([INVALID_BOOL])

    def schema(self) -> dict[str, Any]:
        return {"type": "boolean"}


@dataclass
class ChoiceField(Field):
    choices: tuple[str, ...] = ()

    def convert(self, value: Any) -> Any:
        if isinstance(value, str | int) and not isinstance(value, bool):
            text = str(value)
            if text in self.choices:
                return text
        raise FieldError([f'"{value}" is not a valid choice.'])

    def schema(self) -> dict[str, Any]:
        return {"type": "string", "enum": list(self.choices)}


@dataclass
class DateField(Field):
    def convert(self, value: Any) -> date:
        if not isinstance(value, str):
            raise FieldError([timefmt.DATE_FORMAT_ERROR])
        try:
            return timefmt.parse_date(value.strip())
        except ValueError as exc:
            raise FieldError([str(exc)]) from exc

    def schema(self) -> dict[str, Any]:
        return {"type": "string", "format": "date"}


@dataclass
class TimeField(Field):
    def convert(self, value: Any) -> time:
        if not isinstance(value, str):
            raise FieldError([timefmt.TIME_FORMAT_ERROR])
        try:
            return timefmt.parse_time(value.strip())
        except ValueError as exc:
            raise FieldError([str(exc)]) from exc

    def schema(self) -> dict[str, Any]:
        return {"type": "string", "pattern": r"^\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?$"}


@dataclass
class DateTimeField(Field):
    tz: ZoneInfo = field(default_factory=lambda: ZoneInfo("Europe/Berlin"))

    def convert(self, value: Any) -> datetime:
        if not isinstance(value, str):
            raise FieldError([timefmt.DATETIME_FORMAT_ERROR])
        try:
            return timefmt.parse_datetime(value, self.tz)
        except ValueError as exc:
            raise FieldError([str(exc)]) from exc

    def schema(self) -> dict[str, Any]:
        return {"type": "string", "format": "date-time"}


@dataclass
class ListField(Field):
    child: Field = field(default_factory=Field)

    def convert(self, value: Any) -> list[Any]:
        if not isinstance(value, list):
            kind = type(value).__name__
            raise FieldError([f'Expected a list of items but got type "{kind}".'])
        result, errors = [], {}
        for index, item in enumerate(value):
            try:
                result.append(self.child.run(item))
            except FieldError as exc:
                errors[str(index)] = exc.messages
        if errors:
            raise FieldError(errors)
        return result

    def schema(self) -> dict[str, Any]:
        return {"type": "array", "items": self.child.full_schema()}


def regex(pattern: str, message: str) -> Validator:
    compiled = re.compile(pattern)
    return lambda value: None if compiled.fullmatch(str(value)) else message


def json_type_name(value: Any) -> str:
    return {dict: "dict", list: "list", str: "str", int: "int", float: "float", bool: "bool"}.get(
        type(value), type(value).__name__
    )


@dataclass
class Serializer:
    """A named set of fields; ``validate`` returns the cleaned values or raises a DRF 400."""

    name: str
    fields: Mapping[str, Field]

    def validate(self, data: Any, *, partial: bool = False) -> dict[str, Any]:
        cleaned, errors = self.collect(data, partial=partial)
        if errors:
            raise ValidationFailed(errors)
        return cleaned

    def collect(
        self, data: Any, *, partial: bool = False, use_defaults: bool = True
    ) -> tuple[dict[str, Any], dict[str, Any]]:
        """Cleaned values of the valid fields and the errors of the others (no raise), so a
        caller can add database-dependent field errors before answering (DRF reports all)."""
        if not isinstance(data, dict):
            kind = json_type_name(data)
            raise ValidationFailed(
                {"non_field_errors": [f"Invalid data. Expected a dictionary, but got {kind}."]}
            )
        cleaned: dict[str, Any] = {}
        errors: dict[str, Any] = {}
        for name, spec in self.fields.items():
            value = data.get(name, _MISSING)
            if value is _MISSING:
                if partial:
                    continue
                if spec.default is not _MISSING:
                    if use_defaults:
                        cleaned[name] = spec.default() if callable(spec.default) else spec.default
                elif spec.required:
                    errors[name] = [REQUIRED]
                continue
            try:
                cleaned[name] = spec.run(value)
            except FieldError as exc:
                errors[name] = exc.messages
        return cleaned, errors

    def json_schema(self, *, partial: bool = False) -> dict[str, Any]:
        required = [
            name
            for name, spec in self.fields.items()
            if spec.required and spec.default is _MISSING and not partial
        ]
        schema: dict[str, Any] = {
            "type": "object",
            "properties": {name: spec.full_schema() for name, spec in self.fields.items()},
        }
        if required:
            schema["required"] = required
        return schema


@dataclass
class PrimaryKeyField(Field):
    """A reference by id (DRF ``PrimaryKeyRelatedField``); existence is checked by the caller.

    Returns the id as int. Wrong types give DRF's "Incorrect type" text; ids outside the
    bigint range the 00 §12 texts.
    """

    def convert(self, value: Any) -> int:
        if isinstance(value, bool) or not isinstance(value, int | str):
            raise FieldError(
                [f"Incorrect type. Expected pk value, received {json_type_name(value)}."]
            )
        if isinstance(value, str):
            # ASCII digits only: str.isdigit() also admits "²" or "١", which int() refuses.
            text = value.strip()
            if not _PK_TEXT.fullmatch(text):
                raise FieldError(["Incorrect type. Expected pk value, received str."])
            # Far beyond bigint (and int()'s 4,300-digit limit): any out-of-range stand-in
            # gives the same answer as the exact number would.
            if len(text.lstrip("-").lstrip("0")) > _BIGINT_DIGITS:
                value = -BIGINT_MAX - 2 if text.startswith("-") else BIGINT_MAX + 1
            else:
                value = int(text)
        number = int(value)
        if number > BIGINT_MAX:
            raise FieldError([f"Ensure this value is less than or equal to {BIGINT_MAX}."])
        return number

    def schema(self) -> dict[str, Any]:
        return {"type": "integer", "minimum": 1, "maximum": BIGINT_MAX}


def does_not_exist(pk: Any) -> str:
    return f'Invalid pk "{pk}" - object does not exist.'


def notes_field(*, default: Any = _MISSING) -> CharField:
    """Optional free-text ``notes`` (null and blank allowed), at most ``NOTES_MAX_LENGTH``."""
    return CharField(
        max_length=NOTES_MAX_LENGTH,
        allow_blank=True,
        allow_null=True,
        required=False,
        default=default,
    )
