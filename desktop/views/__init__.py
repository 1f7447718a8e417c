"""Screens of the desktop client (calendar, OP plan, patient flow, master data, …)."""
