"""Live events for consoles: typed events, one notifier per process, a bus underneath."""
