"""Where evidence bytes are kept: a local folder outside the web root by default.

Files are stored under random keys, never under a name the uploader chose, so no upload can
name a path. Another store (an S3-compatible bucket) implements the same three methods.
"""

from __future__ import annotations

import os
import re
import secrets
from pathlib import Path
from typing import BinaryIO, Protocol

from flask import current_app

_KEY = re.compile(r"^[0-9a-f]{32}$")


class EvidenceStore(Protocol):
    def put(self, key: str, data: bytes) -> None: ...

    def open(self, key: str) -> BinaryIO: ...

    def discard(self, key: str) -> None:
        """Only for bytes whose record was never saved (an upload that failed part-way) or was anonymised."""


def new_key() -> str:
    return secrets.token_hex(16)


class LocalEvidenceStore:
    """``root/ab/abcdef...``: written to a temporary name and renamed, so a reader never sees half a file."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def _path(self, key: str) -> Path:
        if not _KEY.match(key):
            raise ValueError("not an evidence key")
        return self.root / key[:2] / key

    def put(self, key: str, data: bytes) -> None:
        path = self._path(key)
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        partial = path.with_suffix(".partial")
        with open(partial, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        partial.chmod(0o600)
        partial.replace(path)

    def open(self, key: str) -> BinaryIO:
        return open(self._path(key), "rb")

    def discard(self, key: str) -> None:
        self._path(key).unlink(missing_ok=True)


def evidence_store() -> EvidenceStore:
    """The store the configuration names (``EVIDENCE_DIR``, under instance/ unless set)."""
    configured = current_app.config.get("EVIDENCE_DIR") or Path(current_app.instance_path) / "evidence"
    return LocalEvidenceStore(Path(configured))
