"""The lead's record page for one learner's enrolment: everything on one page, made to print."""

from __future__ import annotations

from flask import render_template
from flask_login import current_user

from app.lead import bp
from app.services.clock import today
from app.services.learner_record import learner_record


@bp.get("/enrolments/<int(max=2147483647):enrolment_id>/record")
def learner_record_page(enrolment_id: int):
    record = learner_record(current_user, enrolment_id)
    return render_template("lead/learner_record.html", record=record, p=record.portfolio, as_of=today())
