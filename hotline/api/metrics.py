"""Prometheus metrics: requests by route template and status, and their latency."""

from __future__ import annotations

import time

from fastapi import FastAPI
from fastapi.responses import Response
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Histogram, generate_latest


class MetricsMiddleware:
    """Plain ASGI (no per-request task as BaseHTTPMiddleware makes): labels are route templates."""

    def __init__(self, app, registry: CollectorRegistry):
        self.app = app
        self.requests = Counter("hotline_http_requests_total", "HTTP requests", ["method", "route", "status"],
                                registry=registry)
        self.latency = Histogram("hotline_http_request_seconds", "HTTP request latency", ["method", "route"],
                                 registry=registry, buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5))

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        began, status = time.perf_counter(), [500]

        async def capture(message):
            if message["type"] == "http.response.start":
                status[0] = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, capture)
        finally:
            template = getattr(scope.get("route"), "path", "unmatched")
            self.latency.labels(scope["method"], template).observe(time.perf_counter() - began)
            self.requests.labels(scope["method"], template, str(status[0])).inc()


def install_metrics(app: FastAPI) -> None:
    registry = CollectorRegistry()
    app.add_middleware(MetricsMiddleware, registry=registry)

    @app.get("/metrics", include_in_schema=False)
    def metrics():
        return Response(generate_latest(registry), media_type=CONTENT_TYPE_LATEST)
