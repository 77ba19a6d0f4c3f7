"""The matrix's small world: a trust with one of everything a URL can name, and a second trust.

Every object the URLs point at belongs to the first trust; the second trust's people ask for them
to show that another organisation's record is not found. Everyone who asks has two-factor on, so
that turning it off, new recovery codes and the code after a password are asked for real.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from datetime import timedelta

import pyotp
from sqlalchemy import select

from app.extensions import db
from app.models import ApiToken, Enrolment, Notification, OutboxMessage, TransitionEvent, User
from app.services import (
    account_links,
    calendar_feeds,
    enrolments,
    evidence,
    hours,
    job_work,
    jobs,
    meetings,
    notices,
    protected_time,
    reflections,
    reviews,
    signoffs,
    sites,
    tokens,
    transfers,
    two_factor,
)
from app.services.clock import today
from reports.frames import Filters
from tests.factories import (
    AdminFactory,
    CohortFactory,
    LeadFactory,
    LearnerFactory,
    OrganisationFactory,
    PreceptorFactory,
)

PDF = b"%PDF-1.7\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
COMPETENCY = "alert_course"
# On the learner, their cohort and their site: a page that shows it to anyone outside their trust leaks it.
MARKER = "Quillfeather"
LEARNER_EMAIL = "oriel.quillfeather@nhs.test"
COMPLETED = "care-development-placement"  # the learner completed it here: a transfer file has something in it
APPRENTICESHIP = "healthcare-works-apprenticeship"  # has English and maths, review frequency and prior learning rules
NOBODYS_RECOVERY_CODE = "ABCDE-FGHJK"  # the code in a form asked by someone signed out, who has none
ROLES = (
    "anonymous",
    "learner",
    "other_learner",
    "preceptor",
    "other_preceptor",
    "lead",
    "admin",
    "foreign_learner",
    "foreign_preceptor",
    "foreign_lead",
    "foreign_admin",
)


@dataclass
class MatrixWorld:
    user_ids: dict[str, str]
    tokens: dict[str, str]
    ids: dict[str, object]
    own: dict[str, dict[str, object]]  # a role's own values, over ``ids``

    def ids_for(self, role: str) -> dict[str, object]:
        """The placeholders as ``role`` fills them: ``{recovery_code}`` is their own, ``{now}`` the time asked."""
        return {**self.ids, **self.own.get(role, {}), "now": int(time.time())}


def _switch_on_two_factor(person: User) -> str:
    """Two-factor on, as the person would set it up with their phone; one of their recovery codes."""
    setup = two_factor.start_setup(person)
    return two_factor.confirm_setup(person, pyotp.TOTP(setup.secret).now())[0]


def _complete(enrolment: Enrolment, actor: User) -> None:
    """Completed as the engine would leave it (the engine's own path to completion is tested elsewhere)."""
    on = today() - timedelta(days=2)
    db.session.add(TransitionEvent(enrolment_id=enrolment.id, action="advance", from_stage=enrolment.stage,
                                   to_stage="completed", from_state="active", to_state="completed",
                                   effective_on=on, actor_id=actor.id))  # fmt: skip
    enrolment.stage, enrolment.state, enrolment.stage_entered_on = "completed", "completed", on


def _transfer_file(elsewhere_lead: User) -> bytes:
    """The signed file another trust's lead downloads for a learner who completed there and moves here."""
    mover = LearnerFactory(organisation=elsewhere_lead.organisation)
    done = enrolments.enrol(elsewhere_lead, learner_id=mover.id, pathway_key="preceptorship",
                            start_date=today() - timedelta(days=400))  # fmt: skip
    _complete(done, elsewhere_lead)
    return json.dumps(transfers.export(elsewhere_lead, mover.id)).encode()


def _finished_jobs(lead: User) -> tuple[int, int]:
    """The lead's report download, prepared, and an import file checked: both done by a worker."""
    export = job_work.start_export(lead, "csv", today(), Filters())
    check = job_work.start_check(lead, "starters.csv", b"employee_number,first_name,last_name,email\r\n"
                                 b"MX900,Nia,Starter,nia.starter@nhs.test\r\n")  # fmt: skip
    db.session.commit()
    while (job := jobs.claim("matrix")) is not None:
        job_work.execute(job, "matrix")
    return export.id, check.id


def build() -> MatrixWorld:
    """One of everything, made through the services as people would make it (and so audited)."""
    org, elsewhere = OrganisationFactory(), OrganisationFactory()
    people: dict[str, User] = {
        "learner": LearnerFactory(organisation=org, first_name="Oriel", last_name=MARKER, email=LEARNER_EMAIL),
        "other_learner": LearnerFactory(organisation=org),
        "preceptor": PreceptorFactory(organisation=org),
        "other_preceptor": PreceptorFactory(organisation=org),
        "lead": LeadFactory(organisation=org),
        "admin": AdminFactory(organisation=org),
        "foreign_learner": LearnerFactory(organisation=elsewhere),
        "foreign_preceptor": PreceptorFactory(organisation=elsewhere),
        "foreign_lead": LeadFactory(organisation=elsewhere),
        "foreign_admin": AdminFactory(organisation=elsewhere),
    }
    # Enrolled nowhere, and invited not yet (no password).
    newcomer = LearnerFactory(organisation=org, email="newcomer@nhs.test", password_hash=None)
    learner, preceptor, lead = people["learner"], people["preceptor"], people["lead"]
    start = today() - timedelta(days=100)
    cohort = CohortFactory(organisation=org, start_date=start, name=f"{MARKER} Intake")
    enrolment = enrolments.enrol(lead, learner_id=learner.id, pathway_key="preceptorship", start_date=start,
                                 cohort_id=cohort.id, preceptor_id=preceptor.id)  # fmt: skip
    entry = hours.log_hours(learner, enrolment.id, worked_on=today() - timedelta(days=3), hours=2,
                            activity_type="study", learning="Sepsis e-learning")  # fmt: skip
    request = signoffs.act(learner, enrolment.id, COMPETENCY, "request", text="Course done")
    file = evidence.attach(learner, enrolment.id, attached_to="signoff", attached_id=request.id,
                           uploads=[evidence.Upload("ALERT.pdf", PDF)])[0]  # fmt: skip
    reflections.write_reflection(learner, enrolment.id, written_on=today() - timedelta(days=2),
                                 what_happened="A fall", what_learned="Lying and standing blood pressure",
                                 how_changed="I check it on admission", code_themes=["preserve_safety"])  # fmt: skip
    review = reviews.record_review(preceptor, enrolment.id, slot="initial", held_on=start + timedelta(days=10),
                                   outcome="on_track", notes="Good start", agreed_actions="ALERT")  # fmt: skip
    site = sites.create(people["admin"], f"{MARKER} General")
    time_entry = protected_time.log_protected_time(preceptor, used_on=today() - timedelta(days=1), hours=1,
                                                   activity="meeting", note="")  # fmt: skip
    notices.notify(learner, kind="signoff", key="matrix", enrolment_id=enrolment.id, title="Signed off",
                   lines=["Your ALERT course was signed off"], path=f"/learner/enrolments/{enrolment.id}")  # fmt: skip
    failed = OutboxMessage(rule="matrix", enrolment_id=enrolment.id, due_on=today(), recipient_id=learner.id,
                           subject="Review due", body_text="Your review is due", status="failed",
                           attempts=5, last_error="mailbox full")  # fmt: skip
    db.session.add(failed)
    link = account_links.issue(learner, "reset")
    # The same learner on an apprenticeship, whose rules take the national records a preceptorship has not.
    apprenticeship = enrolments.enrol(lead, learner_id=learner.id, pathway_key=APPRENTICESHIP, start_date=start,
                                      preceptor_id=preceptor.id)  # fmt: skip
    # Completed here, so a lead has a transfer file to download for them.
    completed = enrolments.enrol(lead, learner_id=learner.id, pathway_key=COMPLETED,
                                 start_date=start - timedelta(days=300))  # fmt: skip
    _complete(completed, preceptor)
    transfer_file = _transfer_file(people["foreign_lead"])
    # A review meeting booked in everyone's calendar, and everyone's own secret calendar address.
    meeting = meetings.schedule(preceptor, enrolment.id, slot="midpoint", day=today() + timedelta(days=30),
                                start="10:00", duration="60", place="Ward 7 seminar room")  # fmt: skip
    feeds = {role: calendar_feeds.create(person) for role, person in people.items()}
    recovery = {role: _switch_on_two_factor(person) for role, person in people.items()}
    db.session.commit()
    export_job, check_job = _finished_jobs(lead)
    issued = {role: tokens.issue(person) for role, person in people.items()}
    learner_token = db.session.scalars(select(ApiToken.id).where(ApiToken.user_id == learner.id)).first()
    ids = {
        "enrolment": enrolment.id,
        "apprenticeship": apprenticeship.id,
        "cohort": cohort.id,
        "hours_entry": entry.id,
        "evidence": file.id,
        "review": review.id,
        "meeting": meeting.id,
        "export_job": export_job,
        "check_job": check_job,
        "calendar_feed": feeds["learner"],  # anonymous holds the learner's address
        "transfer_file": transfer_file,
        "site": site.id,
        "protected_time": time_entry.id,
        "notification": db.session.scalars(select(Notification.id).where(Notification.user_id == learner.id)).first(),
        "outbox": failed.id,
        "learner": learner.id,
        "preceptor": preceptor.id,
        "other_preceptor": people["other_preceptor"].id,
        "newcomer": newcomer.id,
        "open_competency": "leadership",
        "learner_token": learner_token,
        "reset_token": link.token,
        "signing_token": "a-signing-link-nobody-was-sent",  # preceptorship reviews are signed in Waymark
        "competency": COMPETENCY,
        "organisation_slug": org.slug,
        "recovery_code": NOBODYS_RECOVERY_CODE,
        "learner_recovery_code": recovery["learner"],
        "learner_session_version": learner.session_version,
        "today": today(),
        "yesterday": today() - timedelta(days=1),
        "next_month": today() + timedelta(days=30),
    }
    own: dict[str, dict[str, object]] = {
        role: {"recovery_code": code, "calendar_feed": feeds[role]} for role, code in recovery.items()
    }
    return MatrixWorld({role: person.get_id() for role, person in people.items()}, issued, ids, own)
