"""IVR: the FastAGI server and the thin call flow (privacy notice, queue, message, status, survey)."""
