"""Small helpers shared by the API's views."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from http import HTTPStatus

from app.api import bp
from app.api.schemas import ErrorSchema
from app.services.errors import ValidationFailed
from app.services.listings import Page


def errors(*codes: int) -> Callable:
    """Document the error responses a view can give, in the one error shape (401 on every view)."""

    def decorate(view: Callable) -> Callable:
        for code in sorted({401, 429, *codes}):
            view = bp.alt_response(code, schema=ErrorSchema, description=HTTPStatus(code).phrase)(view)
        return view

    return decorate


def page_dict(page: Page, items: list | None = None) -> dict:
    return {
        "items": page.items if items is None else items,
        "page": page.page,
        "per_page": page.per_page,
        "total": page.total,
    }


@contextmanager
def body_field_names(names: dict[str, str]) -> Iterator[None]:
    """Name a service's problems after the request body's fields (``cohort`` -> ``cohort_id``)."""
    try:
        yield
    except ValidationFailed as error:
        renamed = {names.get(k, k): v for k, v in error.fields.items()}
        raise type(error)(renamed, error.message) from None  # a StateConflict stays a 409
