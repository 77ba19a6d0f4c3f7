from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user
from markupsafe import Markup

from app.advance_view import advance_learner
from app.form_pages import render_form, submit, values
from app.lead import bp
from app.lead.choices import caseload_text, choice_text
from app.lead.forms import AssignForm, CohortForm, EnrolForm, ExtendForm, StatusForm
from app.services import cohorts, enrolments, lead_enrolment_pages, lead_pages, preceptor_rules, transitions
from pathways import render_svg
from pathways.professions import with_article

ACTION_TEXT = {
    "hold": ("Put on hold", "The enrolment is on hold"),
    "resume": ("Resume", "The enrolment has resumed"),
    "extend": ("Extend", "The enrolment has been extended"),
    "withdraw": ("Withdraw", "The learner has been withdrawn"),
    "reinstate": ("Reinstate", "The enrolment has been reinstated where it was withdrawn from"),
}


def _programme_choices() -> list[tuple[str, str]]:
    return [(d.key, d.title) for d in lead_pages.programmes()]


@bp.get("/")
def cohorts_list():
    return render_template("lead/cohorts.html", rows=lead_pages.cohorts(current_user))


@bp.route("/cohorts/new", methods=["GET", "POST"])
def new_cohort():
    form = CohortForm()
    form.pathway_key.choices = _programme_choices()
    outcome = submit(
        form,
        lambda: cohorts.create_cohort(
            current_user, name=form.name.data, pathway_key=form.pathway_key.data, start_date=form.start_date.data
        ),
    )
    if outcome.done:
        flash(f"Cohort {outcome.result.name} created")
        return redirect(url_for("lead.cohort", cohort_id=outcome.result.id))
    back = url_for("lead.cohorts_list")
    return render_form(
        "form_page.html", form, outcome.errors, title="Create a cohort", back=back, submit="Create cohort"
    )


@bp.get("/cohorts/<int(max=2147483647):cohort_id>")
def cohort(cohort_id: int):
    page = lead_pages.cohort_page(
        current_user, cohort_id, page=request.args.get("page", 1, type=int), stage=request.args.get("stage")
    )
    return render_template("lead/cohort.html", page=page)


def _id(value: str | None) -> int | None:
    """A chosen id; anything that is not a number becomes 0, which no row has, so the service says so."""
    if not value:
        return None
    return int(value) if value.isdigit() else 0


def _enrol_form() -> EnrolForm:
    form = EnrolForm(cohort=request.args.get("cohort", ""))
    people = lead_pages.people(current_user, "learner")
    form.learner.choices = [(str(u.id), f"{u.full_name} ({u.employee_number})") for u in people]
    form.pathway_key.choices = _programme_choices()
    form.cohort.choices = [("", "No cohort")] + [(str(c.id), c.name) for c in lead_pages.cohort_choices(current_user)]
    preceptors = lead_pages.people(current_user, "preceptor")
    held = preceptor_rules.caseloads(current_user.organisation_id)  # eligibility needs the learner: see assign
    form.preceptor.choices = [("", "Assign later")] + [
        (str(u.id), f"{u.full_name} – {caseload_text(held.get(u.id, 0), None)}") for u in preceptors
    ]
    return form


@bp.route("/enrol", methods=["GET", "POST"])
def enrol():
    form = _enrol_form()
    outcome = submit(
        form,
        lambda: enrolments.enrol(
            current_user,
            learner_id=_id(form.learner.data),
            pathway_key=form.pathway_key.data,
            start_date=form.start_date.data,
            cohort_id=_id(form.cohort.data),
            preceptor_id=_id(form.preceptor.data),
        ),
    )
    if outcome.done:
        flash(f"{outcome.result.learner.full_name} has been enrolled")
        return redirect(url_for("lead.enrolment", enrolment_id=outcome.result.id))
    back = url_for("lead.cohorts_list")
    return render_form(
        "form_page.html", form, outcome.errors, title="Enrol a learner", submit="Enrol learner", back=back
    )


@bp.get("/programmes")
def programmes():
    return render_template("lead/programmes.html", definitions=lead_pages.programmes())


@bp.get("/programmes/<key>")
def programme(key: str):
    definition, counts = lead_pages.stage_counts(current_user, key)
    diagram = Markup(render_svg(definition, counts))  # built by our own code, every text escaped inside
    return render_template("lead/programme.html", definition=definition, counts=counts, diagram=diagram)


@bp.get("/enrolments/<int(max=2147483647):enrolment_id>")
def enrolment(enrolment_id: int):
    return _enrolment_page(enrolment_id)


def _enrolment_page(enrolment_id: int, refused: list[str] | None = None):
    page = lead_enrolment_pages.lead_enrolment(current_user, enrolment_id)
    return render_template("lead/enrolment.html", page=page, item=page.assessed, refused=refused), (
        409 if refused else 200
    )


@bp.post("/enrolments/<int(max=2147483647):enrolment_id>/advance")
def advance(enrolment_id: int):
    return advance_learner(enrolment_id, _enrolment_page, "lead.enrolment")


@bp.route("/enrolments/<int(max=2147483647):enrolment_id>/preceptor", methods=["GET", "POST"])
def assign(enrolment_id: int):
    page = lead_enrolment_pages.lead_enrolment(current_user, enrolment_id)
    role = page.assessed.definition.preceptor_title
    rows, limit = preceptor_rules.assignment_choices(current_user, page.assessed.enrolment)
    form = AssignForm()
    form.preceptor.label.text = role.capitalize()
    form.preceptor.choices = [(str(row.user.id), choice_text(row, limit)) for row in rows]
    given = values(form)
    outcome = submit(
        form,
        lambda: enrolments.assign_preceptor(
            current_user, enrolment_id, _id(form.preceptor.data), given["reason"], given["override_reason"]
        ),
    )
    if outcome.done:
        flash(f"{role.capitalize()} assigned")
        return redirect(url_for("lead.enrolment", enrolment_id=enrolment_id))
    return render_form(
        "lead/assign.html",
        form,
        outcome.errors,
        title=f"Assign {with_article(role)}",
        caption=page.assessed.enrolment.learner.full_name,
        submit=f"Assign {role}",
        back=url_for("lead.enrolment", enrolment_id=enrolment_id),
        rows=rows,
        limit=limit,
        role=role,
        caseload_text=caseload_text,
    )


@bp.route(
    "/enrolments/<int(max=2147483647):enrolment_id>/<any(hold, resume, extend, withdraw, reinstate):action>",
    methods=["GET", "POST"],
)
def change_status(enrolment_id: int, action: str):
    page = lead_enrolment_pages.lead_enrolment(current_user, enrolment_id)
    form = ExtendForm() if action == "extend" else StatusForm()
    outcome = submit(
        form,
        lambda: transitions.transition(
            current_user, enrolment_id, action, reason=values(form)["reason"], new_end=form.data.get("new_end")
        ),
        refused_field="reason",
    )
    if outcome.done:
        flash(ACTION_TEXT[action][1])
        return redirect(url_for("lead.enrolment", enrolment_id=enrolment_id))
    return render_form(
        "form_page.html",
        form,
        outcome.errors,
        title=ACTION_TEXT[action][0],
        caption=page.assessed.enrolment.learner.full_name,
        submit=ACTION_TEXT[action][0],
        back=url_for("lead.enrolment", enrolment_id=enrolment_id),
    )


@bp.get("/enrolments/<int(max=2147483647):enrolment_id>/audit")
def audit(enrolment_id: int):
    enrolment, lines = lead_enrolment_pages.audit_trail(current_user, enrolment_id)
    return render_template("lead/audit.html", enrolment=enrolment, lines=lines)
