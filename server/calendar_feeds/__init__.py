"""iCalendar subscription feeds per doctor and room behind revocable tokens (issue 19, docs/calendar-feeds.md)."""
