"""Hours, sign-offs, reviews, checks and transitions: same rules as the web app, refusals write nothing."""

from __future__ import annotations

import pytest


def url(world, what: str, which: str = "enrolment") -> str:
    return f"/api/v1/enrolments/{getattr(world, which).id}/{what}"


RESOURCES = ["hours", "signoffs", "reviews", "checks", "transitions"]


@pytest.mark.parametrize("what", RESOURCES)
def test_every_list_is_paged_and_refuses_outsiders(client, world, auth, what):
    body = client.get(url(world, what), headers=auth(world.learner)).json
    assert {"items", "page", "per_page", "total"} <= set(body)
    assert client.get(url(world, what), headers=auth(world.other_preceptor)).status_code == 403
    assert client.get(url(world, what), headers=auth(world.other_learner)).status_code == 403
    assert client.get(url(world, what, "foreign_enrolment"), headers=auth(world.lead)).status_code == 404
    assert client.get(f"/api/v1/enrolments/424242/{what}", headers=auth(world.lead)).status_code == 404


GOOD = {
    "hours": ("learner", {"worked_on": "2026-11-20", "hours": 2.5, "activity_type": "study", "learning": "Sepsis"}),
    "signoffs": ("learner", {"competency": "leadership", "action": "request", "text": "Led a safety huddle"}),
    "reviews": ("preceptor", {"slot": "initial", "held_on": "2026-09-07", "outcome": "on_track"}),
    "checks": ("lead", {"kind": "dbs", "result": "cleared", "checked_on": "2026-08-20"}),
    "transitions": ("lead", {"action": "hold", "reason": "Sickness absence"}),
}
BAD = {
    "hours": ("learner", {"worked_on": "2026-12-20", "hours": 30, "activity_type": "study"}, {"worked_on", "hours"}),
    "signoffs": ("learner", {"competency": "leadership", "action": "request", "text": " "}, {"evidence"}),
    "reviews": (
        "preceptor",
        {"slot": "review_99", "held_on": "2026-12-01", "outcome": "on_track"},
        {"slot", "held_on"},
    ),
    "checks": ("lead", {"kind": "dbs", "result": "excellent", "checked_on": "2026-08-20"}, {"result"}),
    "transitions": ("lead", {"action": "hold", "reason": ""}, {"reason"}),
}
# Someone who may see the enrolment but not do this to it.
FORBIDDEN = {
    "hours": "preceptor",
    "signoffs": "lead",
    "reviews": "learner",
    "checks": "preceptor",
    "transitions": "preceptor",
}


@pytest.mark.parametrize("what", RESOURCES)
def test_a_post_records_it_and_it_is_listed(client, world, auth, what):
    role, body = GOOD[what]
    response = client.post(url(world, what), json=body, headers=auth(getattr(world, role)))
    assert response.status_code == 201, response.json
    listed = client.get(url(world, what), headers=auth(world.lead)).json["items"]
    assert response.json["id"] in [item["id"] for item in listed]


@pytest.mark.parametrize("what", RESOURCES)
def test_bad_details_are_422_naming_each_field_and_write_nothing(client, world, auth, nothing_written, what):
    role, body, fields = BAD[what]
    with nothing_written():
        response = client.post(url(world, what), json=body, headers=auth(getattr(world, role)))
    assert response.status_code == 422
    assert set(response.json["error"]["fields"]) == fields


@pytest.mark.parametrize("what", RESOURCES)
def test_the_wrong_person_is_403_and_nothing_is_written(client, world, auth, nothing_written, what):
    _, body = GOOD[what]
    with nothing_written():
        response = client.post(url(world, what), json=body, headers=auth(getattr(world, FORBIDDEN[what])))
        other = client.post(url(world, what), json=body, headers=auth(world.other_preceptor))
    assert response.status_code == other.status_code == 403
    assert response.json["error"]["code"] == "forbidden"


@pytest.mark.parametrize("what", RESOURCES)
def test_another_organisation_s_enrolment_is_404(client, world, auth, nothing_written, what):
    _, body = GOOD[what]
    with nothing_written():
        response = client.post(url(world, what, "foreign_enrolment"), json=body, headers=auth(world.lead))
    assert response.status_code == 404


def test_a_sign_off_goes_request_sign_revoke(client, world, auth):
    def act(user, action, text=""):
        return client.post(
            url(world, "signoffs"),
            json={"competency": "leadership", "action": action, "text": text},
            headers=auth(user),
        )

    assert act(world.learner, "request", "Led a safety huddle").status_code == 201
    assert act(world.learner, "sign").status_code == 403
    assert act(world.preceptor, "sign").status_code == 201
    assert act(world.preceptor, "sign").json["error"]["fields"] == {"action": "This competency is already signed off"}
    assert act(world.preceptor, "revoke", "Signed in error").status_code == 201
    actions = [item["action"] for item in client.get(url(world, "signoffs"), headers=auth(world.learner)).json["items"]]
    assert actions == ["requested", "signed", "revoked"]


def test_an_unknown_competency_is_404(client, world, auth):
    body = {"competency": "juggling", "action": "request", "text": "Three balls"}
    response = client.post(url(world, "signoffs"), json=body, headers=auth(world.learner))
    assert response.status_code == 404
    assert response.json["error"]["message"] == "This programme has no competency 'juggling'"


def test_a_refused_transition_is_409_with_the_engine_s_reasons(client, world, auth, nothing_written):
    detail = client.get(f"/api/v1/enrolments/{world.enrolment.id}", headers=auth(world.lead)).json
    expected = next(o["reasons"] for o in detail["transitions"] if o["to"] == "in_preceptorship")
    with nothing_written():
        response = client.post(
            url(world, "transitions"), json={"action": "advance", "to": "in_preceptorship"}, headers=auth(world.lead)
        )
    assert response.status_code == 409
    error = response.json["error"]
    assert error["code"] == "transition_refused"
    assert error["reasons"] == expected and expected
    assert all(reason in error["message"] for reason in expected)


def test_an_allowed_transition_moves_the_learner_on(client, world, auth):
    response = client.post(
        url(world, "transitions"), json={"action": "advance", "to": "supernumerary"}, headers=auth(world.preceptor)
    )
    assert response.status_code == 201
    assert (response.json["from_stage"], response.json["to_stage"]) == ("enrolled", "supernumerary")
    detail = client.get(f"/api/v1/enrolments/{world.enrolment.id}", headers=auth(world.learner)).json
    assert detail["stage"] == "supernumerary"
    history = client.get(url(world, "transitions"), headers=auth(world.learner)).json["items"]
    assert [event["action"] for event in history] == ["enrol", "advance"]


def test_timestamps_carry_their_utc_offset(client, world, auth):
    _, body = GOOD["hours"]
    response = client.post(url(world, "hours"), json=body, headers=auth(world.learner))
    assert response.json["created_at"] == "2026-11-25T12:00:00+00:00"
