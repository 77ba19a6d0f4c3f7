from __future__ import annotations

from datetime import datetime

from flask import Response, flash, redirect, render_template, url_for
from flask_login import current_user

from app.calendar import bp, feed_bp
from app.calendar.forms import MeetingForm, MoveForm, booking_form
from app.form_pages import render_form, submit, values
from app.learner.forms import ConfirmForm
from app.services import calendar_feeds, meeting_mail, meetings
from app.services.calendar_files import LONDON
from app.services.enrolments import get_enrolment
from app.services.tokens import aware

ENROLMENT = "/enrolments/<int(max=2147483647):enrolment_id>/meetings"
MEETING = "/meetings/<int(max=2147483647):meeting_id>"


@bp.get(ENROLMENT)
def enrolment_meetings(enrolment_id: int):
    enrolment = get_enrolment(current_user, enrolment_id)
    booked = meetings.booked_for(enrolment.id)
    titles = meetings.review_titles(enrolment)
    guests = {m.id: meeting_mail.guests(m) for m in booked}
    parties = {p.key: p.title for p in meetings.guest_parties(enrolment)}
    return render_template(
        "calendar/enrolment.html", enrolment=enrolment, booked=booked, titles=titles, guests=guests, parties=parties
    )


def _booking(form: MeetingForm, enrolment) -> dict:
    """The form's values for ``meetings.schedule``: the guests' fields gathered by party."""
    given = values(form)
    guests = {}
    for party in meetings.guest_parties(enrolment):
        name_field, email_field = meetings.guest_fields(party)
        guests[party.key] = {"name": given.pop(name_field), "email": given.pop(email_field)}
    return {**given, "guests": guests}


@bp.route(f"{ENROLMENT}/new", methods=["GET", "POST"])
def book(enrolment_id: int):
    enrolment = meetings.enrolment_to_book(current_user, enrolment_id)
    parties = meetings.guest_parties(enrolment)
    form = booking_form(parties, meetings.suggested_guests(enrolment))
    form.slot.choices = list(meetings.review_titles(enrolment, open_only=True).items())
    outcome = submit(form, lambda: meetings.schedule(current_user, enrolment_id, **_booking(form, enrolment)))
    if outcome.done:
        flash("The meeting is booked; everyone has been sent an invitation for their calendar")
        return redirect(url_for("calendar.enrolment_meetings", enrolment_id=enrolment_id))
    guest_fields = [(form[n], form[e]) for n, e in map(meetings.guest_fields, parties)]
    return render_form("calendar/book.html", form, outcome.errors, enrolment=enrolment, guest_fields=guest_fields)


@bp.route(f"{MEETING}/move", methods=["GET", "POST"])
def move(meeting_id: int):
    meeting, enrolment = meetings.meeting_to_change(current_user, meeting_id)
    start = meetings.local_start(meeting)
    form = MoveForm(
        data={
            "day": start.date(),
            "start": f"{start:%H:%M}",
            "duration": str(meeting.duration_minutes),
            "place": meeting.place,
        }
    )
    outcome = submit(form, lambda: meetings.move(current_user, meeting_id, **values(form)))
    if outcome.done:
        flash("The meeting has been moved; everyone has been sent the new time for their calendar")
        return redirect(url_for("calendar.enrolment_meetings", enrolment_id=enrolment.id))
    title = meetings.review_titles(enrolment).get(meeting.slot, meeting.slot)
    return render_form(
        "calendar/move.html", form, outcome.errors, meeting=meeting, enrolment=enrolment, review_title=title
    )


@bp.post(f"{MEETING}/cancel")
def cancel(meeting_id: int):
    meeting, enrolment = meetings.meeting_to_change(current_user, meeting_id)
    if ConfirmForm().validate_on_submit():
        meetings.cancel(current_user, meeting_id)
        flash("The meeting has been cancelled; everyone's calendar has been told to remove it")
    return redirect(url_for("calendar.enrolment_meetings", enrolment_id=enrolment.id))


@bp.get("/calendar")
def calendar_page():
    return _calendar_page(address=None)


def _calendar_page(address: str | None):
    feed = calendar_feeds.active_feed(current_user)
    upcoming = calendar_feeds.upcoming(current_user)
    return render_template("calendar/calendar.html", feed=feed, address=address, upcoming=upcoming)


@bp.post("/calendar/address")
def new_address():
    if not ConfirmForm().validate_on_submit():
        return redirect(url_for("calendar.calendar_page"))
    token = calendar_feeds.create(current_user)
    address = url_for("calendar_feed.feed", token=token, _external=True)
    return _calendar_page(address)


@bp.post("/calendar/address/stop")
def stop_address():
    if ConfirmForm().validate_on_submit():
        calendar_feeds.revoke(current_user)
        flash("Your calendar address has stopped working. Calendars subscribed to it get no more meetings")
    return redirect(url_for("calendar.calendar_page"))


@feed_bp.get("/calendar/feed/<token>.ics")
def feed(token: str):
    response = Response(calendar_feeds.feed_file(token[:100]), mimetype="text/calendar")
    response.headers["Content-Disposition"] = 'inline; filename="waymark.ics"'
    return response


@bp.app_template_filter("london")
def london(moment: datetime) -> datetime:
    """A stored (UTC) time as the clock in Europe/London shows it."""
    return aware(moment).astimezone(LONDON)
