"""OP-Plan: operating rooms as rows on a zoomable day timeline."""
