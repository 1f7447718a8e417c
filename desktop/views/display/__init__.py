"""The call-up display ("Aufrufanzeige", issue 20)."""
