"""The desks: what the operator's and the callback staff's screens need beyond the lifecycle itself."""
