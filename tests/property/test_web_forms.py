"""Every form the web app posts, filled in with generated values by each role that may use it and one that may not.

Dates go in the NHS three boxes (years 1 to 9999, twenty-digit years, empty or odd boxes), numbers as
the text a person types (NaN, 1e309, ½), text with control characters and lone surrogates as raw
bytes. Whatever is posted, the page answers below 500 and a refused form changes nothing.
"""

from __future__ import annotations

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from app.models.events import CHECK_KINDS
from app.services.hours import ACTIVITY_TYPES
from app.services.reviews import OUTCOMES
from tests.property.conftest import PROFILE, Probe
from tests.property.strategies import (
    Field,
    date_boxes,
    form,
    form_choice,
    form_id,
    form_text,
    hours_text,
    optional_form_text,
    path_id,
    year_too_large,
)
from tests.web.conftest import FreshClient

PATHWAYS = ["preceptorship", "wecare-support-worker", "healthcare-works-apprenticeship", "higher-development-award"]
RESULTS = ["pending", "cleared", "not_cleared", "ready", "pass", "fail", "exempt"]
STAGES = ["supernumerary", "in_preceptorship", "final_review", "completed"]
EXAMPLES = 12
PASSWORD_EXAMPLES = 6  # each one runs Argon2
HOURS = {
    "worked_on": date_boxes,
    "hours": hours_text,
    "activity_type": form_choice(ACTIVITY_TYPES),
    "learning": form_text,
}


def lead_forms(world) -> dict[str, tuple[st.SearchStrategy[str], dict[str, Field]]]:
    enrolment = path_id(world.enrolment.id, world.other_enrolment.id, world.foreign_enrolment.id)
    people = (world.learner.id, world.other_learner.id, world.preceptor.id, world.foreign_lead.id)
    preceptors = (world.preceptor.id, world.other_preceptor.id, world.learner.id)
    return {
        "new cohort": (
            st.just("/lead/cohorts/new"),
            {"name": form_text, "pathway_key": form_choice(PATHWAYS), "start_date": date_boxes},
        ),
        "enrol": (
            st.just("/lead/enrol"),
            {
                "learner": form_id(*people),
                "pathway_key": form_choice(PATHWAYS),
                "cohort": form_id(world.cohort.id),
                "start_date": date_boxes,
                "preceptor": form_id(*preceptors),
            },
        ),
        "advance": (enrolment.map(lambda n: f"/lead/enrolments/{n}/advance"), {"to": form_choice(STAGES)}),
        "assign": (
            enrolment.map(lambda n: f"/lead/enrolments/{n}/preceptor"),
            {"preceptor": form_id(*preceptors), "reason": optional_form_text},
        ),
        "status": (
            st.tuples(enrolment, st.sampled_from(["hold", "resume", "withdraw"])).map(
                lambda p: f"/lead/enrolments/{p[0]}/{p[1]}"
            ),
            {"reason": optional_form_text},
        ),
        "extend": (
            enrolment.map(lambda n: f"/lead/enrolments/{n}/extend"),
            {"reason": optional_form_text, "new_end": date_boxes},
        ),
        "checks": (
            enrolment.map(lambda n: f"/lead/enrolments/{n}/checks/new"),
            {
                "kind": form_choice(CHECK_KINDS),
                "result": form_choice(RESULTS),
                "checked_on": date_boxes,
                "notes": optional_form_text,
            },
        ),
        "confirmations": (
            enrolment.map(lambda n: f"/lead/enrolments/{n}/confirmations/new"),
            {"name": form_choice(["lead_countersignature", "final_signoff"]), "note": optional_form_text},
        ),
        "attendance": (
            enrolment.map(lambda n: f"/lead/enrolments/{n}/attendance/new"),
            {"attended_on": date_boxes, "title": form_text},
        ),
    }


def preceptor_forms(world, records) -> dict[str, tuple[st.SearchStrategy[str], dict[str, Field]]]:
    enrolment = path_id(world.enrolment.id, world.other_enrolment.id, world.foreign_enrolment.id)
    competency = st.sampled_from(records.competencies + ["no-such-competency"])
    return {
        "advance": (enrolment.map(lambda n: f"/preceptor/enrolments/{n}/advance"), {"to": form_choice(STAGES)}),
        "sign-off": (
            st.tuples(enrolment, competency, st.sampled_from(["sign", "return", "revoke"])).map(
                lambda p: f"/preceptor/enrolments/{p[0]}/competencies/{p[1]}/{p[2]}"
            ),
            {"comment": form_text},
        ),
        "review": (
            enrolment.map(lambda n: f"/preceptor/enrolments/{n}/reviews/new"),
            {
                "slot": form_choice(records.review_slots),
                "held_on": date_boxes,
                "outcome": form_choice(OUTCOMES),
                "notes": optional_form_text,
                "agreed_actions": optional_form_text,
            },
        ),
        "confirmation": (
            enrolment.map(lambda n: f"/preceptor/enrolments/{n}/confirmations/new"),
            {"name": form_choice(["final_signoff", "lead_countersignature"]), "note": optional_form_text},
        ),
    }


def learner_forms(world, records) -> dict[str, tuple[st.SearchStrategy[str], dict[str, Field]]]:
    enrolment = path_id(world.enrolment.id, world.other_enrolment.id)
    entry = path_id(records.hours_entry)
    competency = st.sampled_from(records.competencies + ["no-such-competency"])
    return {
        "log hours": (enrolment.map(lambda n: f"/learner/enrolments/{n}/hours/new"), HOURS),
        "change hours": (entry.map(lambda n: f"/learner/hours/{n}/edit"), HOURS),
        "remove hours": (entry.map(lambda n: f"/learner/hours/{n}/remove"), {}),
        "request sign-off": (
            st.tuples(enrolment, competency).map(lambda p: f"/learner/enrolments/{p[0]}/competencies/{p[1]}/request"),
            {"evidence": form_text},
        ),
        "confirm review": (path_id(records.review).map(lambda n: f"/learner/reviews/{n}/confirm"), {}),
    }


def account_forms(world) -> dict[str, tuple[st.SearchStrategy[str], dict[str, Field]]]:
    return {
        "reauthenticate": (st.just("/reauthenticate"), {"password": form_text}),
        "change password": (
            st.just("/account/password"),
            {"current_password": form_text, "new_password": form_text, "confirm_password": form_text},
        ),
        "email preferences": (
            st.just("/notifications/preferences"),
            {"email": form_choice(["review_due", "signoff_waiting", "review_overdue"])},
        ),
        "mark read": (path_id(1).map(lambda n: f"/notifications/{n}/read"), {"open": form_text}),
        "mark all read": (st.just("/notifications/read-all"), {}),
        "retry outbox": (path_id(1).map(lambda n: f"/admin/outbox/{n}/retry"), {}),
    }


LEAD = ["new cohort", "enrol", "advance", "assign", "status", "extend", "checks", "confirmations", "attendance"]
PRECEPTOR = ["advance", "sign-off", "review", "confirmation"]
LEARNER = ["log hours", "change hours", "remove hours", "request sign-off", "confirm review"]
ACCOUNT = ["reauthenticate", "change password", "email preferences", "mark read", "mark all read", "retry outbox"]
# Each form as the role it is for, and as one it is not for (refused, nothing written).
CASES = (
    [("lead", name, "lead") for name in LEAD]
    + [("lead", name, "preceptor") for name in ("enrol", "extend")]
    + [("lead", name, "foreign_lead") for name in ("checks", "assign")]
    + [("preceptor", name, "preceptor") for name in PRECEPTOR]
    + [("preceptor", name, "other_preceptor") for name in ("sign-off", "review")]
    + [("learner", name, "learner") for name in LEARNER]
    + [("learner", name, "other_learner") for name in ("change hours", "confirm review")]
    + [("account", name, role) for name in ACCOUNT for role in ("learner", "lead")]
)


# Forms with a date, and the page of the world's own record each is posted to in the always-run example.
DATED = {
    "new cohort": lambda world, records: "/lead/cohorts/new",
    "enrol": lambda world, records: "/lead/enrol",
    "extend": lambda world, records: f"/lead/enrolments/{world.enrolment.id}/extend",
    "checks": lambda world, records: f"/lead/enrolments/{world.enrolment.id}/checks/new",
    "attendance": lambda world, records: f"/lead/enrolments/{world.enrolment.id}/attendance/new",
    "review": lambda world, records: f"/preceptor/enrolments/{world.enrolment.id}/reviews/new",
    "log hours": lambda world, records: f"/learner/enrolments/{world.enrolment.id}/hours/new",
    "change hours": lambda world, records: f"/learner/hours/{records.hours_entry}/edit",
}


def forms_for(group: str, world, records):
    if group == "lead":
        return lead_forms(world)
    if group == "preceptor":
        return preceptor_forms(world, records)
    if group == "learner":
        return learner_forms(world, records)
    return account_forms(world)


@pytest.mark.parametrize("group, name, caller", CASES, ids=[f"{g}-{n}-as-{c}" for g, n, c in CASES])
def test_form_never_fails_and_changes_nothing_when_it_refuses(world, records, web, group, name, caller):
    probe = web(getattr(world, caller))
    paths, fields = forms_for(group, world, records)[name]

    @given(path=paths, data=form(fields))
    @settings(PROFILE, max_examples=PASSWORD_EXAMPLES if "password" in name or name == "reauthenticate" else EXAMPLES)
    def run(path, data):
        probe("POST", path, data=data, content_type="application/x-www-form-urlencoded")

    if name in DATED and caller == group:  # always try the twenty-digit year on the form's own page
        run = example(path=DATED[name](world, records), data=year_too_large(fields))(run)
    run()


@given(data=form({"email": form_text, "password": form_text}))
@settings(PROFILE, max_examples=PASSWORD_EXAMPLES)
def test_sign_in_form_never_fails_whatever_is_typed(world, app, data):
    client = FreshClient(app, app.response_class, use_cookies=True)
    Probe(client)("POST", "/login", data=data, content_type="application/x-www-form-urlencoded")
