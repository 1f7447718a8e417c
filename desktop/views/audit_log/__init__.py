"""Audit-Log (admin): filterable viewer."""
