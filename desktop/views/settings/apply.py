"""Personal preferences (from the server) applied to this PC's screens.

The calendar keeps its view, raster, colours and week doctors in the local settings as well
(they change there with a click); the server's preferences set them when the user signs in
and when they are saved under Einstellungen, so they follow the user from PC to PC.
"""

from __future__ import annotations

from desktop.api.practice import PracticeSettings, UserPreferences
from desktop.views.calendar.page import WEEK_DOCTORS_KEY, CalendarPage


def apply_to_calendar(calendar: CalendarPage, prefs: UserPreferences) -> None:
    """View, raster, colour mode and shown doctors, through the calendar's own controls."""
    index = calendar.slot_box.findData(prefs.calendar_raster)
    if index >= 0:
        calendar.slot_box.setCurrentIndex(index)  # stores and redraws (``_slot_chosen``)
    calendar.color_box.setCurrentIndex(1 if prefs.colour_mode == "type" else 0)
    shown = set(prefs.shown_doctor_ids)
    calendar.week_doctors = shown or None
    calendar.prefs.qsettings.setValue(WEEK_DOCTORS_KEY, ",".join(str(i) for i in sorted(shown)))
    if shown and calendar.doctor_filter.entries:
        calendar.doctor_filter.set_checked(shown)
    if prefs.calendar_view != calendar.mode:
        calendar.set_mode(prefs.calendar_view)


def apply_practice_to_calendar(calendar: CalendarPage, settings: PracticeSettings) -> None:
    """The weekdays the week view shows (Einstellungen → Praxis → Angezeigte Tage)."""
    shown = set(settings.calendar_days)
    if shown != calendar.shown_weekdays:
        calendar.shown_weekdays = shown
        if calendar.mode == "week" and calendar.data is not None:
            calendar._show()
