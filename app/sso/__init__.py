"""Single sign-on with an organisation's OpenID provider, and the administrators' page that sets it up."""

from flask import Blueprint

bp = Blueprint("sso", __name__)

from app.sso import routes, settings  # noqa: E402,F401  (routes attach themselves to bp)
