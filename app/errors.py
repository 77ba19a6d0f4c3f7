"""NHS-style error pages, and service errors turned into the right status."""

from __future__ import annotations

from flask import Flask, current_app, g, render_template
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import DBAPIError, OperationalError

from app.api.errors import MESSAGES, error_response, is_api_request
from app.extensions import login_manager
from app.services.errors import NotFound, PermissionDenied, Unavailable

RETRY_AFTER_SECONDS = 30

TITLES = {
    400: "Sorry, there is a problem with that request",
    403: "You do not have access to this page",
    404: "Page not found",
    429: "Too many attempts",
    500: "Sorry, there is a problem with the service",
    503: "Sorry, the service is unavailable",
}


def _page(status: int, message: str = ""):
    if is_api_request():  # the JSON API answers in its own error shape, even for URLs it does not have
        return error_response(status, MESSAGES.get(status) or message or TITLES[status])
    return render_template("errors/error.html", status=status, title=TITLES[status], message=message), status


def _unavailable(error: DBAPIError):
    """The database cannot be reached (or is refusing work): 503, to be tried again shortly.

    Nothing is kept from the failed request; the next request takes a fresh connection, so the
    service comes back by itself when the database does. Other database errors stay 500s.
    """
    if not isinstance(error, OperationalError) and not error.connection_invalidated:
        raise error
    current_app.logger.error("The database is unavailable: %s", error.orig, exc_info=error)
    # The page must not ask the database who is signed in: show it as to someone signed out.
    g._login_user = login_manager.anonymous_user()
    if is_api_request():
        response = error_response(503, "The service is unavailable; try again in a few minutes", code="unavailable")
    else:
        message = "Try again in a few minutes."
        page = render_template("errors/error.html", status=503, title=TITLES[503], message=message)
        response = current_app.make_response((page, 503))
    response.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def _store_down(error: Unavailable):
    """A store the request needed is down (the database's own handler is ``_unavailable``): 503, try again."""
    if is_api_request():
        response = error_response(503, error.message, code=error.code)
    else:
        page = render_template("errors/error.html", status=503, title=TITLES[503], message=error.message)
        response = current_app.make_response((page, 503))
    response.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


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
    app.register_error_handler(DBAPIError, _unavailable)
    app.register_error_handler(Unavailable, _store_down)
