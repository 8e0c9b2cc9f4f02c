"""`hotline asr install-model`: download an official Vosk zip, check its SHA-256, unpack it safely.

Nothing replaces the installed model until the new one is downloaded, verified, unpacked and
checked; a failed install leaves the old model (or none) exactly as it was.
"""

from __future__ import annotations

import hashlib
import tempfile
import urllib.request
import zipfile
from pathlib import Path, PurePosixPath

from hotline.asr.engine import ModelError, check_model

OFFICIAL = {
    "vosk-model-small-cn-0.22": "https://alphacephei.com/vosk/models/vosk-model-small-cn-0.22.zip",
    "vosk-model-cn-0.22": "https://alphacephei.com/vosk/models/vosk-model-cn-0.22.zip",
}
CHUNK = 1 << 20


def install_model(target: Path, sha256: str, *, name: str | None = None, url: str | None = None,
                  timeout: float = 60) -> Path:
    """Install the model zip at `url` (the official one for `name`) as directory `target`."""
    name = name or target.name
    url = url or OFFICIAL.get(name)
    if url is None:
        raise ModelError(f"no official download for {name!r}; known: {', '.join(OFFICIAL)} (or pass --url)")
    expected = sha256.strip().lower()
    if len(expected) != 64 or any(c not in "0123456789abcdef" for c in expected):
        raise ModelError("--sha256 must be 64 hexadecimal digits")
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=target.parent, prefix=".install-") as tmp:
        archive = Path(tmp) / "model.zip"
        digest = _download(url, archive, timeout)
        if digest != expected:
            raise ModelError(f"{url}: SHA-256 is {digest}, expected {expected}; nothing installed")
        unpacked = _unpack(archive, Path(tmp) / "unpacked")
        problems = check_model(unpacked)
        if problems:
            raise ModelError("the archive is not a usable Vosk model: " + "; ".join(problems))
        old = Path(tmp) / "previous"
        if target.exists():
            target.rename(old)
        unpacked.rename(target)
    return target


def _download(url: str, dest: Path, timeout: float) -> str:
    digest = hashlib.sha256()
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response, dest.open("wb") as out:
            while chunk := response.read(CHUNK):
                digest.update(chunk)
                out.write(chunk)
    except OSError as exc:  # URLError, HTTPError and timeouts are all OSErrors
        raise ModelError(f"{url}: download failed ({exc})") from None
    return digest.hexdigest()


def _unpack(archive: Path, dest: Path) -> Path:
    """Extract refusing absolute paths and `..`; returns the model directory inside."""
    try:
        with zipfile.ZipFile(archive) as zf:
            for member in zf.infolist():
                parts = PurePosixPath(member.filename).parts
                if member.filename.startswith(("/", "\\")) or ".." in parts:
                    raise ModelError(f"refusing archive member {member.filename!r} (outside the model directory)")
            zf.extractall(dest)
    except zipfile.BadZipFile as exc:
        raise ModelError(f"not a zip archive ({exc})") from None
    entries = list(dest.iterdir())
    # Official zips hold one top-level directory named after the model.
    return entries[0] if len(entries) == 1 and entries[0].is_dir() else dest

