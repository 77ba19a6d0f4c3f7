"""The meeting forms: when (a London date and 24-hour time), for how long and where; booking also asks which
review and, for a programme whose reviews have parties without an account, their names and email addresses."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import SelectField, StringField

from app.form_fields import NHSDateField
from app.services.meetings import DURATIONS, guest_fields
from pathways.review_parties import Party


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


def booking_form(guests: tuple[Party, ...], suggested: dict[str, str]) -> MeetingForm:
    """The booking form with a name and an email field for each party invited by address."""

    class Booking(MeetingForm):
        pass

    for party in guests:
        name_field, email_field = guest_fields(party)
        who = party.title.lower()
        setattr(Booking, name_field, StringField(f"{party.title}'s name", description="Optional"))
        setattr(
            Booking,
            email_field,
            StringField(
                f"{party.title}'s email address",
                description=f"Leave it empty if the {who} is not coming",
                render_kw={"spellcheck": "false", "autocomplete": "off"},
            ),
        )
    return Booking(data={guest_fields(p)[1]: suggested.get(p.key, "") for p in guests})
