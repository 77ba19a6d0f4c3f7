"""Jinja filters for UK dates and shared template values."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Any
from urllib.parse import quote

from flask import Flask, url_for
from markupsafe import Markup, escape

from app.page_header import component, page_header
from app.services.clock import LONDON
from app.services.hours import ACTIVITY_TYPES
from app.services.outcomes import post_needed
from app.services.records import CHECK_TITLES
from app.services.reviews import OUTCOMES
from pathways.national_guards import POST_NOT_RECORDED
from pathways.professions import profession_title, professions, with_article


def uk_date(value: date | datetime | None) -> str:
    """24 November 2026, as GOV.UK and NHS.UK write dates."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        # every stored time is UTC; SQLite gives it back without its zone
        value = (value if value.tzinfo else value.replace(tzinfo=UTC)).astimezone(LONDON)
        return f"{value.day} {value:%B %Y, %H:%M}"
    return f"{value.day} {value:%B %Y}"


def error_list(errors: dict[str, str]) -> list[dict[str, str]]:
    """Field errors as the NHS error summary wants them, each linking to its field."""
    return [{"text": message, "href": f"#{name}"} for name, message in errors.items()]


def hours(value: object) -> str:
    """30, 64.1, 1.5: hours without trailing zeros."""
    return f"{float(value or 0):.2f}".rstrip("0").rstrip(".")


NAVIGATION = {
    "learner": [("learner.home", "Your programmes"), ("calendar.calendar_page", "Meetings")],
    "preceptor": [
        ("preceptor.caseload", "Your learners"),
        ("preceptor.queue", "Sign-off queue"),
        ("calendar.calendar_page", "Meetings"),
    ],
    "lead": [
        ("lead.home", "Home"),
        ("lead.cohorts_list", "Cohorts"),
        ("lead.programmes", "Programmes"),
        ("lead.enrol", "Enrol a learner"),
        ("importing.upload", "Import"),
        ("reporting.cohorts", "Reports"),
        ("people.users", "People"),
        ("protected_time.preceptors", "Preceptor time"),
        ("calendar.calendar_page", "Meetings"),
    ],
}
NAVIGATION["admin"] = [
    *NAVIGATION["lead"],
    ("people.site_list", "Sites"),
    ("settings.index", "Settings"),
    ("notifications.outbox", "Undelivered reminders"),
    ("sso.settings", "Single sign-on"),
    ("two_factor.policy", "Two-factor"),
]


def navigation(role: str, endpoint: str | None) -> list[dict[str, object]]:
    """The header links for a role, the current page marked."""
    return [
        {"href": url_for(name), "text": text, "current": name == endpoint} for name, text in NAVIGATION.get(role, [])
    ]


def nhs_choice(choice: tuple[str, str], selected: str, key: str = "selected") -> dict[str, object]:
    """A WTForms choice as an NHS select or radios item."""
    value, text = choice[0], choice[1]
    return {"value": value, "text": text, key: str(value) == selected}


RAG_COLOURS = {"red": "red", "amber": "yellow", "green": "green"}
RAG_WORDS = {"red": "Red", "amber": "Amber", "green": "Green"}
ID_MARK = 2147483647  # the largest id a route takes: stands for the id in a link's pattern


def rag_tag(status: Any) -> Markup:
    """The NHS tag for a red/amber/green status (anything with ``rag`` and ``reason``), its markup written
    out: a macro per row costs more than the rest of a long list."""
    colour = RAG_COLOURS.get(status.rag, "grey")
    return Markup(
        f'<strong class="nhsuk-tag nhsuk-tag--{colour}">{escape(RAG_WORDS.get(status.rag, status.reason))}</strong>'
    )


def link_for(endpoint: str, key: str, **fixed: Any) -> Callable[[object], str]:
    """``url_for(endpoint, key=value, **fixed)`` for many values (ids, or keys of letters, digits, ``-`` and
    ``_``): the route built once, each value put in its place."""
    before, after = url_for(endpoint, **fixed, **{key: ID_MARK}).split(str(ID_MARK), 1)
    return lambda value: f"{before}{value if type(value) is int else quote(str(value), safe='')}{after}"


def register(app: Flask) -> None:
    app.add_template_filter(nhs_choice, "nhs_choice")
    app.add_template_filter(hours, "hours")
    app.add_template_filter(lambda text: {"text": text}, "summary_item")
    app.add_template_global(ACTIVITY_TYPES, "activity_types")
    app.add_template_global(OUTCOMES, "outcomes")
    app.add_template_global(CHECK_TITLES, "check_titles")
    app.add_template_global(post_needed, "post_needed")
    app.add_template_global(
        lambda definition, name: any(g.name == name for t in definition.transitions for g in t.guards), "has_guard"
    )
    app.add_template_global(POST_NOT_RECORDED, "post_not_recorded")
    app.add_template_global(navigation, "navigation")
    app.add_template_test(lambda collection, item: item in collection, "contains")
    app.add_template_filter(uk_date, "uk_date")
    app.add_template_filter(profession_title, "profession_title")
    app.add_template_filter(with_article, "with_article")
    app.add_template_global(professions, "professions")
    app.add_template_global(error_list, "error_list")
    app.add_template_global(page_header, "page_header")
    app.add_template_global(component, "component")
    app.add_template_global(rag_tag, "rag_tag")
    app.add_template_global(link_for, "link_for")
