"""The form a preceptor logs protected time with."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import RadioField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length

from app.form_fields import NHSDateField
from app.services.protected_time import ACTIVITIES


class ProtectedTimeForm(FlaskForm):
    used_on = NHSDateField("Date", required="Enter the date of the protected time")
    hours = StringField(
        "Hours",
        description="For example, 1.5 for an hour and a half",
        validators=[InputRequired("Enter the hours")],
        render_kw={"class": "nhsuk-input--width-4"},
    )
    activity = RadioField(
        "What was the time for?",
        choices=list(ACTIVITIES.items()),
        validate_choice=False,
        validators=[InputRequired("Select what the time was for")],
    )
    note = TextAreaField("Notes (optional)", validators=[Length(max=2000, message="Use 2,000 characters or fewer")])
