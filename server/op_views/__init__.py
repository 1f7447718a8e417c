"""OP dashboard, OP timeline, OP statistics and resource calendar (spec 04 §5.6–§5.9).

Read views over operations (and, for the resource calendar, appointments, absences and
breaks), each rendered in one SQL statement whatever the row count, plus the dashboard's
status endpoint, which reuses the operation status machine and occupancy logic of
``server.operations``.
"""
