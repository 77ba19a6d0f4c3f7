"""Who may open a page: role gates for blueprints and views, and a fresh sign-in before a signature."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from flask import Blueprint, abort, current_app, redirect, request, url_for
from flask_login import current_user

from app.security import is_fresh


def _refusal(roles: tuple[str, ...]) -> Any:
    if not current_user.is_authenticated:
        return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))
    if roles and current_user.role not in roles:
        abort(403)
    return None


def role_required(*roles: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Sign people in, then keep the view to these roles (any signed-in person when none are named)."""

    def decorate(view: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(view)
        def guarded(*args: Any, **kwargs: Any) -> Any:
            return _refusal(roles) or view(*args, **kwargs)

        return guarded

    return decorate


def restrict_blueprint(bp: Blueprint, *roles: str) -> None:
    """Every page of a role's blueprint is that role's: the same gate as ``role_required``, once."""
    bp.before_request(lambda: _refusal(roles))


def fresh_login_required(
    back: Callable[..., str] | None = None,
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Before signing off or exporting: confirm the password again when the sign-in is not recent.

    A GET returns to the page asked for; a POST, whose URL cannot be opened again, to the page
    ``back`` makes from the view's arguments.
    """

    def decorate(view: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(view)
        def guarded(*args: Any, **kwargs: Any) -> Any:
            if not is_fresh(current_app):
                if request.method == "GET" or back is None:
                    target = request.full_path.rstrip("?")
                else:
                    target = back(**kwargs)
                return redirect(url_for("auth.reauthenticate", next=target))
            return view(*args, **kwargs)

        return guarded

    return decorate
