"""Calendar views ``GET /api/calendar/{day,week,month}/`` (spec 03 §10, §12)."""
