"""PraxiApp's own translation catalogue: ``praxi_<language>.ts`` (source) and ``.qm`` (compiled,
loaded by ``desktop.application.create_application``); how to refresh it is in docs/translations.md.

Texts written where they are not yet shown (tables of labels at module level) are marked with
:func:`QT_TRANSLATE_NOOP` so that ``pyside6-lupdate`` lists them, and translated where they
are shown, with the same context.
"""

from __future__ import annotations


def QT_TRANSLATE_NOOP(context: str, source: str) -> str:  # noqa: N802 - the name lupdate knows
    """Lists ``source`` in the catalogue under ``context`` and returns it unchanged; show it
    with ``QCoreApplication.translate(context, source)`` (Qt's own marker is typed ``object``)."""
    return source
