"""Where evidence bytes are kept: a local folder outside the web root by default, or an S3-compatible
bucket when ``EVIDENCE_S3_BUCKET`` is set.

Files are stored under random keys, never under a name the uploader chose, so no upload can
name a path. Both stores implement the same three methods.
"""

from __future__ import annotations

import os
import re
import secrets
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any, BinaryIO, Protocol

import boto3
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError
from flask import current_app

from app.services.errors import NotFound, Unavailable

DOWN = "The evidence file store is not answering, so nothing was saved. Try again in a few minutes"
UNREADABLE = "The evidence file store is not answering. Try again in a few minutes"

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
        return self.root / _checked(key)[:2] / key

    def put(self, key: str, data: bytes) -> None:
        path = self._path(key)
        partial = path.with_suffix(".partial")
        try:
            path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            with open(partial, "wb") as out:
                out.write(data)
                out.flush()
                os.fsync(out.fileno())
            partial.chmod(0o600)
            partial.replace(path)
        except OSError as error:  # the disk is full, or the folder cannot be written
            partial.unlink(missing_ok=True)
            current_app.logger.error("Evidence file %s not written: %s", key, error)
            raise Unavailable(DOWN) from error

    def open(self, key: str) -> BinaryIO:
        try:
            return open(self._path(key), "rb")
        except FileNotFoundError as error:
            raise NotFound("The file is not in the evidence store") from error

    def discard(self, key: str) -> None:
        self._path(key).unlink(missing_ok=True)


def _checked(key: str) -> str:
    if not _KEY.match(key):
        raise ValueError("not an evidence key")
    return key


class S3EvidenceStore:
    """``bucket/prefix/ab/abcdef...`` in an S3-compatible store (AWS S3, MinIO, Ceph, ...).

    S3 writes an object whole or not at all, so a reader never sees half a file either.
    """

    def __init__(self, client: Any, bucket: str, prefix: str = "") -> None:
        self.client, self.bucket, self.prefix = client, bucket, prefix

    def _name(self, key: str) -> str:
        return f"{self.prefix}{_checked(key)[:2]}/{key}"

    def put(self, key: str, data: bytes) -> None:
        with _answering(DOWN):
            self.client.put_object(
                Bucket=self.bucket, Key=self._name(key), Body=data, ContentType="application/octet-stream"
            )

    def open(self, key: str) -> BinaryIO:
        with _answering(UNREADABLE):
            return self.client.get_object(Bucket=self.bucket, Key=self._name(key))["Body"]

    def discard(self, key: str) -> None:
        with _answering(UNREADABLE):
            self.client.delete_object(Bucket=self.bucket, Key=self._name(key))


@contextmanager
def _answering(message: str) -> Iterator[None]:
    """The bucket's failures as the person sees them: a missing object is 'not found', the rest 503."""
    try:
        yield
    except ClientError as error:
        if error.response.get("Error", {}).get("Code") in {"NoSuchKey", "404"}:
            raise NotFound("The file is not in the evidence store") from error
        current_app.logger.error("The evidence bucket refused a request: %s", error)
        raise Unavailable(message) from error
    except BotoCoreError as error:  # cannot connect, timed out, or the endpoint is unknown
        current_app.logger.error("The evidence bucket is not answering: %s", error)
        raise Unavailable(message) from error


def _s3_client(config: Mapping[str, Any]) -> Any:
    """One client per app and settings (making one costs tens of milliseconds); credentials as boto3
    finds them (``AWS_ACCESS_KEY_ID`` and the rest, or an instance role) unless the settings give them."""
    settings = tuple(
        config.get(name) or None
        for name in (
            "EVIDENCE_S3_ENDPOINT_URL",
            "EVIDENCE_S3_REGION",
            "EVIDENCE_S3_ACCESS_KEY_ID",
            "EVIDENCE_S3_SECRET_ACCESS_KEY",
        )
    )
    clients = current_app.extensions.setdefault("waymark_s3_clients", {})
    if settings not in clients:
        endpoint, region, key_id, secret = settings
        clients[settings] = boto3.session.Session().client(
            "s3",
            endpoint_url=endpoint,
            region_name=region,
            aws_access_key_id=key_id,
            aws_secret_access_key=secret,
            config=Config(
                connect_timeout=5,
                read_timeout=30,
                retries={"max_attempts": 3, "mode": "standard"},
                s3={"addressing_style": config.get("EVIDENCE_S3_ADDRESSING", "auto")},
            ),
        )
    return clients[settings]


def evidence_store() -> EvidenceStore:
    """The store the configuration names: the bucket when ``EVIDENCE_S3_BUCKET`` is set, otherwise the
    folder ``EVIDENCE_DIR`` (under instance/ unless set)."""
    config = current_app.config
    if bucket := config.get("EVIDENCE_S3_BUCKET"):
        return S3EvidenceStore(_s3_client(config), bucket, config.get("EVIDENCE_S3_PREFIX", ""))
    configured = config.get("EVIDENCE_DIR") or Path(current_app.instance_path) / "evidence"
    return LocalEvidenceStore(Path(configured))
