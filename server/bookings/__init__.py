"""What every kind of booking shares: occupancy rows, lock order, retry, scheduling data.

Appointments and operations (and later series, chains and the waiting list) all book
through this package, so that "no double booking" is one mechanism: advisory locks taken in
one global order (``locks``), one occupancy row per occupied subject under one exclusion
constraint (``occupancy``), one retry after a lost race (``retry``), and one load of
everything the scheduling engine needs (``scheduling_data``). The booking domains import
this package; it imports none of them.
"""
