"""Benutzer (admin): user management."""
