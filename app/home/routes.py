from __future__ import annotations

from flask import render_template
from flask_login import current_user, login_required

from app.home import bp
from app.services import dashboards
from app.services.clock import today


@bp.route("/")
@login_required
def index():
    summary = dashboards.home_summary(current_user, today())
    return render_template(f"home/{current_user.role}.html", summary=summary)
