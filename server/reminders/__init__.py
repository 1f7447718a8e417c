"""Appointment reminders by e-mail and SMS with consent, through an outbox (issue 19, docs/reminders.md)."""
