"""Demo data for trying PraxiApp out and for benchmarks (``praxi-server seed-demo``)."""
