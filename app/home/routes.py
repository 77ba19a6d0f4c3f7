from __future__ import annotations

from flask import redirect, url_for
from flask_login import current_user, login_required

from app.home import bp

HOMES = {
    "learner": "learner.home",
    "preceptor": "preceptor.caseload",
    "lead": "lead.home",
    "admin": "lead.home",
}


@bp.route("/")
@login_required
def index():
    """Each role starts on its own pages."""
    return redirect(url_for(HOMES[current_user.role]))
