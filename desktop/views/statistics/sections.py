"""The sections of the Statistik screen in screen order, and the server's refusals in German.

Each :class:`Section` names its endpoint (OP statistics 04 §5.8, KPI API 08 §9, both with
``from``/``to``) and the builder that turns the JSON into tiles or bars.
"""

from __future__ import annotations

from desktop.api.waiting_list import KPI_PATH as WAITING_LIST_KPI_PATH
from desktop.i18n import QT_TRANSLATE_NOOP
from desktop.session import User
from desktop.views.statistics import kpis, op_stats, waiting_list
from desktop.views.statistics.content import Section, translate


def sections_for(user: User) -> list[Section]:
    """The sections in screen order; every role gets all of them and the server decides.

    A doctor sees the own KPIs instead of the doctor comparison (the only KPI path open to
    doctors, 08 §9); every other refusal shows up as the section's German message.
    """
    doctors = (
        Section(
            "kpi_doctor",
            translate("Statistik", "Meine Kennzahlen"),
            f"/api/kpi/doctors/{user.id}/",
            kpis.kpi_own_doctor,
            wide=True,
            hint=translate("Statistik", "Ihre Termine im Zeitraum"),
        )
        if user.role == "doctor"
        else Section(
            "kpi_doctors",
            translate("Statistik", "Auslastung je Arzt"),
            "/api/kpi/doctors/",
            kpis.kpi_doctors,
            wide=True,
            hint=translate("Statistik", "Gebuchte Terminzeit im Verhältnis zu den Sprechzeiten"),
        )
    )
    sections = [
        Section(
            "op_overview",
            translate("Statistik", "Operationen im Überblick"),
            "/api/op-stats/overview/",
            op_stats.op_overview,
            wide=True,
            hint=translate(
                "Statistik", "Operationen im Zeitraum, ohne stornierte; volle geplante Dauer"
            ),
        ),
        Section(
            "op_rooms",
            translate("Statistik", "Raumauslastung"),
            "/api/op-stats/rooms/",
            op_stats.op_rooms,
            hint=translate(
                "Statistik", "OP-Minuten je Raum, bezogen auf 8 Stunden (08–16 Uhr) je Kalendertag"
            ),
        ),
        Section(
            "op_devices",
            translate("Statistik", "Gerätenutzung"),
            "/api/op-stats/devices/",
            op_stats.op_devices,
            hint=translate("Statistik", "OP-Minuten je eingesetztem Gerät"),
        ),
        Section(
            "op_surgeons",
            translate("Statistik", "Operationen je Operateur"),
            "/api/op-stats/surgeons/",
            op_stats.op_surgeons,
            hint=translate("Statistik", "Nach Hauptoperateur"),
        ),
        Section(
            "op_types",
            translate("Statistik", "OP-Arten"),
            "/api/op-stats/types/",
            op_stats.op_types,
            hint=translate("Statistik", "Anzahl und durchschnittliche Dauer je OP-Art"),
        ),
        Section(
            "kpi_operations",
            translate("Statistik", "Praxis-Kennzahlen"),
            "/api/kpi/operations/",
            kpis.kpi_operations,
            wide=True,
            hint=translate("Statistik", "Termine und Operationen mit Beginn im Zeitraum"),
        ),
        Section(
            "kpi_scheduling",
            translate("Statistik", "Terminplanung"),
            "/api/kpi/scheduling/",
            kpis.kpi_scheduling,
            hint=translate("Statistik", "Termine mit Beginn im Zeitraum; Slots à 30 Minuten"),
        ),
        Section(
            "kpi_patients",
            translate("Statistik", "Patienten"),
            "/api/kpi/patients/overview/",
            kpis.kpi_patients,
            hint=translate("Statistik", "Patientenstamm und Termine im Zeitraum"),
        ),
        Section(
            "kpi_waiting_list",
            translate("Statistik", "Warteliste"),
            WAITING_LIST_KPI_PATH,
            waiting_list.kpi_waiting_list,
            hint=translate("Statistik", "Frei gewordene Terminzeit und was nachbesetzt wurde"),
        ),
        Section(
            "kpi_waiting_list_weeks",
            translate("Statistik", "Nachbesetzung je Woche"),
            WAITING_LIST_KPI_PATH,
            waiting_list.kpi_waiting_list_weeks,
            hint=translate("Statistik", "Anteil der frei gewordenen Minuten, nach Kalenderwoche"),
        ),
    ]
    # A doctor's own figures come first; the comparison of all doctors closes the page.
    if user.role == "doctor":
        return [doctors, *sections]
    return [*sections, doctors]


# -- server refusals ---------------------------------------------------------------------

_RANGE_ERRORS = {
    "from must be <= to.": QT_TRANSLATE_NOOP(
        "Statistik", "Das Von-Datum liegt nach dem Bis-Datum."
    ),
    "Range too large (max 366 days).": QT_TRANSLATE_NOOP(
        "Statistik", "Der Zeitraum ist zu lang – höchstens 366 Tage sind möglich."
    ),
    "Dates must be in format YYYY-MM-DD.": QT_TRANSLATE_NOOP(
        "Statistik", "Das Datum ist ungültig."
    ),
    "Provide both from and to (YYYY-MM-DD).": QT_TRANSLATE_NOOP(
        "Statistik", "Bitte Von- und Bis-Datum angeben."
    ),
    "Provide either ?date=YYYY-MM-DD or ?from=YYYY-MM-DD&to=YYYY-MM-DD.": QT_TRANSLATE_NOOP(
        "Statistik", "Bitte Von- und Bis-Datum angeben."
    ),
}


def range_error_text(detail: str) -> str:
    """The server's 400 text about the date range in German (other texts stay verbatim)."""
    german = _RANGE_ERRORS.get(detail)
    return translate("Statistik", german) if german is not None else detail


def refusal_text(role_label: str) -> str:
    return translate(
        "Statistik",
        "Keine Berechtigung: Diese Auswertung ist für die Rolle „{0}“ nicht freigegeben.",
    ).format(role_label)
