"""The printable day list: one table per doctor (time, patient, type, room, status).

Built as a ``QTextDocument`` from the data the calendar already shows, so printing needs no
extra request; written to PDF with ``QPdfWriter`` or sent to a ``QPrinter``.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from html import escape

from PySide6.QtCore import QCoreApplication, QMarginsF
from PySide6.QtGui import QPagedPaintDevice, QPageLayout, QPageSize, QPdfWriter, QTextDocument

from desktop.i18n import QT_TRANSLATE_NOOP
from desktop.views.calendar.model import Appointment, CalendarData
from desktop.views.calendar.month_view import WEEKDAY_NAMES

translate = QCoreApplication.translate

#: Source texts, shown through ``translate("DayList", …)``.
STATUS_LABELS = {
    "scheduled": QT_TRANSLATE_NOOP("DayList", "geplant"),
    "confirmed": QT_TRANSLATE_NOOP("DayList", "bestätigt"),
    "completed": QT_TRANSLATE_NOOP("DayList", "erledigt"),
    "cancelled": QT_TRANSLATE_NOOP("DayList", "abgesagt"),
}


def status_label(appointment: Appointment) -> str:
    if appointment.is_no_show:
        return translate("DayList", "nicht erschienen")
    label = STATUS_LABELS.get(appointment.status)
    return translate("DayList", label) if label is not None else appointment.status


def day_list_html(data: CalendarData, day: date, doctor_ids: Iterable[int] | None = None) -> str:
    """HTML of the day list for ``day`` (every doctor of ``data`` when ``doctor_ids`` is None)."""
    wanted = None if doctor_ids is None else set(doctor_ids)
    doctors = [d for d in data.doctors if wanted is None or d.id in wanted]
    weekday = translate("Calendar", WEEKDAY_NAMES[day.weekday()])
    title = translate("DayList", "Tagesliste {0}, {1}").format(weekday, f"{day:%d.%m.%Y}")
    parts = [
        "<html><body style='font-family: sans-serif; font-size: 10pt;'>",
        f"<h2 style='margin-bottom: 2px;'>{escape(title)}</h2>",
    ]
    for doctor in doctors:
        rows = sorted(
            (a for a in data.appointments if a.doctor == doctor.id and a.start.date() == day),
            key=lambda a: (a.start, a.id),
        )
        absence = data.absence(doctor.id, day)
        parts.append(
            f"<h3 style='margin-top: 14px; margin-bottom: 4px;'>{escape(doctor.name)}</h3>"
        )
        if absence is not None:
            away = (
                translate("DayList", "Abwesend: {0}").format(absence.reason)
                if absence.reason
                else translate("DayList", "Abwesend")
            )
            parts.append(f"<p><i>{escape(away)}</i></p>")
        if not rows:
            parts.append(f"<p>{escape(translate('DayList', 'Keine Termine.'))}</p>")
            continue
        headers = (
            translate("DayList", "Zeit"),
            translate("DayList", "Patient"),
            translate("DayList", "Terminart"),
            translate("DayList", "Raum"),
            translate("DayList", "Status"),
        )
        parts.append(
            "<table width='100%' cellspacing='0' cellpadding='3' border='1' "
            "style='border-collapse: collapse; border-color: #9AA5B1;'>"
            "<tr style='background: #E9EDF2;'>"
            + "".join(f"<th align='left'>{escape(h)}</th>" for h in headers)
            + "</tr>"
        )
        for a in rows:
            style = " style='color: #7B8794; text-decoration: line-through;'" if a.cancelled else ""
            parts.append(
                f"<tr{style}><td>{a.start:%H:%M}–{a.end:%H:%M}</td>"
                f"<td>{escape(a.patient_name)}</td><td>{escape(a.type_name)}</td>"
                f"<td>{escape(a.room_name or '')}</td><td>{escape(status_label(a))}</td></tr>"
            )
        parts.append("</table>")
    parts.append("</body></html>")
    return "".join(parts)


def day_list_document(
    data: CalendarData, day: date, doctor_ids: Iterable[int] | None = None
) -> QTextDocument:
    document = QTextDocument()
    document.setHtml(day_list_html(data, day, doctor_ids))
    return document


def print_document(document: QTextDocument, device: QPagedPaintDevice) -> None:
    """Lay ``document`` out on A4 pages of ``device`` (a QPrinter or a QPdfWriter) and print."""
    device.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
    device.setPageMargins(QMarginsF(15, 15, 15, 15), QPageLayout.Unit.Millimeter)
    document.print_(device)


def write_pdf(document: QTextDocument, path: str, title: str) -> None:
    writer = QPdfWriter(path)
    writer.setTitle(title)
    writer.setCreator("PraxiApp")
    writer.setResolution(300)
    print_document(document, writer)
    del writer  # finishes the file
