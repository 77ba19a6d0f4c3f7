"""Jinja filters for UK dates and shared template values."""

from __future__ import annotations

from datetime import date, datetime

from flask import Flask

from app.services.clock import LONDON


def uk_date(value: date | datetime | None) -> str:
    """24 November 2026, as GOV.UK and NHS.UK write dates."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = value.astimezone(LONDON) if value.tzinfo else value
        return f"{value.day} {value:%B %Y, %H:%M}"
    return f"{value.day} {value:%B %Y}"


def error_list(errors: dict[str, str]) -> list[dict[str, str]]:
    """Field errors as the NHS error summary wants them, each linking to its field."""
    return [{"text": message, "href": f"#{name}"} for name, message in errors.items()]


def register(app: Flask) -> None:
    app.add_template_filter(uk_date, "uk_date")
    app.add_template_global(error_list, "error_list")
