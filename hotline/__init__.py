"""hotline: the backend of a 12345 citizen-service hotline (政务服务便民热线)."""

__version__ = "0.1.0"
