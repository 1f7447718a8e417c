"""Einstellungen: own account, personal preferences, practice settings (issue 20)."""
