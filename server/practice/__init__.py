"""Practice settings, personal preferences and the call-up display (issue 20)."""
