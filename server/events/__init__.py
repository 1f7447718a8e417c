"""Live change stream: the LISTEN connection, its fan-out and ``GET /api/events/``."""
