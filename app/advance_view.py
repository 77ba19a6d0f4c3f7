"""The shared "move the learner on" view behind the preceptor's and the lead's Advance buttons."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import flash, redirect, url_for
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import HiddenField, StringField
from wtforms.validators import InputRequired

from app.form_fields import NHSDateField
from app.services import transitions
from app.services.errors import Conflict, TransitionRefused, ValidationFailed


class AdvanceForm(FlaskForm):
    """The stage a preceptor or lead moves a learner to (one button per allowed stage)."""

    to = HiddenField(validators=[InputRequired("Choose the stage to move to")])
    # Completing a route into work names the post appointed (the service says which are missing).
    post_title = StringField("Job title of the post")
    post_band = StringField("Band", description="For example, Band 2")
    post_starts_on = NHSDateField("Start date in the post")


def advance_learner(enrolment_id: int, page: Callable[[int, list[str]], Any], done_endpoint: str) -> Any:
    """Move a learner to the stage the posted form names, or show the page again with every reason why not."""
    form = AdvanceForm()
    if not form.validate_on_submit():
        return page(enrolment_id, [message for messages in form.errors.values() for message in messages])
    post = {
        "post_title": form.post_title.data,
        "post_band": form.post_band.data,
        "post_starts_on": form.post_starts_on.data,
    }
    try:
        transitions.transition(current_user, enrolment_id, "advance", to=form.to.data, post=post)
    except TransitionRefused as refusal:
        return page(enrolment_id, refusal.reasons)
    except ValidationFailed as failure:
        return page(enrolment_id, list(failure.fields.values()) or [failure.message])
    except Conflict as failure:
        return page(enrolment_id, [failure.message])
    flash("The learner has moved to the next stage")
    return redirect(url_for(done_endpoint, enrolment_id=enrolment_id))
