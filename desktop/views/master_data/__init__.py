"""Stammdaten: table + form editors for the master data (02 §2–§8)."""
