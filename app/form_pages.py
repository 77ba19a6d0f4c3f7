"""Posting a form to a service and drawing it again with the problems: the pattern every form view follows."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from flask import render_template
from flask_wtf import FlaskForm

from app.form_fields import NHSDateField
from app.services.errors import Conflict, TransitionRefused, Unavailable, ValidationFailed


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


class FormProblems(dict[str, str]):
    """Field problems, with the status the page answers: 400, or 503 when a store was down."""

    def __init__(self, problems: dict[str, str], status: int = 400) -> None:
        super().__init__(problems)
        self.status = status


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
    names = [name for name in form._fields if name != "csrf_token"]
    try:
        return Submission(done=True, result=action())
    except ValidationFailed as failure:
        return Submission(errors=merge_failure(form, failure))
    except TransitionRefused as refusal:
        return Submission(errors={refused_field or names[0]: "; ".join(refusal.reasons)})
    except Conflict as conflict:
        return Submission(errors={names[0]: conflict.message})
    except Unavailable as down:  # what they typed is shown again; only the files need choosing again
        return Submission(errors=FormProblems({names[0]: down.message}, status=down.status))


def merge_failure(form: FlaskForm, failure: ValidationFailed) -> dict[str, str]:
    """A service's field problems, with names the form does not have shown against its first field."""
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


def render_form(template: str, form: FlaskForm, errors: dict[str, str] | None = None, **context: Any):
    """Render a form page; a page showing problems answers 400 so nothing looks saved."""
    errors = errors or {}
    return render_template(template, form=form, errors=errors, error_items=summary(form, errors), **context), (
        (errors.status if isinstance(errors, FormProblems) else 400) if errors else 200
    )
