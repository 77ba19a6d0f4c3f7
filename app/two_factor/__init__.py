"""Two-factor authentication pages: the code after the password, setting up an app, the organisation's rule.

The blueprint's routes live in ``app.two_factor.routes`` (imported by the app factory), so that
``app.auth.routes`` can import the sign-in hand-off in ``app.two_factor.signin`` without a cycle.
"""

from flask import Blueprint

bp = Blueprint("two_factor", __name__)
