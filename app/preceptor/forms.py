"""Forms a preceptor fills in: comments on sign-offs, review records and moving a learner on."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import RadioField, SelectField, TextAreaField
from wtforms.validators import InputRequired, Length

from app.form_fields import NHSDateField
from app.services.reviews import OUTCOMES

TOO_LONG = "Use 5,000 characters or fewer"


class SignForm(FlaskForm):
    """Sign off: a button with a CSRF token."""


class CommentForm(FlaskForm):
    """Return or revoke: the comment is required and shown to the learner."""

    comment = TextAreaField(
        "Comment for the learner",
        description="Say what is missing or why, so the learner knows what to do next",
        validators=[InputRequired("Enter a comment to explain why"), Length(max=5000, message=TOO_LONG)],
    )


class ReviewForm(FlaskForm):
    slot = SelectField(
        "Which review was this?", validate_choice=False, validators=[InputRequired("Select which review this was")]
    )
    held_on = NHSDateField("Date the review was held", required="Enter the date the review was held")
    outcome = RadioField(
        "Outcome",
        choices=list(OUTCOMES.items()),
        validate_choice=False,
        validators=[InputRequired("Select the outcome of the review")],
    )
    notes = TextAreaField("Notes", validators=[Length(max=5000, message=TOO_LONG)])
    agreed_actions = TextAreaField(
        "Agreed actions",
        description="What you and the learner agreed to do before the next review",
        validators=[Length(max=5000, message=TOO_LONG)],
    )


class ConfirmationForm(FlaskForm):
    name = SelectField(
        "What is being confirmed", validate_choice=False, validators=[InputRequired("Select what is being confirmed")]
    )
    note = TextAreaField("Note (optional)", validators=[Length(max=2000, message=TOO_LONG)])
