"""Statistik: OP statistics (04 §5.8) and practice KPIs (08 §9) over a chosen date range."""
