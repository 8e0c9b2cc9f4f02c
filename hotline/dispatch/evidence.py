"""Evidence files (办结材料): checked, stored by content hash under var/evidence, recorded per assignment."""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path

from hotline.core.errors import InvalidInputError

ALLOWED_TYPES = {"image/jpeg": b"\xff\xd8\xff", "image/png": b"\x89PNG\r\n\x1a\n", "application/pdf": b"%PDF-"}
MAX_BYTES = 10 * 1024 * 1024
MAX_FILES = 9


@dataclass(frozen=True)
class EvidenceUpload:
    filename: str
    content_type: str
    data: bytes


def check_uploads(uploads: list[EvidenceUpload]) -> None:
    """Refuse the whole completion before anything is written if any file is unacceptable."""
    if len(uploads) > MAX_FILES:
        raise InvalidInputError(f"at most {MAX_FILES} evidence files per completion", error_id="evidence_too_many")
    for upload in uploads:
        name = upload.filename
        magic = ALLOWED_TYPES.get(upload.content_type)
        if magic is None:
            raise InvalidInputError(f"{name}: only JPEG, PNG and PDF files are accepted as evidence",
                                    error_id="evidence_type")
        if not upload.data:
            raise InvalidInputError(f"{name}: the file is empty", error_id="evidence_empty")
        if len(upload.data) > MAX_BYTES:
            raise InvalidInputError(f"{name}: larger than {MAX_BYTES // (1024 * 1024)} MB",
                                    error_id="evidence_too_large")
        if not upload.data.startswith(magic):
            raise InvalidInputError(f"{name}: the content is not {upload.content_type}",
                                    error_id="evidence_content_mismatch")


def safe_filename(name: str) -> str:
    cleaned = re.sub(r"[\\/\x00-\x1f]", "_", Path(name).name).strip() or "evidence"
    return cleaned[:200]


class EvidenceStore:
    """Content-addressed files: the same bytes are stored once, and a failed transaction leaves
    at most an unreferenced file, never a record without its file."""

    def __init__(self, root: Path):
        self.root = root

    def put(self, data: bytes) -> str:
        digest = hashlib.sha256(data).hexdigest()
        path = self.path_of(digest)
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            # A temporary file of this writer's own: completions uploading the same new file at once
            # (threads or worker processes) each write whole bytes and rename; the last rename wins
            # with identical content, and no writer renames away a file another is still writing.
            fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{digest}.", suffix=".part")
            try:
                with os.fdopen(fd, "wb") as out:
                    out.write(data)
                    out.flush()
                    os.fsync(out.fileno())
                os.replace(tmp, path)
            except BaseException:
                Path(tmp).unlink(missing_ok=True)
                raise
        return digest

    def path_of(self, digest: str) -> Path:
        return self.root / digest[:2] / digest
