"""Terminerinnerungen in the desktop (docs/reminders.md): Stammdaten → Erinnerungen, the
patient's consent, and the reminder status of an appointment."""
