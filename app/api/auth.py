"""Bearer-token authentication for every API request; the token's user acts, never a session cookie."""

from __future__ import annotations

from flask import Response, g, request

from app.api import bp
from app.api.common import errors
from app.api.errors import error_response
from app.models import User
from app.services import tokens


@bp.before_request
def authenticate() -> Response | None:
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    found = tokens.authenticate(token.strip()) if scheme.lower() == "bearer" else None
    if found is None:
        return error_response(401, "Send a valid API token as 'Authorization: Bearer TOKEN'")
    g.api_user, g.api_token = found
    return None


def actor() -> User:
    """The user the request acts for."""
    return g.api_user


@bp.delete("/token")
@bp.response(204)
@errors()
def revoke_current_token():
    """Revoke the token this request was made with (for a leaked or retired token)."""
    tokens.revoke(actor(), g.api_token)
    return ""
