"""/admin/users: the organisation's people, a person's page, adding, disabling and re-enabling."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user

from app.auth import mail
from app.form_pages import render_form, submit
from app.people import bp
from app.people.forms import ROLE_TITLES, PersonForm
from app.services import people, sites
from app.services.errors import StateConflict
from app.services.permissions import STAFF_ONLY_ADMINS_MANAGE
from pathways.professions import profession_title


def _prepare(form: PersonForm) -> PersonForm:
    """A lead is offered only the roles a lead may give."""
    roles = [r for r in ROLE_TITLES if current_user.role == "admin" or r not in STAFF_ONLY_ADMINS_MANAGE]
    if form.role.data and form.role.data not in roles:  # shown as it is, though a lead cannot give it
        roles.append(form.role.data)
    form.role.choices = [(role, ROLE_TITLES[role]) for role in roles]
    form.site_id.choices = [("", "No site")] + [(str(site.id), site.name) for site in sites.listing(current_user)]
    return form


@bp.get("/users")
def users():
    role = request.args.get("role")
    return render_template(
        "people/users.html", people=people.listing(current_user, role=role), role=role, titles=ROLE_TITLES
    )


@bp.route("/users/new", methods=["GET", "POST"])
def new_user():
    form = _prepare(PersonForm(data={"role": "learner"}))
    outcome = submit(form, lambda: people.create(current_user, form.values()))
    if outcome.done:
        flash(f"{outcome.result.full_name} added. Send them an invitation so they can set a password.")
        return redirect(url_for("people.person", person_id=outcome.result.id))
    return render_form(
        "form_page.html", form, outcome.errors, title="Add a person", back=url_for("people.users"), submit="Add person"
    )


@bp.route("/users/<int(max=2147483647):person_id>", methods=["GET", "POST"])
def person(person_id: int):
    found = people.person_in_reach(current_user, person_id)
    form = _prepare(PersonForm(obj=found, data={"site_id": str(found.site_id or "")}))
    if not form.is_submitted():  # the stored key read as its title; the service takes either back
        form.profession.data = profession_title(found.profession)
    outcome = submit(form, lambda: people.update(current_user, person_id, form.values()))
    if outcome.done:
        flash("Changes saved" if outcome.result else "Nothing to change")
        return redirect(url_for("people.person", person_id=person_id))
    return render_form("people/person.html", form, outcome.errors, person=found, titles=ROLE_TITLES)


@bp.post("/users/<int(max=2147483647):person_id>/<any(disable, enable):change>")
def set_enabled(person_id: int, change: str):
    found = people.set_enabled(current_user, person_id, change == "enable")
    flash(
        f"{found.full_name} can sign in again"
        if found.is_enabled
        else f"{found.full_name} is disabled: "
        "they are signed out everywhere and their API tokens no longer work. Their records stay."
    )
    return redirect(url_for("people.person", person_id=person_id))


@bp.post("/users/invite")
def invite():
    """Email invitation links: from a person's page, or to everyone an import has just added."""
    ids = [int(value) for value in request.form.getlist("person_id") if value.isdigit() and int(value) < 2**31]
    back = request.form.get("back") == "person" and len(ids) == 1
    try:
        issued = people.invite(current_user, ids)
    except StateConflict as conflict:
        flash(conflict.message)
    else:
        sent = sum(mail.send(link, "invitation") for link in issued)
        flash(
            f"Invitation sent to {sent} {'person' if sent == 1 else 'people'}"
            + ("" if sent == len(issued) else f"; {len(issued) - sent} could not be sent: try again later")
        )
    return redirect(url_for("people.person", person_id=ids[0]) if back else url_for("people.users"))
