"""Chain templates, whole-chain suggestions and atomic chain booking (issue 17, docs/series-and-chains.md)."""
