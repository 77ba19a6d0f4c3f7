"""The report page's figures are kept for every worker and worked out again by the job worker, every five minutes
while the data changes: nobody waits for it but the first visitor of a page never stored."""

from __future__ import annotations

import logging
import threading
import time
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


def requested() -> datetime | None:
    """When a visitor asked for the page to be worked out again (None: nobody has, since it was)."""
    db.session.rollback()  # see what the other sessions committed
    moment = db.session.scalar(select(ReportPageCache.rebuild_requested_at))
    return moment if moment is None or moment.tzinfo else moment.replace(tzinfo=UTC)


def stale_copy(scenario, client, at) -> None:
    """A page worked out at 14:05, then 100 hours logged, then a visit at 14:11 that finds the copy stale."""
    sign_in(client, scenario.lead)
    visit(client)
    log_hours(scenario, "100")
    at(6)
    visit(client)


def test_a_change_shows_once_the_figures_are_five_minutes_old(scenario, client, drawn, at):
    sign_in(client, scenario.lead)
    before = visit(client)
    log_hours(scenario, "100")
    at(3)
    inside = visit(client)
    assert cohort_tab(inside) == cohort_tab(before) and "at 14:05" in worked_out(inside)
    assert requested() is None
    at(6)
    shown = visit(client)  # the copy at once, and the page marked for the job worker
    assert cohort_tab(shown) == cohort_tab(before) and "at 14:05" in worked_out(shown)
    assert requested() == AT + pd.Timedelta(minutes=6)
    at(7)
    assert "at 14:05" in worked_out(visit(client)) and requested() == AT + pd.Timedelta(minutes=6)
    assert len(drawn) == 3  # no visit worked it out
    assert report_page.rebuild_wanted() == 1 and len(drawn) == 6
    after = visit(client)
    assert cohort_tab(after) != cohort_tab(before) and "at 14:12" in worked_out(after)
    assert requested() is None and report_page.rebuild_wanted() == 0 and len(drawn) == 6


def test_a_filtered_page_is_worked_out_again_with_its_filters(scenario, client, drawn, at):
    sign_in(client, scenario.lead)
    filtered = f"{URL}&site=North&cohort=September%202025"
    client.get(filtered)
    log_hours(scenario, "100")
    at(6)
    client.get(filtered)
    assert report_page.rebuild_wanted() == 1
    payload = db.session.scalar(select(ReportPageCache.payload))
    page = page_from_json(payload)
    assert page is not None and page.built_at == AT + pd.Timedelta(minutes=6)
    assert page.filters == Filters(organisation="trust-a", site="North", cohort="September 2025")


def test_another_worker_shows_the_stored_page_without_working_it_out(scenario, client, drawn, at):
    sign_in(client, scenario.lead)
    first = visit(client)
    report_page.forget_all(stored=False)  # what a worker that never built this page holds
    second = visit(client)
    assert len(drawn) == 3
    assert cohort_tab(second) == cohort_tab(first) and worked_out(second) == worked_out(first)
    assert db.session.scalar(select(func.count()).select_from(ReportPageCache)) == 1


def test_while_one_worker_works_the_page_out_again_another_leaves_it_until_the_lease_runs_out(
    scenario, client, drawn, at
):
    stale_copy(scenario, client, at)
    lease = AT + pd.Timedelta(minutes=6, seconds=30)
    db.session.execute(update(ReportPageCache).values(rebuilding_until=lease))  # another worker is building
    db.session.commit()
    assert report_page.rebuild_wanted() == 0 and len(drawn) == 3
    assert "at 14:05" in worked_out(visit(client))
    at(8)  # that worker died: its lease ran out, so this worker takes the page over
    assert report_page.rebuild_wanted() == 1 and len(drawn) == 6
    assert "at 14:13" in worked_out(visit(client))


def test_two_workers_at_once_work_the_page_out_once(app, scenario, client, drawn, at, monkeypatch):
    stale_copy(scenario, client, at)
    build = report_page._build
    monkeypatch.setattr(report_page, "_build", lambda *args: time.sleep(0.5) or build(*args))  # the other claims
    start, rebuilt = threading.Barrier(2), []

    def worker() -> None:
        with app.app_context():
            start.wait(10)
            rebuilt.append(report_page.rebuild_wanted())
            db.session.remove()

    workers = [threading.Thread(target=worker) for _ in range(2)]
    for thread in workers:
        thread.start()
    for thread in workers:
        thread.join(60)
    assert sorted(rebuilt) == [0, 1] and len(drawn) == 6
    assert "at 14:11" in worked_out(visit(client))


def test_a_build_that_fails_is_logged_keeps_the_copy_and_is_tried_after_the_lease(
    scenario, client, drawn, at, monkeypatch, caplog
):
    stale_copy(scenario, client, at)
    build, tries = report_page._build, []

    def broken(*args):
        tries.append(args)
        raise RuntimeError("the chart library fell over")

    monkeypatch.setattr(report_page, "_build", broken)
    with caplog.at_level(logging.ERROR):
        assert report_page.rebuild_wanted() == 0
    failed = [r for r in caplog.records if "could not be worked out again" in r.getMessage()]
    assert len(failed) == 1 and "the chart library fell over" in failed[0].exc_text
    assert "at 14:05" in worked_out(visit(client)) and requested() == AT + pd.Timedelta(minutes=6)
    at(6.5)
    assert report_page.rebuild_wanted() == 0 and len(tries) == 1  # its lease still stands
    monkeypatch.setattr(report_page, "_build", build)
    at(7.5)
    assert report_page.rebuild_wanted() == 1 and len(drawn) == 6
    assert "at 14:12" in worked_out(visit(client)) and requested() is None


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
