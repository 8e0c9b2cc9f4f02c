"""Web consoles served by the API as static pages."""
