"""The matrix table (matrix.toml), and one person asking for one row of it."""

from __future__ import annotations

import io
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from flask import Flask
from werkzeug.test import TestResponse

from app.extensions import db
from app.models import AuditEvent
from tests.authorisation.world import PDF, ROLES, MatrixWorld
from tests.web.conftest import FreshClient

TABLE = Path(__file__).with_name("matrix.toml")
REFUSALS = {"login", "401", "403", "404"}
# Pages nobody needs a permission for, and that never name a person's record: no row in the table.
UNGUARDED = {"static", "nhsuk_static", "nhsuk_assets"}


@dataclass(frozen=True)
class Row:
    method: str
    endpoint: str
    url: str
    expect: dict[str, str]
    form: dict[str, str] = field(default_factory=dict)
    json: Any = None
    upload: str = ""
    upload_of: str = ""  # the world's id whose bytes are uploaded (a .json file); the PDF when not named
    session: dict[str, Any] = field(default_factory=dict)  # more in the browser's session (a flow half done)

    @property
    def name(self) -> str:
        return f"{self.method} {self.endpoint}"


def load_table() -> dict[tuple[str, str], Row]:
    rows = {}
    for name, spec in tomllib.loads(TABLE.read_text()).items():
        method, endpoint = name.split()
        answers = spec.pop("expect").replace("|", " ").split()
        assert len(answers) == len(ROLES), f"{name}: {len(answers)} answers for {len(ROLES)} roles"
        rows[(method, endpoint)] = Row(method, endpoint, expect=dict(zip(ROLES, answers, strict=True)), **spec)
    return rows


def routes(app: Flask) -> set[tuple[str, str]]:
    """Every (method, endpoint) the app answers, API operations included."""
    return {
        (method, rule.endpoint)
        for rule in app.url_map.iter_rules()
        if rule.endpoint not in UNGUARDED
        for method in (rule.methods or set()) - {"HEAD", "OPTIONS"}
    }


def _filled(value: Any, ids: dict[str, object]) -> Any:
    """Placeholders filled from the world; ``"{learner}"`` alone is the id itself (a JSON number)."""
    whole = re.fullmatch(r"\{(\w+)\}", value) if isinstance(value, str) else None
    if whole and isinstance(ids[whole.group(1)], int):
        return ids[whole.group(1)]
    if isinstance(value, str):
        return value.format(**ids)
    if isinstance(value, dict):
        return {key: _filled(item, ids) for key, item in value.items()}
    if isinstance(value, list):
        return [_filled(item, ids) for item in value]
    return value


def ask(app: Flask, world: MatrixWorld, role: str, row: Row) -> tuple[str, TestResponse]:
    """The answer ``role`` gets, as the table writes it: the status, or ``login`` for the sign-in page."""
    client = FreshClient(app, app.response_class, use_cookies=True)
    ids = world.ids_for(role)
    headers = {}
    if role != "anonymous" and row.url.startswith("/api/"):
        headers["Authorization"] = f"Bearer {world.tokens[role]}"
    elif role != "anonymous":
        now = ids["now"]
        with client.session_transaction() as session:
            session.update(_user_id=world.user_ids[role], _fresh=True, started_at=now, seen_at=now, fresh_at=now)
    if row.session:
        with client.session_transaction() as session:
            session.update(_filled(row.session, ids))
    data: dict[str, Any] = _filled(row.form, ids)
    if row.upload:
        content = ids[row.upload_of] if row.upload_of else PDF
        assert isinstance(content, bytes)
        data[row.upload] = (io.BytesIO(content), f"{row.upload_of}.json" if row.upload_of else "evidence.pdf")
    response = client.open(
        _filled(row.url, ids),
        method=row.method,
        headers=headers,
        data=data or None,
        json=_filled(row.json, ids),
        content_type="multipart/form-data" if row.upload else None,
    )
    location = response.headers.get("Location", "")
    if response.status_code in (302, 303) and location.split("?")[0].endswith("/login"):
        return "login", response
    return str(response.status_code), response


def refusals() -> int:
    return db.session.scalar(
        sa.select(sa.func.count()).select_from(AuditEvent).where(AuditEvent.action.like("%.refused"))
    )
