"""The lead's home: counts that match the lists they link to, and lists that sort, filter, page and download."""

from __future__ import annotations

import csv
import io
import re
from datetime import timedelta

import pytest

from app.extensions import db
from app.models import PreceptorAssignment
from app.services import attention_lists, enrolments, signoffs, transitions
from app.services.clock import today
from tests.factories import CohortFactory, LearnerFactory, PreceptorFactory, SiteFactory
from tests.web.conftest import shown


def counted(html: str, kind: str) -> int:
    found = re.search(rf'id="count-{kind}">\s*<span class="waymark-count__number" data-count="(\d+)"', html)
    assert found, kind
    return int(found.group(1))


def finished(html: str, kind: str) -> int:
    return int(re.search(rf'id="count-{kind}">(\d+) ', html).group(1))


def enrol(world, first_name: str, last_name: str = "Learner", *, preceptor=None, cohort=None, days_ago=100, **kw):
    learner = LearnerFactory(organisation=world.lead.organisation, first_name=first_name, last_name=last_name, **kw)
    return enrolments.enrol(
        world.lead,
        learner_id=learner.id,
        pathway_key="preceptorship",
        start_date=today() - timedelta(days=days_ago),
        cohort_id=cohort.id if cohort else None,
        preceptor_id=preceptor.id if preceptor else None,
    )


def test_a_lead_signs_in_to_who_needs_attention(world, as_user):
    client = as_user(world.lead)
    assert client.get("/").location.endswith("/lead/home")
    html = client.get("/lead/home").get_data(as_text=True)
    assert "Who needs attention" in html
    # Both learners started 100 days ago and nobody has held their initial review.
    assert counted(html, "red") == 2 and counted(html, "overdue-reviews") == 2
    assert counted(html, "green") == 0 and counted(html, "no-preceptor") == 0


def test_each_count_is_the_length_of_the_list_it_links_to(world, as_user):
    enrol(world, "Nadia", "Khan")  # no preceptor
    transitions.transition(world.lead, world.enrolment.id, "hold", reason="Sickness")
    client = as_user(world.lead)
    html = client.get("/lead/home").get_data(as_text=True)
    for kind in ("red", "amber", "green", "overdue-reviews", "no-preceptor", "completing", "returning"):
        listed = client.get(f"/lead/lists/{kind}").get_data(as_text=True)
        assert listed.count('class="nhsuk-table__row"') == counted(html, kind), kind
    assert counted(html, "no-preceptor") == 1 and counted(html, "amber") == 1


def test_an_on_hold_learner_says_since_when_rather_than_red(world, as_user):
    transitions.transition(world.lead, world.enrolment.id, "hold", reason="Maternity leave")
    client = as_user(world.lead)
    amber = client.get("/lead/lists/amber").get_data(as_text=True)
    assert shown(world.learner) in amber and f"On hold since {today().day} " in amber
    assert shown(world.learner) not in client.get("/lead/lists/red").get_data(as_text=True)


def test_the_home_counts_follow_each_change(world, as_user):
    client = as_user(world.lead)
    assert counted(client.get("/lead/home").get_data(as_text=True), "red") == 2
    transitions.transition(world.lead, world.other_enrolment.id, "withdraw", reason="Left the trust")
    html = client.get("/lead/home").get_data(as_text=True)
    assert counted(html, "red") == 1 and finished(html, "withdrawn") == 1


def test_withdrawn_and_completed_learners_have_their_own_lists(world, as_user):
    transitions.transition(world.lead, world.other_enrolment.id, "withdraw", reason="Left the trust")
    client = as_user(world.lead)
    withdrawn = client.get("/lead/lists/withdrawn").get_data(as_text=True)
    assert shown(world.other_learner) in withdrawn and shown(world.learner) not in withdrawn
    assert "Withdrawn on" in withdrawn and f"{today().day} " in withdrawn
    assert "Nobody is on this list" in client.get("/lead/lists/completed").get_data(as_text=True)


def test_the_cohort_page_keeps_withdrawn_learners_under_their_own_heading(world, as_user):
    transitions.transition(world.lead, world.other_enrolment.id, "withdraw", reason="Left the trust")
    client = as_user(world.lead)
    html = client.get(f"/lead/cohorts/{world.cohort.id}").get_data(as_text=True)
    assert shown(world.learner) in html and shown(world.other_learner) in html
    assert html.index("<h3>Withdrawn</h3>") < html.index(shown(world.other_learner))
    only = client.get(f"/lead/cohorts/{world.cohort.id}?stage=withdrawn").get_data(as_text=True)
    assert shown(world.other_learner) in only and shown(world.learner) not in only


def test_lists_sort_both_ways(world, as_user):
    world.learner.last_name, world.other_learner.last_name = "Aaronson", "Zeller"
    client = as_user(world.lead)
    rising = client.get("/lead/lists/red?sort=name").get_data(as_text=True)
    falling = client.get("/lead/lists/red?sort=name&order=desc").get_data(as_text=True)
    assert rising.index("Aaronson") < rising.index("Zeller")
    assert falling.index("Zeller") < falling.index("Aaronson")
    assert 'aria-sort="descending"' in falling


def test_lists_filter_by_site_cohort_and_programme(world, as_user):
    site = SiteFactory(organisation=world.lead.organisation, name="Royal Infirmary")
    march = CohortFactory(organisation=world.lead.organisation, name="March intake", start_date=today())
    moira = enrol(world, "Moira", "Newstart", preceptor=world.preceptor, cohort=march, days_ago=0)
    moira.site_id = site.id
    db.session.commit()
    client = as_user(world.lead)
    # Moira started today: her first review is due within two weeks, so she is amber.
    assert "Moira Newstart" in client.get(f"/lead/lists/amber?site={site.id}").get_data(as_text=True)
    assert "Nobody is on this list" in client.get(f"/lead/lists/red?site={site.id}").get_data(as_text=True)
    in_march = client.get(f"/lead/lists/amber?cohort={march.id}").get_data(as_text=True)
    assert "Moira Newstart" in in_march
    assert "Moira Newstart" not in client.get(f"/lead/lists/amber?cohort={world.cohort.id}").get_data(as_text=True)
    home = client.get(f"/lead/home?cohort={world.cohort.id}").get_data(as_text=True)
    assert counted(home, "red") == 2 and counted(home, "amber") == 0
    assert counted(client.get(f"/lead/home?site={site.id}").get_data(as_text=True), "amber") == 1
    assert counted(client.get("/lead/home?pathway=wecare-support-worker").get_data(as_text=True), "red") == 0


@pytest.mark.parametrize("bad", ["abc", "-1", "99999999999"])
def test_a_filter_that_is_not_a_choice_is_a_bad_request(world, as_user, bad):
    assert as_user(world.lead).get(f"/lead/lists/red?site={bad}").status_code == 400


def test_lists_page(world, as_user, monkeypatch):
    monkeypatch.setattr(attention_lists, "PER_PAGE", 1)
    client = as_user(world.lead)
    first = client.get("/lead/lists/red").get_data(as_text=True)
    second = client.get("/lead/lists/red?page=2").get_data(as_text=True)
    assert "Page 2 of 2" in first and first.count('class="nhsuk-table__row"') == 1
    assert second.count('class="nhsuk-table__row"') == 1
    assert client.get("/lead/lists/red?page=99").status_code == 200


def test_a_list_downloads_as_formula_safe_csv(world, as_user):
    enrol(world, '=HYPERLINK("http://x")', "Zoë", preceptor=world.other_preceptor)
    response = as_user(world.lead).get("/lead/lists/red.csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    assert rows[0][:3] == ["Name", "Employee number", "Programme"]
    assert len(rows) == 4
    names = [row[0] for row in rows[1:]]
    assert '\'=HYPERLINK("http://x") Zoë' in names
    assert {row[6] for row in rows[1:]} == {"Red"}


def test_sign_offs_waiting_more_than_a_week(world, as_user, time_machine):
    time_machine.move_to(today() - timedelta(days=8))
    signoffs.act(world.learner, world.enrolment.id, "alert_course", "request", text="Certificate attached")
    time_machine.move_to(today() + timedelta(days=8))
    html = as_user(world.lead).get("/lead/lists/sign-offs-waiting").get_data(as_text=True)
    assert shown(world.learner) in html and shown(world.other_learner) not in html


def test_preceptors_over_capacity(world, as_user):
    busy = PreceptorFactory(organisation=world.lead.organisation, first_name="Sarah", last_name="Mitchell")
    for n in range(3):
        enrol(world, f"Learner{n}", preceptor=busy)
    client = as_user(world.lead)
    assert counted(client.get("/lead/home").get_data(as_text=True), "over-capacity") == 0
    # Over the limit as older data may be (the services refuse a fourth): a second open assignment.
    extra = enrol(world, "Fourth", preceptor=world.preceptor)
    db.session.add(PreceptorAssignment(enrolment_id=extra.id, preceptor_id=busy.id, assigned_on=today()))
    db.session.commit()
    page = client.get("/lead/preceptors/over-capacity").get_data(as_text=True)
    assert "Sarah Mitchell" in page and ">4<" in page.replace(" ", "")


def test_other_organisations_learners_never_appear(world, as_user):
    client = as_user(world.foreign_lead)
    html = client.get("/lead/home").get_data(as_text=True)
    assert counted(html, "red") == 1
    assert shown(world.learner) not in client.get("/lead/lists/red").get_data(as_text=True)


@pytest.mark.parametrize("who", ["preceptor", "learner"])
def test_only_leads_see_the_home(world, as_user, who):
    assert as_user(getattr(world, who)).get("/lead/home").status_code == 403
    assert as_user(getattr(world, who)).get("/lead/lists/red.csv").status_code == 403


def test_an_unknown_list_is_not_found(world, as_user):
    assert as_user(world.lead).get("/lead/lists/purple").status_code == 404


def test_preceptors_over_capacity_sort_both_ways_and_download(world, as_user):
    mitchell = PreceptorFactory(organisation=world.lead.organisation, first_name="Sarah", last_name="Mitchell")
    adams = PreceptorFactory(organisation=world.lead.organisation, first_name='=cmd|"x"', last_name="Adams")
    held = [enrol(world, f"Learner{n}", preceptor=mitchell) for n in range(3)]
    held.append(enrol(world, "Fourth", preceptor=world.preceptor))
    held.append(enrol(world, "Fifth", preceptor=world.preceptor))
    # Over the limit as older data may be (the services refuse a fourth): second open assignments.
    db.session.add(PreceptorAssignment(enrolment_id=held[3].id, preceptor_id=mitchell.id, assigned_on=today()))
    db.session.add_all(PreceptorAssignment(enrolment_id=e.id, preceptor_id=adams.id, assigned_on=today()) for e in held)
    db.session.commit()
    client = as_user(world.lead)
    by_name = client.get("/lead/preceptors/over-capacity").get_data(as_text=True)
    most_first = client.get("/lead/preceptors/over-capacity?sort=learners&order=desc").get_data(as_text=True)
    fewest_first = client.get("/lead/preceptors/over-capacity?sort=learners").get_data(as_text=True)
    adams_shown, mitchell_shown = "&#34;x&#34; Adams", "Sarah Mitchell"  # full names: the world's own are random
    assert by_name.index(adams_shown) < by_name.index(mitchell_shown)
    assert most_first.index(adams_shown) < most_first.index(mitchell_shown)
    assert 'aria-sort="descending"' in most_first
    assert fewest_first.index(mitchell_shown) < fewest_first.index(adams_shown)
    response = client.get("/lead/preceptors/over-capacity.csv?sort=learners")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    assert rows[0] == ["Preceptor", "Employee number", "Site", "Learners", "May hold"]
    assert [(row[0], row[3]) for row in rows[1:]] == [("Sarah Mitchell", "4"), ('\'=cmd|"x" Adams', "5")]
