"""The JSON API under /api/v1 (CONTRACT.md): bearer tokens, the web app's permissions, one error shape."""

from __future__ import annotations

import hashlib
import os
import re
from itertools import accumulate

from flask import Flask, current_app, request
from flask_smorest import Api, Blueprint
from marshmallow import RAISE
from webargs.flaskparser import FlaskParser
from werkzeug.exceptions import HTTPException

from app.api.errors import error_response, http_error, is_api_request, service_error
from app.api.schemas import ErrorSchema
from app.extensions import csrf, limiter
from app.services.errors import ServiceError


class StrictParser(FlaskParser):
    """A misspelt filter (?pathways=...) is an error, not a silently unfiltered list."""

    DEFAULT_UNKNOWN_BY_LOCATION = {**FlaskParser.DEFAULT_UNKNOWN_BY_LOCATION, "query": RAISE, "querystring": RAISE}


class ApiBlueprint(Blueprint):
    ARGUMENTS_PARSER = StrictParser()


bp = ApiBlueprint("api", __name__, url_prefix="/api/v1", description="Waymark JSON API")


class WaymarkApi(Api):
    """flask-smorest, with its errors in Waymark's shape and only on API paths."""

    ERROR_SCHEMA = ErrorSchema

    def _register_error_handlers(self) -> None:
        self._app.register_error_handler(HTTPException, self.handle_http_exception)

    def handle_http_exception(self, error: HTTPException):
        return http_error(error) if is_api_request() else error


SPEC_OPTIONS = {
    "info": {"description": "Waymark: NHS learner pathways. Send 'Authorization: Bearer TOKEN'."},
    "components": {"securitySchemes": {"bearerAuth": {"type": "http", "scheme": "bearer"}}},
    "security": [{"bearerAuth": []}],
}


def _token_key() -> str:
    """Rate limits count per token (its hash); a request without one counts against its address."""
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() == "bearer" and token.strip():
        return "api-token:" + hashlib.sha256(token.strip().encode()).hexdigest()
    return "api-address:" + (request.remote_addr or "-")


MAX_JSON_DEPTH = 64
_JSON_STRING = re.compile(r'"(?:[^"\\]|\\.)*"')


def _json_depth(text: str) -> int:
    """How deep the body's arrays and objects nest, counting only brackets outside strings."""
    brackets = re.findall(r"[\[\]{}]", _JSON_STRING.sub("", text))
    return max(accumulate(1 if bracket in "[{" else -1 for bracket in brackets), default=0)


@bp.before_request
def _refuse_deep_json():
    """JSON nested thousands deep exhausts the parser's recursion; no request of ours nests past a few levels."""
    if request.is_json and _json_depth(request.get_data(cache=True, as_text=True)) > MAX_JSON_DEPTH:
        message = f"The JSON body is nested more than {MAX_JSON_DEPTH} levels deep; send a flatter body"
        return error_response(400, message)
    return None


from app.api import (  # noqa: E402,F401
    auth,
    cohorts,
    enrolments,
    evidence,
    national,
    pathways,
    people,
    records,
    reports,
    search,
    settings,
    signatures,
)

limiter.limit(lambda: current_app.config["API_RATE_LIMIT"], key_func=_token_key)(bp)
for status in (400, 401, 403, 404, 405, 409, 413, 415, 422, 429, 500):
    bp.register_error_handler(status, http_error)
bp.register_error_handler(ServiceError, service_error)


def register(app: Flask) -> None:
    """Called from create_app; the OpenAPI document is served at /api/v1/openapi.json."""
    for key, value in {
        "API_TITLE": "Waymark",
        "API_VERSION": "v1",
        "OPENAPI_VERSION": "3.0.3",
        "OPENAPI_URL_PREFIX": "/api/v1",
        "OPENAPI_JSON_PATH": "openapi.json",
        "API_SPEC_OPTIONS": SPEC_OPTIONS,
        "API_RATE_LIMIT": os.environ.get("API_RATE_LIMIT", "300 per minute"),
    }.items():
        app.config.setdefault(key, value)
    csrf.exempt(bp)
    api = WaymarkApi(app)
    api.register_blueprint(bp)
    app.extensions["waymark_api"] = api


__all__ = ["bp", "error_response", "register"]
