"""Heute: the start page (issue 20)."""
