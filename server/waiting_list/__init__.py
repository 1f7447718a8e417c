"""The waiting list (Warteliste): entries, matching freed slots, booking from an entry (issue 18, docs/waiting-list.md)."""
