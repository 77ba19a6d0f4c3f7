"""The meeting pages and each person's calendar address, through the web app."""

from __future__ import annotations

import re
from datetime import date

from icalendar import Calendar
from sqlalchemy import select

from app.extensions import db
from app.models import CalendarFeed, ReviewMeeting
from app.services import meetings
from tests.web.conftest import FreshClient, assert_error, date_fields


def form(when: date, at: str, slot: str = "", **extra: str) -> dict[str, str]:
    fields = {**date_fields("day", when), "start": at, "duration": "45", "place": "https://teams.example/meet/1"}
    return {**fields, **({"slot": slot} if slot else {}), **extra}


def open_slot(trust) -> str:
    return next(iter(meetings.review_titles(trust.enrolment, open_only=True)))


def test_a_preceptor_books_moves_and_cancels_from_the_pages(trust, as_user):
    client = as_user(trust.preceptor)
    page = f"/enrolments/{trust.enrolment.id}/meetings"
    response = client.post(f"{page}/new", data=form(date(2026, 3, 29), "09:30", open_slot(trust)))
    assert response.status_code == 302
    html = client.get(page).get_data(as_text=True)
    assert "Sunday 29 March 2026, 09:30 (UK time), 45 minutes" in html
    meeting = db.session.scalar(select(ReviewMeeting))
    moved = client.post(f"/meetings/{meeting.id}/move", data=form(date(2026, 10, 25), "16:00"))
    assert moved.status_code == 302
    assert "Sunday 25 October 2026, 16:00 (UK time)" in client.get(page).get_data(as_text=True)
    assert client.post(f"/meetings/{meeting.id}/cancel").status_code == 302
    assert "No review meetings are booked." in client.get(page).get_data(as_text=True)


def test_a_bad_time_is_shown_next_to_its_field_and_nothing_is_booked(trust, as_user):
    client = as_user(trust.preceptor)
    response = client.post(
        f"/enrolments/{trust.enrolment.id}/meetings/new", data=form(date(2026, 3, 29), "01:15", open_slot(trust))
    )
    assert response.status_code == 400
    assert_error(
        response.get_data(as_text=True),
        "start",
        "01:15 does not happen on 29 March 2026: the clocks go forward an hour. Choose another time",
    )
    assert db.session.scalar(select(ReviewMeeting)) is None


def test_the_learner_sees_meetings_but_cannot_book_and_others_cannot_see(trust, as_user):
    meetings.schedule(
        trust.preceptor,
        trust.enrolment.id,
        slot=open_slot(trust),
        day=date(2026, 3, 27),
        start="10:00",
        duration="30",
        place="Ward 7",
    )
    learner = as_user(trust.learner)
    page = f"/enrolments/{trust.enrolment.id}/meetings"
    html = learner.get(page).get_data(as_text=True)
    assert "Friday 27 March 2026, 10:00" in html and "Book a review meeting" not in html
    assert learner.post(f"{page}/new", data=form(date(2026, 3, 28), "10:00", open_slot(trust))).status_code == 403
    assert learner.get(f"{page}/new").status_code == 403  # not even the form: booking is not theirs
    assert as_user(trust.other_preceptor).get(page).status_code == 403
    assert as_user(trust.foreign_lead).get(page).status_code == 404
    assert "Friday 27 March 2026" in learner.get("/calendar").get_data(as_text=True)


def test_the_calendar_address_lists_upcoming_meetings_and_404s_once_stopped(trust, as_user, app):
    meetings.schedule(
        trust.preceptor,
        trust.enrolment.id,
        slot=open_slot(trust),
        day=date(2026, 10, 25),
        start="09:30",
        duration="60",
        place="Ward 7",
    )
    client = as_user(trust.learner)
    page = client.post("/calendar/address").get_data(as_text=True)
    address = re.search(r'id="calendar-address">([^<]+)<', page).group(1)
    path = address.removeprefix("http://waymark.test")
    token = path.removeprefix("/calendar/feed/").removesuffix(".ics")
    row = db.session.scalar(select(CalendarFeed))
    assert token not in row.token_hash and len(row.token_hash) == 64  # only a hash is kept
    assert token not in client.get("/calendar").get_data(as_text=True)  # shown once
    anyone = FreshClient(app, app.response_class)  # a calendar fetching it is not signed in
    response = anyone.get(path)
    assert response.status_code == 200 and response.mimetype == "text/calendar"
    assert response.headers["Cache-Control"] == "no-store"
    (event,) = Calendar.from_ical(response.data).walk("VEVENT")
    assert event.decoded("DTSTART").strftime("%Y-%m-%d %H:%M %Z") == "2026-10-25 09:30 GMT"
    assert as_user(trust.preceptor).post("/calendar/address").status_code == 200
    assert len(Calendar.from_ical(anyone.get(path).data).walk("VEVENT")) == 1  # another's address is another's
    assert client.post("/calendar/address/stop").status_code == 302
    assert anyone.get(path).status_code == 404
    assert anyone.get("/calendar/feed/wmcal_guessed.ics").status_code == 404


def test_a_new_address_ends_the_old_one(trust, as_user, app):
    client = as_user(trust.preceptor)
    first = re.search(
        r'id="calendar-address">http://waymark.test([^<]+)<', client.post("/calendar/address").get_data(as_text=True)
    ).group(1)
    second = re.search(
        r'id="calendar-address">http://waymark.test([^<]+)<', client.post("/calendar/address").get_data(as_text=True)
    ).group(1)
    anyone = FreshClient(app, app.response_class)
    assert anyone.get(first).status_code == 404
    assert anyone.get(second).status_code == 200
