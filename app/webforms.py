"""Form pieces shared by the role blueprints: the NHS date input, role gates and error collection."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import Field, HiddenField
from wtforms.validators import InputRequired, ValidationError

from app.extensions import db
from app.security import is_fresh
from app.services import enrolments
from app.services.errors import TransitionRefused, ValidationFailed


class NHSDateField(Field):
    """Three boxes (day, month, year) named ``name[day]`` etc., as the NHS date input pattern has them."""

    def __init__(self, label: str = "", validators: Any = None, required: str = "", **kwargs: Any) -> None:
        super().__init__(label, validators, **kwargs)
        self.required_message = required
        self.parts: dict[str, str] = {"day": "", "month": "", "year": ""}

    def process(self, formdata: Any, data: Any = None, extra_filters: Any = None) -> None:  # noqa: ARG002
        self.process_errors = []
        self.data = data if isinstance(data, date) else None
        if self.data is not None:
            self.parts = {"day": str(data.day), "month": str(data.month), "year": str(data.year)}
        if not formdata:
            return
        self.parts = {part: formdata.get(f"{self.name}[{part}]", "").strip() for part in self.parts}
        if not any(self.parts.values()):
            return
        try:
            self.data = date(int(self.parts["year"]), int(self.parts["month"]), int(self.parts["day"]))
        except (ValueError, OverflowError):  # int() takes any number of digits; date() overflows past C long
            self.process_errors.append("Enter a real date, like 24 11 2026")

    def pre_validate(self, form: FlaskForm) -> None:  # noqa: ARG002
        if self.data is None and not self.process_errors and self.required_message:
            raise ValidationError(self.required_message)

    def nhs_values(self) -> dict[str, str]:
        return self.parts


def values(form: FlaskForm) -> dict[str, Any]:
    """The form's data for a service call: text fields never None, no CSRF token."""
    text = ("StringField", "TextAreaField", "HiddenField")
    return {
        name: ("" if field.data is None and field.type in text else field.data)
        for name, field in form._fields.items()
        if name != "csrf_token"
    }


def field_errors(form: FlaskForm) -> dict[str, str]:
    """The first problem of each field, in the order the fields appear."""
    return {name: field.errors[0] for name, field in form._fields.items() if field.errors}


@dataclass
class Submission:
    """What became of a posted form: done with the service's result, or the problems to show."""

    done: bool = False
    result: Any = None
    errors: dict[str, str] = field(default_factory=dict)


def submit(form: FlaskForm, action: Callable[[], Any], *, refused_field: str | None = None) -> Submission:
    """Validate the form, then call the service; a refusal becomes field problems, nothing is written.

    With ``refused_field``, the engine's reasons for refusing a transition are shown against that field.
    """
    if not form.validate_on_submit():
        return Submission(errors=field_errors(form))
    try:
        return Submission(done=True, result=action())
    except ValidationFailed as failure:
        return Submission(errors=merge_failure(form, failure))
    except TransitionRefused as refusal:
        if refused_field is None:
            raise
        db.session.rollback()
        return Submission(errors={refused_field: "; ".join(refusal.reasons)})


def merge_failure(form: FlaskForm, failure: ValidationFailed) -> dict[str, str]:
    """A service's field problems, with names the form does not have shown against its first field.

    A service may refuse after adding rows to the session (enrol flushes before checking the
    preceptor); rolling back here means re-rendering the page cannot flush them.
    """
    db.session.rollback()
    names = [name for name in form._fields if name != "csrf_token"]
    errors: dict[str, str] = {}
    for name, message in failure.fields.items():
        errors[name if name in form._fields or not names else names[0]] = message
    return errors


def anchor(form: FlaskForm, name: str) -> str:
    """Where the error summary link for a field should land."""
    field = form._fields.get(name)
    if field is None:
        return "#maincontent"
    if isinstance(field, NHSDateField):
        return f"#{name}-day"
    return f"#{name}"


def summary(form: FlaskForm, errors: dict[str, str]) -> list[dict[str, str]]:
    return [{"text": message, "href": anchor(form, name)} for name, message in errors.items()]


def role_gate(*roles: str) -> Callable[[], Any]:
    """A ``before_request`` that signs people in and keeps each role to its own pages."""

    def gate() -> Any:
        if not current_user.is_authenticated:
            return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))
        if current_user.role not in roles:
            abort(403)
        return None

    return gate


class AdvanceForm(FlaskForm):
    """The stage a preceptor or lead moves a learner to (one button per allowed stage)."""

    to = HiddenField(validators=[InputRequired("Choose the stage to move to")])


def advance_learner(enrolment_id: int, page: Callable[[int, list[str]], Any], done_endpoint: str) -> Any:
    """Move a learner to the stage the posted form names, or show the page again with every reason why not."""
    form = AdvanceForm()
    if not form.validate_on_submit():
        return page(enrolment_id, ["Choose the stage to move to"])
    try:
        enrolments.transition(current_user, enrolment_id, "advance", to=form.to.data)
    except TransitionRefused as refusal:
        return page(enrolment_id, refusal.reasons)
    flash("The learner has moved to the next stage")
    return redirect(url_for(done_endpoint, enrolment_id=enrolment_id))


def require_fresh(next_url: str) -> Any:
    """Before signing off or exporting: confirm the password again when the sign-in is not recent."""
    if is_fresh(current_app):
        return None
    return redirect(url_for("auth.reauthenticate", next=next_url))


def render_form(template: str, form: FlaskForm, errors: dict[str, str] | None = None, **context: Any):
    """Render a form page; a page showing problems answers 400 so nothing looks saved."""
    errors = errors or {}
    return render_template(template, form=form, errors=errors, error_items=summary(form, errors), **context), (
        400 if errors else 200
    )
