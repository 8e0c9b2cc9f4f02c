"""`hotline api` stops on SIGTERM even while a console holds its live stream open."""

from __future__ import annotations

import subprocess
import time

import requests

from tests.integration.api_workers import ApiWorkers, bearer, worker_env


def test_a_stop_ends_open_live_streams_after_the_grace_period(settings, ctx, people):
    server = ApiWorkers(worker_env(settings, HOTLINE_API_SHUTDOWN_GRACE_S="1"), workers=1).start()
    try:
        stream = requests.get(server.url + "/api/v1/live", headers=bearer(ctx, people["operator"].user_id),
                              stream=True, timeout=30)
        assert stream.status_code == 200 and stream.headers["content-type"].startswith("text/event-stream")
        asked = time.monotonic()
        server.proc.terminate()
        try:
            server.proc.wait(15)  # without a grace period uvicorn waits for the browser, which never leaves
        except subprocess.TimeoutExpired:
            raise AssertionError("hotline api did not stop with a live stream open\n" + server.tail()) from None
        assert time.monotonic() - asked < 10
        assert "Cancel 1 running task(s), timeout graceful shutdown exceeded" in server.tail()
        stream.close()
    finally:
        server.stop()
