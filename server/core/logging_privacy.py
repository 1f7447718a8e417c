"""Keep patient data out of the server log (issue 22).

Two places used to put it there:

* **Access log**: uvicorn logs the request target with its query string
  (``GET /api/patients/search/?q=Müller``). :class:`PatientDataFilter` replaces every query
  value by ``…`` (``?q=…``); the parameter names stay, the path is kept as it is.
* **Database errors**: SQLAlchemy hides bound parameters (``hide_parameters=True`` in
  :func:`server.db.make_engine`), but PostgreSQL's own messages quote values
  (``invalid input syntax for type date: "…"``, ``DETAIL: Key (…)=(…) already exists``,
  ``Failing row contains (…)``). A record whose exception — or any exception it was raised
  from — is a database error keeps its traceback and SQL text (placeholders only), but every
  database error's message is replaced by its class and SQLSTATE. A database error passed as
  a ``%s`` argument is shortened the same way.

``praxi-server serve`` installs the filter on all of its log handlers
(:func:`uvicorn_log_config`); ``server.core.errors`` also puts it on its own logger, so the
500 handler logs safely under any ASGI server.
"""

from __future__ import annotations

import copy
import logging
import traceback
from typing import Any

import psycopg
from sqlalchemy.exc import StatementError

REDACTED = "…"
LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"

_CAUSE = "\nThe above exception was the direct cause of the following exception:\n\n"
_CONTEXT = "\nDuring handling of the above exception, another exception occurred:\n\n"


def redact_query(target: str) -> str:
    """``/api/patients/search/?q=Müller&page=2`` → ``/api/patients/search/?q=…&page=…``."""
    path, separator, query = target.partition("?")
    if not separator:
        return target
    parts = []
    for part in query.split("&"):
        name, equals, _ = part.partition("=")
        parts.append(f"{name}={REDACTED}" if equals else REDACTED)
    return f"{path}?{'&'.join(parts)}"


def is_database_error(exc: BaseException) -> bool:
    return isinstance(exc, StatementError | psycopg.Error)


def describe_database_error(exc: BaseException) -> str:
    """Class, SQLSTATE and (for SQLAlchemy errors) the SQL text — never the message."""
    orig = exc.orig if isinstance(exc, StatementError) and exc.orig is not None else exc
    text = f"{type(exc).__name__}: message withheld (may quote patient data); "
    text += f"{type(orig).__module__}.{type(orig).__name__}"
    sqlstate = getattr(orig, "sqlstate", None)
    if sqlstate:
        text += f", SQLSTATE {sqlstate}"
    if isinstance(exc, StatementError) and exc.statement:
        text += f"\n[SQL: {exc.statement}]"
    return text


def _chain(exc: BaseException) -> list[tuple[BaseException, str]]:
    """``exc`` and the exceptions it was raised from, newest first, with the text that
    links each one to the next newer one."""
    chain: list[tuple[BaseException, str]] = []
    seen: set[int] = set()
    current: BaseException | None = exc
    link = ""
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        chain.append((current, link))
        if current.__cause__ is not None:
            current, link = current.__cause__, _CAUSE
        elif current.__context__ is not None and not current.__suppress_context__:
            current, link = current.__context__, _CONTEXT
        else:
            current = None
    return chain


def format_exception_safely(exc: BaseException) -> str:
    """Like ``traceback.format_exception``, but database errors' messages withheld."""
    parts: list[str] = []
    for item, link in reversed(_chain(exc)):
        parts.append("Traceback (most recent call last):\n")
        parts.extend(traceback.format_tb(item.__traceback__))
        if is_database_error(item):
            parts.append(describe_database_error(item) + "\n")
        else:
            parts.extend(traceback.format_exception_only(type(item), item))
        parts.append(link)
    return "".join(parts).rstrip("\n")


class PatientDataFilter(logging.Filter):
    """Rewrites records in place (see the module docstring); never drops one."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.name == "uvicorn.access" and isinstance(record.args, tuple):
            record.args = tuple(
                redact_query(arg) if isinstance(arg, str) and arg.startswith("/") else arg
                for arg in record.args
            )
        elif isinstance(record.args, tuple) and any(
            isinstance(arg, BaseException) and is_database_error(arg) for arg in record.args
        ):
            record.args = tuple(
                describe_database_error(arg)
                if isinstance(arg, BaseException) and is_database_error(arg)
                else arg
                for arg in record.args
            )
        exc = record.exc_info[1] if record.exc_info else None
        if exc is not None and any(is_database_error(item) for item, _ in _chain(exc)):
            record.exc_text = format_exception_safely(exc)
            record.exc_info = None
        return True


def uvicorn_log_config() -> dict[str, Any]:
    """uvicorn's default logging, plus the filter on every handler and a root handler in the
    CLI's format (worker processes get one too, so nothing falls back to an unfiltered
    ``logging.lastResort``)."""
    import uvicorn.config

    config: dict[str, Any] = copy.deepcopy(uvicorn.config.LOGGING_CONFIG)
    config["filters"] = {"patient_data": {"()": f"{__name__}.PatientDataFilter"}}
    config["formatters"]["praxi"] = {"format": LOG_FORMAT}
    config["handlers"]["praxi"] = {
        "class": "logging.StreamHandler",
        "formatter": "praxi",
        "stream": "ext://sys.stderr",
    }
    for handler in config["handlers"].values():
        handler["filters"] = [*handler.get("filters", []), "patient_data"]
    config["root"] = {"handlers": ["praxi"], "level": "INFO"}
    return config
