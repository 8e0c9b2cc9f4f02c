"""Dispatch: work orders, their lifecycle, routing, SLA calendar and deadlines, returns, extensions."""
