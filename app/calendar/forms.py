"""The meeting forms: when (a London date and 24-hour time), for how long and where; booking also asks which review."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import SelectField, StringField

from app.form_fields import NHSDateField
from app.services.meetings import DURATIONS


def _length(minutes: int) -> str:
    if minutes < 60:
        return f"{minutes} minutes"
    hours, rest = divmod(minutes, 60)
    return f"{hours} hour{'s' if hours > 1 else ''}" + (f" {rest} minutes" if rest else "")


class MoveForm(FlaskForm):
    day = NHSDateField("Date", required="Enter the date of the meeting")
    start = StringField("Start time", description="On the 24-hour clock, UK time, for example 14:30")
    duration = SelectField("How long", choices=[(str(n), _length(n)) for n in DURATIONS], validate_choice=False)
    place = StringField("Where", description="A room and ward, or the link to a video call")


class MeetingForm(MoveForm):
    slot = SelectField("Which review is this meeting for?", validate_choice=False)
