"""Chain templates, whole-chain suggestions and atomic chain booking.

Issue 17; the contract is docs/series-and-chains.md.
"""
