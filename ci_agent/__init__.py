"""PraxiApp CI agent: log receiver and log processor (spec 06)."""

__version__ = "1.0.0"
