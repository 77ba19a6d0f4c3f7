"""The report page's figures are kept for every worker and worked out again, after a response, every five minutes
while the data changes: nobody waits for it but the first visitor of a page never stored."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pandas as pd
import pytest
from sqlalchemy import func, select, update

from app.extensions import db
from app.models import HoursEntry, ReportPageCache
from app.services import audit, report_page
from app.services.report_page_data import page_from_json, page_to_json
from reports import charts
from reports.frames import Filters
from tests.reports.conftest import AS_OF
from tests.reports.test_page import sign_in

URL = "/reports/cohorts?as_of=2026-09-15"
AT = datetime(2026, 12, 2, 14, 5, tzinfo=UTC)  # 14:05 in London too: GMT in December


@pytest.fixture
def drawn(monkeypatch):
    """The names of the charts drawn, in order; nothing built yet."""
    report_page.forget_all()
    names: list[str] = []
    for name, draw in list(charts.DRAW.items()):
        monkeypatch.setitem(charts.DRAW, name, lambda table, n=name, d=draw: names.append(n) or d(table))
    return names


@pytest.fixture
def at(time_machine):
    """Move the clock to ``AT`` plus ``minutes`` (it stands still there)."""

    def move(minutes: float = 0) -> None:
        time_machine.move_to(AT + pd.Timedelta(minutes=minutes), tick=False)

    move()
    return move


def cohort_tab(page: str) -> str:
    return page.split('id="cohort">')[1].split('class="nhsuk-tabs__panel')[0]


def worked_out(page: str) -> str:
    return page.split('id="figures-worked-out">')[1].split("</p>")[0]


def visit(client) -> str:
    """The page as a browser gets it: the response read, then closed, as the WSGI server closes it."""
    response = client.get(URL)
    page = response.get_data(as_text=True)
    response.close()
    return page


def log_hours(scenario, hours: str) -> None:
    """Learner G (active) logs hours before the as-of date, as the service records it."""
    enrolment = scenario.enrolments["G"]
    entry = HoursEntry(
        enrolment_id=enrolment.id,
        kind="protected_learning",
        worked_on=date(2026, 9, 1),
        hours=Decimal(hours),
        activity_type="study",
        learning="",
        created_by_id=enrolment.learner_id,
    )
    db.session.add(entry)
    audit.record(scenario.lead, "hours.logged", None)
    db.session.commit()


def test_the_page_says_when_its_figures_were_worked_out(scenario, client, drawn, at):
    sign_in(client, scenario.lead)
    page = visit(client)
    assert worked_out(page) == (
        "Figures worked out at 14:05 on 2 December 2026, and again every 5 minutes while the data changes."
    )


def test_a_change_shows_once_the_figures_are_five_minutes_old(scenario, client, drawn, at):
    sign_in(client, scenario.lead)
    before = visit(client)
    log_hours(scenario, "100")
    at(3)
    inside = visit(client)
    assert cohort_tab(inside) == cohort_tab(before) and "at 14:05" in worked_out(inside)
    at(6)
    shown = visit(client)  # the copy at once; worked out again once it has gone
    assert cohort_tab(shown) == cohort_tab(before) and "at 14:05" in worked_out(shown)
    assert len(drawn) == 6
    after = visit(client)
    assert cohort_tab(after) != cohort_tab(before) and "at 14:11" in worked_out(after)
    assert len(drawn) == 6


def test_another_worker_shows_the_stored_page_without_working_it_out(scenario, client, drawn, at):
    sign_in(client, scenario.lead)
    first = visit(client)
    report_page.forget_all(stored=False)  # what a worker that never built this page holds
    second = visit(client)
    assert len(drawn) == 3
    assert cohort_tab(second) == cohort_tab(first) and worked_out(second) == worked_out(first)
    assert db.session.scalar(select(func.count()).select_from(ReportPageCache)) == 1


def test_while_one_request_works_the_page_out_again_the_others_show_the_copy_there_is(scenario, client, drawn, at):
    sign_in(client, scenario.lead)
    client.get(URL)
    log_hours(scenario, "100")
    at(6)
    lease = AT + pd.Timedelta(minutes=6, seconds=30)
    db.session.execute(update(ReportPageCache).values(rebuilding_until=lease))  # another worker is building
    db.session.commit()
    meanwhile = visit(client)
    assert "at 14:05" in worked_out(meanwhile) and len(drawn) == 3
    at(8)  # that worker died: its lease ran out, so this visit's worker takes it over
    taken_over = visit(client)
    assert "at 14:05" in worked_out(taken_over) and len(drawn) == 6
    assert "at 14:13" in worked_out(visit(client)) and len(drawn) == 6


def test_a_refused_write_changes_no_figure(scenario, client, drawn, at):
    sign_in(client, scenario.lead)
    client.get(URL)
    audit.record(scenario.lead, "hours.log.refused", None)
    db.session.commit()
    at(10)
    assert "at 14:05" in worked_out(visit(client))
    assert len(drawn) == 3


def test_a_page_stored_by_another_version_is_worked_out_afresh(scenario, client, drawn, at):
    sign_in(client, scenario.lead)
    client.get(URL)
    report_page.forget_all(stored=False)
    db.session.execute(update(ReportPageCache).values(payload='{"version": 0}'))
    db.session.commit()
    response = client.get(URL)
    assert response.status_code == 200 and "Cohort completion report" in response.get_data(as_text=True)
    assert len(drawn) == 6


def test_a_stored_page_reads_back_as_it_was_built(scenario, drawn, at):
    page = report_page.report_page(scenario.lead, AS_OF, Filters())
    back = page_from_json(page_to_json(page))
    assert back is not None
    assert (back.as_of, back.filters, back.built_at) == (page.as_of, page.filters, page.built_at)
    for name, frame in page.views.items():
        pd.testing.assert_frame_equal(back.views[name], frame)
    pd.testing.assert_frame_equal(back.summary, page.summary)
    assert [(c.name, c.image, c.summary) for c in back.charts] == [(c.name, c.image, c.summary) for c in page.charts]
    for kept, built in zip(back.charts, page.charts, strict=True):
        pd.testing.assert_frame_equal(kept.table, built.table)


def test_pages_a_day_old_are_deleted_when_the_next_is_stored(scenario, drawn, at):
    report_page.report_page(scenario.lead, AS_OF, Filters())
    at(60 * 25)
    report_page.report_page(scenario.lead, date(2026, 9, 16), Filters())
    kept = db.session.scalars(select(ReportPageCache.as_of)).all()
    assert kept == [date(2026, 9, 16)]
