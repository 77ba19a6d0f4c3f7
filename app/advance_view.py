"""The shared "move the learner on" view behind the preceptor's and the lead's Advance buttons."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import flash, redirect, url_for
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import HiddenField
from wtforms.validators import InputRequired

from app.services import transitions
from app.services.errors import Conflict, TransitionRefused, ValidationFailed


class AdvanceForm(FlaskForm):
    """The stage a preceptor or lead moves a learner to (one button per allowed stage)."""

    to = HiddenField(validators=[InputRequired("Choose the stage to move to")])


def advance_learner(enrolment_id: int, page: Callable[[int, list[str]], Any], done_endpoint: str) -> Any:
    """Move a learner to the stage the posted form names, or show the page again with every reason why not."""
    form = AdvanceForm()
    if not form.validate_on_submit():
        return page(enrolment_id, ["Choose the stage to move to"])
    try:
        transitions.transition(current_user, enrolment_id, "advance", to=form.to.data)
    except TransitionRefused as refusal:
        return page(enrolment_id, refusal.reasons)
    except (Conflict, ValidationFailed) as failure:
        return page(enrolment_id, [failure.message])
    flash("The learner has moved to the next stage")
    return redirect(url_for(done_endpoint, enrolment_id=enrolment_id))
