"""Forms for the records the national rules ask a lead for."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import RadioField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length

from app.form_fields import NHSDateField
from app.services.national_records import ENGLISH_MATHS_DECISIONS, FREQUENCY_UNITS

TOO_LONG = "Enter 2,000 characters or fewer"


class EnglishMathsDecisionForm(FlaskForm):
    decision = RadioField(
        "What did the apprentice and their employer decide?",
        validate_choice=False,
        validators=[InputRequired("Select whether the apprentice continues with English and maths")],
        choices=list(ENGLISH_MATHS_DECISIONS.items()),
    )
    decided_on = NHSDateField("Date of the decision", required="Enter the date of the decision")
    note = TextAreaField("Note (optional)", validators=[Length(max=2000, message=TOO_LONG)])


class ReviewFrequencyForm(FlaskForm):
    every = StringField("Reviews every", description="A whole number, like 6")
    unit = RadioField(
        "Weeks or months",
        validate_choice=False,
        validators=[InputRequired("Select weeks or months")],
        choices=[(unit, unit.capitalize()) for unit in FREQUENCY_UNITS],
    )
    reason = TextAreaField("Reason for the frequency", validators=[Length(max=2000, message=TOO_LONG)])
    agreed_on = NHSDateField("Date agreed", required="Enter the date it was agreed")


class PriorLearningForm(FlaskForm):
    hours = StringField("Hours recognised", description="Off-the-job hours the prior learning covers, like 40")
    reason = TextAreaField(
        "Prior learning recognised",
        validators=[Length(max=2000, message=TOO_LONG)],
        description="For example, the qualification or experience and how it was assessed",
    )
    recorded_on = NHSDateField("Date it was assessed", required="Enter the date it was assessed")


class PriorCareCertificateForm(FlaskForm):
    completed_on = NHSDateField("Date the Care Certificate was completed", required="Enter the date it was completed")
    evidence = TextAreaField(
        "Evidence",
        validators=[Length(max=2000, message=TOO_LONG)],
        description="For example, the certificate's reference and who issued it",
    )
