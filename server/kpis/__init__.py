"""Practice KPIs for the desktop statistics panels (spec 08, API of §9)."""
