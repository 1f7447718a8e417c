"""PraxiApp desktop client (PySide6); talks to the server only over HTTP.

The application shell, embedded mode and calendar arrive with the desktop issues; until then
this package holds no code.
"""
