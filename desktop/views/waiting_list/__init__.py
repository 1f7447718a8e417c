"""The Warteliste screen, its entry dialog and the calendar's Nachrücker panel (issue 18)."""
