"""FastAPI application: routers, error rendering, sessions per request."""
