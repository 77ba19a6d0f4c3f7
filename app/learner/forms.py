"""Forms a learner fills in; the services check the values, these check they are there."""

from __future__ import annotations

from flask_wtf import FlaskForm
from flask_wtf.file import MultipleFileField
from wtforms import RadioField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length

from app.form_fields import NHSDateField
from app.services.hours import ACTIVITY_TYPES

TOO_LONG = "Use 5,000 characters or fewer"


class HoursForm(FlaskForm):
    worked_on = NHSDateField("Date of the learning", required="Enter the date of the learning")
    hours = StringField(
        "Hours",
        description="For example, 1.5 for an hour and a half",
        validators=[InputRequired("Enter the hours")],
        render_kw={"class": "nhsuk-input--width-4"},
    )
    activity_type = RadioField(
        "Type of activity",
        choices=list(ACTIVITY_TYPES.items()),
        validate_choice=False,
        validators=[InputRequired("Select the type of activity")],
    )
    learning = TextAreaField(
        "What did you learn?",
        validators=[InputRequired("Describe what you learned"), Length(max=5000, message=TOO_LONG)],
    )


class SignOffRequestForm(FlaskForm):
    evidence = TextAreaField(
        "Evidence",
        description="Describe what you did and how it shows this competency, and where your assessor can see it",
        validators=[
            InputRequired("Describe the evidence for this competency"),
            Length(max=5000, message=TOO_LONG),
        ],
    )
    files = MultipleFileField("Evidence files (optional)")


class ConfirmForm(FlaskForm):
    """A button with a CSRF token."""
