"""An enrolment stored before dates were checked (a start in year 9999) stops no page, list or report."""

from __future__ import annotations

from app.extensions import db


def test_pages_lists_and_reports_still_answer_with_a_broken_enrolment(world, broken, as_user):
    client = as_user(world.lead)
    for url in (
        "/lead/",
        f"/lead/enrolments/{world.enrolment.id}",
        "/reports/cohorts?pathway=preceptorship",
        "/reports/cohorts?pathway=wecare-support-worker",
    ):
        assert client.get(url).status_code == 200, url
    page = client.get(f"/lead/enrolments/{broken.id}")
    assert page.status_code == 200
    assert "dates cannot be worked out" in page.get_data(as_text=True)


def test_a_broken_enrolment_can_be_withdrawn(world, broken, as_user):
    client = as_user(world.lead)
    response = client.post(f"/lead/enrolments/{broken.id}/withdraw", data={"reason": "Entered by mistake"})
    assert response.status_code == 302
    db.session.refresh(broken)
    assert broken.state == "withdrawn"
