"""Kalender: day, week and month views over one scene model (spec 07 "Kalender")."""
