"""Terminketten: the booking dialog and the templates editor (issue 17)."""
