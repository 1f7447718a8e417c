"""Database backups with ``pg_dump``/``pg_restore`` (``praxi-server backup`` / ``restore``)."""
