"""Patienten: search, list, detail with history, create/edit."""
