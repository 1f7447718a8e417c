"""Kalender abonnieren: the doctor's calendar subscription (docs/calendar-feeds.md)."""
