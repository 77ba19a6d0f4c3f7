"""NHS-style error pages, and service errors turned into the right status."""

from __future__ import annotations

from flask import Flask, render_template
from flask_wtf.csrf import CSRFError

from app.api.errors import MESSAGES, error_response, is_api_request
from app.services.errors import NotFound, PermissionDenied

TITLES = {
    400: "Sorry, there is a problem with that request",
    403: "You do not have access to this page",
    404: "Page not found",
    429: "Too many attempts",
    500: "Sorry, there is a problem with the service",
}


def _page(status: int, message: str = ""):
    if is_api_request():  # the JSON API answers in its own error shape, even for URLs it does not have
        return error_response(status, MESSAGES.get(status) or message or TITLES[status])
    return render_template("errors/error.html", status=status, title=TITLES[status], message=message), status


def register(app: Flask) -> None:
    for status in TITLES:
        app.register_error_handler(
            status, lambda error, status=status: _page(status, getattr(error, "description", ""))
        )
    app.register_error_handler(
        CSRFError, lambda error: _page(400, "Your form expired. Go back, refresh the page and try again.")
    )
    app.register_error_handler(PermissionDenied, lambda error: _page(403, error.message))
    app.register_error_handler(NotFound, lambda error: _page(404, error.message))
