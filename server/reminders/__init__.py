"""Appointment reminders by e-mail and SMS with consent, through an outbox.

Issue 19; the contract is docs/reminders.md.
"""
