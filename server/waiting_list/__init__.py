"""The waiting list (Warteliste): entries, matching freed slots, booking from an entry.

Issue 18; the contract is docs/waiting-list.md.
"""
