"""Appointment series in the desktop (issue 17): repeat dialog, cancel scope."""
