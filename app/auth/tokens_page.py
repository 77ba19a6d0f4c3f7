"""'Your API tokens': a person sees their tokens, makes one (shown once) and revokes any of them."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from app.auth import bp
from app.services import tokens
from app.services.errors import ValidationFailed


@bp.get("/account/tokens")
@login_required
def api_tokens():
    return _page()


def _page(**context: object) -> str:
    return render_template("auth/tokens.html", tokens=tokens.owned(current_user), is_live=tokens.is_live, **context)


@bp.post("/account/tokens")
@login_required
def create_api_token():
    name = request.form.get("name", "").strip()
    if not name or len(name) > 100:
        errors = {"name": "Enter what the token is for, in 100 characters or fewer"}
        return _page(errors=errors), 400
    try:
        secret = tokens.issue(current_user, name=name, actor=current_user)
    except ValidationFailed as failure:
        return _page(errors=failure.fields), 400
    return _page(new_token=secret), 201


@bp.post("/account/tokens/<int(max=2147483647):token_id>/revoke")
@login_required
def revoke_api_token(token_id: int):
    token = tokens.revoke_own(current_user, token_id)
    flash(f"The token '{token.name or 'unnamed'}' is revoked: it no longer works")
    return redirect(url_for("auth.api_tokens"))
