"""Statistics: rates, monthly rankings and hotspots."""
