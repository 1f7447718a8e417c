"""The sections of the Statistik screen in screen order, and the server's refusals in German.

Each :class:`Section` names its endpoint (OP statistics 04 §5.8, KPI API 08 §9, both with
``from``/``to``) and the builder that turns the JSON into tiles or bars.
"""

from __future__ import annotations

from desktop.session import User
from desktop.views.statistics import kpis, op_stats
from desktop.views.statistics.content import Section, t


def sections_for(user: User) -> list[Section]:
    """The sections in screen order; every role gets all of them and the server decides.

    A doctor sees the own KPIs instead of the doctor comparison (the only KPI path open to
    doctors, 08 §9); every other refusal shows up as the section's German message.
    """
    doctors = (
        Section(
            "kpi_doctor",
            t("Meine Kennzahlen"),
            f"/api/kpi/doctors/{user.id}/",
            kpis.kpi_own_doctor,
            wide=True,
            hint=t("Ihre Termine im Zeitraum"),
        )
        if user.role == "doctor"
        else Section(
            "kpi_doctors",
            t("Auslastung je Arzt"),
            "/api/kpi/doctors/",
            kpis.kpi_doctors,
            wide=True,
            hint=t("Gebuchte Terminzeit im Verhältnis zu den Sprechzeiten"),
        )
    )
    sections = [
        Section(
            "op_overview",
            t("Operationen im Überblick"),
            "/api/op-stats/overview/",
            op_stats.op_overview,
            wide=True,
            hint=t("Operationen im Zeitraum, ohne stornierte; volle geplante Dauer"),
        ),
        Section(
            "op_rooms",
            t("Raumauslastung"),
            "/api/op-stats/rooms/",
            op_stats.op_rooms,
            hint=t("OP-Minuten je Raum, bezogen auf 8 Stunden (08–16 Uhr) je Kalendertag"),
        ),
        Section(
            "op_devices",
            t("Gerätenutzung"),
            "/api/op-stats/devices/",
            op_stats.op_devices,
            hint=t("OP-Minuten je eingesetztem Gerät"),
        ),
        Section(
            "op_surgeons",
            t("Operationen je Operateur"),
            "/api/op-stats/surgeons/",
            op_stats.op_surgeons,
            hint=t("Nach Hauptoperateur"),
        ),
        Section(
            "op_types",
            t("OP-Arten"),
            "/api/op-stats/types/",
            op_stats.op_types,
            hint=t("Anzahl und durchschnittliche Dauer je OP-Art"),
        ),
        Section(
            "kpi_operations",
            t("Praxis-Kennzahlen"),
            "/api/kpi/operations/",
            kpis.kpi_operations,
            wide=True,
            hint=t("Termine und Operationen mit Beginn im Zeitraum"),
        ),
        Section(
            "kpi_scheduling",
            t("Terminplanung"),
            "/api/kpi/scheduling/",
            kpis.kpi_scheduling,
            hint=t("Termine mit Beginn im Zeitraum; Slots à 30 Minuten"),
        ),
        Section(
            "kpi_patients",
            t("Patienten"),
            "/api/kpi/patients/overview/",
            kpis.kpi_patients,
            hint=t("Patientenstamm und Termine im Zeitraum"),
        ),
    ]
    # A doctor's own figures come first; the comparison of all doctors closes the page.
    if user.role == "doctor":
        return [doctors, *sections]
    return [*sections, doctors]


# -- server refusals ---------------------------------------------------------------------

_RANGE_ERRORS = {
    "from must be <= to.": "Das Von-Datum liegt nach dem Bis-Datum.",
    "Range too large (max 366 days).": (
        "Der Zeitraum ist zu lang – höchstens 366 Tage sind möglich."
    ),
    "Dates must be in format YYYY-MM-DD.": "Das Datum ist ungültig.",
    "Provide both from and to (YYYY-MM-DD).": "Bitte Von- und Bis-Datum angeben.",
    "Provide either ?date=YYYY-MM-DD or ?from=YYYY-MM-DD&to=YYYY-MM-DD.": (
        "Bitte Von- und Bis-Datum angeben."
    ),
}


def range_error_text(detail: str) -> str:
    """The server's 400 text about the date range in German (other texts stay verbatim)."""
    return t(_RANGE_ERRORS.get(detail, detail))


def refusal_text(role_label: str) -> str:
    return t(
        "Keine Berechtigung: Diese Auswertung ist für die Rolle „{0}“ nicht freigegeben."
    ).format(role_label)
