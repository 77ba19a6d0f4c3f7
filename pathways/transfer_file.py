"""The transfer file's signature: HMAC-SHA256 over the canonical JSON of everything but the signature.

Canonical JSON is ``json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False)``
encoded as UTF-8, so the same content always signs to the same bytes (docs/TRANSFER.md).
"""

from __future__ import annotations

import hashlib
import hmac
import json
from typing import Any

FORMAT, VERSION, ALGORITHM = "waymark-transfer", 1, "HMAC-SHA256"


def canonical(body: dict[str, Any]) -> bytes:
    return json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def sign(body: dict[str, Any], key_id: str, secret: bytes) -> dict[str, Any]:
    value = hmac.new(secret, canonical(body), hashlib.sha256).hexdigest()
    return {**body, "signature": {"alg": ALGORITHM, "key_id": key_id, "value": value}}


def signature_matches(document: dict[str, Any], secret: bytes) -> bool:
    body = {k: v for k, v in document.items() if k != "signature"}
    given = str((document.get("signature") or {}).get("value", ""))
    return hmac.compare_digest(hmac.new(secret, canonical(body), hashlib.sha256).hexdigest(), given)
