"""Range requests for the browser's audio player (RFC 9110 §14): Starlette's FileResponse answers a
satisfiable `bytes` range with 206 and Content-Range; this module decides what it must not see — a range it
cannot satisfy or cannot parse is answered 416 with `Content-Range: bytes */size`, and a unit other than
bytes is ignored (the whole file, 200), as the RFC requires."""

from __future__ import annotations

import re

from fastapi import Request
from fastapi.responses import JSONResponse

from hotline.api.messages import chinese, prefers_chinese

SPEC = re.compile(r"\s*(\d*)\s*-\s*(\d*)\s*")


def satisfiable(header: str, size: int) -> bool:
    """Every range of a `bytes=` header names at least one byte of a file of `size` bytes."""
    _, _, specs = header.partition("=")
    for spec in specs.split(","):
        match = SPEC.fullmatch(spec)
        if match is None or match.group(1) == match.group(2) == "":
            return False
        first, last = match.group(1), match.group(2)
        if first == "":
            if int(last) == 0 or size == 0:
                return False
        elif int(first) >= size or (last != "" and int(last) < int(first)):
            return False
    return True


def check_range(request: Request, size: int) -> JSONResponse | None:
    """None when the file may be served as asked (after dropping a Range in a unit other than bytes);
    otherwise the 416 answer."""
    header = request.headers.get("range")
    if header is None:
        return None
    if header.partition("=")[0].strip().lower() != "bytes":
        request.scope["headers"] = [(k, v) for k, v in request.scope["headers"] if k.lower() != b"range"]
        return None
    if satisfiable(header, size):
        return None
    error_id = "range_not_satisfiable"
    message = chinese(error_id, 416) if prefers_chinese(request.headers.get("accept-language")) else \
        f"range {header!r} is not satisfiable for {size} bytes"
    return JSONResponse({"error_id": error_id, "message": message, "details": {"size": size}}, status_code=416,
                        headers={"Content-Range": f"bytes */{size}", "Accept-Ranges": "bytes"})
