"""Patientenfluss: the patient-flow board."""
