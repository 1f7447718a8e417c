"""iCalendar subscription feeds per doctor and room behind revocable tokens.

Issue 19; the contract is docs/calendar-feeds.md.
"""
