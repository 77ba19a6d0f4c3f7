"""Forms a programme lead fills in; choices are filled in by the view from the organisation's data."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length

from app.form_fields import NHSDateField
from app.services.records import CHECK_RESULTS, CHECK_TITLES

TOO_LONG = "Use 2,000 characters or fewer"
RESULT_TITLES = {
    "pending": "Pending",
    "cleared": "Cleared",
    "not_cleared": "Not cleared",
    "ready": "Ready",
    "not_ready": "Not ready",
    "exempt": "Exempt",
    "pass": "Pass",
    "merit": "Merit",
    "distinction": "Distinction",
    "fail": "Fail",
}


def _select(label: str, message: str) -> SelectField:
    return SelectField(label, validate_choice=False, validators=[InputRequired(message)])


class CohortForm(FlaskForm):
    name = StringField(
        "Cohort name",
        description="For example, Preceptorship September 2026",
        validators=[InputRequired("Enter a name for the cohort")],
    )
    pathway_key = _select("Programme", "Select the programme")
    start_date = NHSDateField("Start date", required="Enter the cohort's start date")


class EnrolForm(FlaskForm):
    learner = _select("Learner", "Select the learner")
    pathway_key = _select("Programme", "Select the programme")
    cohort = SelectField("Cohort (optional)", validate_choice=False)
    start_date = NHSDateField("Start date", required="Enter the start date")
    preceptor = SelectField("Preceptor (optional)", validate_choice=False)


class AssignForm(FlaskForm):
    preceptor = _select("Preceptor", "Select the preceptor")
    reason = TextAreaField("Reason for the change (optional)", validators=[Length(max=2000, message=TOO_LONG)])
    override_reason = TextAreaField(
        "Reason for assigning someone who does not meet the rules (only when no one eligible is available)",
        description="Recorded on the learner's record and counted in the reports",
        validators=[Length(max=2000, message=TOO_LONG)],
    )


class StatusForm(FlaskForm):
    reason = TextAreaField("Reason", validators=[Length(max=2000, message=TOO_LONG)])


class ExtendForm(StatusForm):
    new_end = NHSDateField("New expected end date", required="Enter the new expected end date")


class CheckForm(FlaskForm):
    kind = _select("Check or assessment", "Select the kind of check")
    result = RadioField(
        "Result",
        validate_choice=False,
        validators=[InputRequired("Select the result")],
        choices=list(RESULT_TITLES.items()),
    )
    checked_on = NHSDateField("Date of the result", required="Enter the date")
    notes = TextAreaField("Notes (optional)", validators=[Length(max=2000, message=TOO_LONG)])

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.kind.choices = list(CHECK_TITLES.items())
        self.result.description = "; ".join(
            f"{CHECK_TITLES[k]}: {', '.join(RESULT_TITLES[r].lower() for r in v)}" for k, v in CHECK_RESULTS.items()
        )


class AttendanceForm(FlaskForm):
    attended_on = NHSDateField("Date attended", required="Enter the date")
    title = StringField(
        "Name of the day",
        description="For example, Career development day 2",
        validators=[InputRequired("Enter the name of the day attended")],
    )
