"""Appointment series: recurrence preview, all-or-nothing booking, scoped edits and
cancels (issue 17, docs/series-and-chains.md)."""
