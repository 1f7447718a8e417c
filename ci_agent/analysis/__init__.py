"""Deterministic log analysis (spec 06 §6): pure functions, no I/O."""
