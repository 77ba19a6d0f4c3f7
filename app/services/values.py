"""Raw values checked once, for every caller: types, bounds, dates in range, text a database and an
email header can carry. Each check adds a problem for its field rather than raising, so a command
reports every problem at once."""

from __future__ import annotations

import math
import unicodedata
from datetime import date
from decimal import Decimal, InvalidOperation

from flask import current_app

from app.services.clock import today
from pathways import DateRange, format_date
from pathways.professions import profession_key, unknown_profession

Problems = dict[str, str]
LINE_BREAKS_ALLOWED = {"\n", "\r", "\t"}


def date_range() -> DateRange:
    """The accepted range: from ``DATE_EARLIEST`` to ``DATE_YEARS_AHEAD`` years after today."""
    now = today()
    latest_year = min(now.year + int(current_app.config.get("DATE_YEARS_AHEAD", 5)), 9999)
    latest = now.replace(year=latest_year) if not (now.month == 2 and now.day == 29) else date(latest_year, 2, 28)
    return DateRange(date.fromisoformat(current_app.config.get("DATE_EARLIEST", "1950-01-01")), latest)


def check_date(problems: Problems, field: str, value: object, *, required: str = "") -> date | None:
    """A date in the accepted range, or a problem for ``field``; None is allowed unless ``required``."""
    if value is None or value == "":
        if required:
            problems[field] = required
        return None
    if not isinstance(value, date):
        problems[field] = "Enter a real date, like 24 11 2026"
        return None
    if problem := date_range().problem(value):
        problems[field] = problem
        return None
    return value


def after_today_problem(day: date, today_: date) -> str | None:
    """Why a date of something that has already happened (a birth, a registration) cannot be ``day``."""
    return f"{format_date(day)} is after today; enter the date it happened" if day > today_ else None


def check_past_date(problems: Problems, field: str, value: object) -> date | None:
    """A date in the accepted range that is not after today, or a problem for ``field``."""
    day = check_date(problems, field, value)
    if day is not None and (problem := after_today_problem(day, today())):
        problems[field] = problem
        return None
    return day


def text_problem(value: str, *, single_line: bool) -> str | None:
    """Why this text cannot be stored or put in an email header, if it cannot."""
    for character in value:
        if 0xD800 <= ord(character) <= 0xDFFF:
            return "Remove the character that cannot be shown (an unpaired surrogate)"
        if unicodedata.category(character) == "Cc" and (single_line or character not in LINE_BREAKS_ALLOWED):
            return "Remove the line breaks and control characters" if single_line else "Remove the control characters"
    return None


def check_text(
    problems: Problems, field: str, value: object, *, max_length: int, single_line: bool = False, required: str = ""
) -> str:
    """Text with surrounding space removed, or a problem for ``field`` (and an empty string)."""
    if value is None:
        value = ""
    if not isinstance(value, str):
        problems[field] = "Enter text"
        return ""
    stripped = value.strip()
    if problem := text_problem(stripped, single_line=single_line):
        problems[field] = problem
    elif len(stripped) > max_length:
        problems[field] = f"Enter {max_length:,} characters or fewer"
    elif required and not stripped:
        problems[field] = required
    return stripped


def check_email(problems: Problems, field: str, value: object, *, required: str = "") -> str:
    """An email address as typed (trimmed), or a problem for ``field`` (and an empty string)."""
    address = check_text(problems, field, value, max_length=254, single_line=True, required=required)
    if address and ("@" not in address.strip("@") or " " in address):
        problems[field] = "Enter an email address in the correct format, like name@example.com"
    return "" if field in problems else address


def check_number(problems: Problems, field: str, value: object, *, message: str) -> Decimal | None:
    """A finite number (NaN, infinity and text that is not a number are refused with ``message``)."""
    if isinstance(value, bool) or value is None:
        problems[field] = message
        return None
    if isinstance(value, float) and not math.isfinite(value):
        problems[field] = message
        return None
    try:
        number = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        problems[field] = message
        return None
    if not number.is_finite() or abs(number) > Decimal("1e9"):
        problems[field] = message
        return None
    return number


def check_id(problems: Problems, field: str, value: object, *, message: str) -> int | None:
    """A database id a caller sent: a positive integer that fits the column."""
    if value is None or value == "":
        return None
    if isinstance(value, bool) or not isinstance(value, int | str):
        problems[field] = message
        return None
    try:
        number = int(value)
    except ValueError:
        problems[field] = message
        return None
    if not 0 < number < 2**31:
        problems[field] = message
        return None
    return number


# The Working Time Regulations 1998 cap the average working week at 48 hours; a contract above it is
# a typing slip (375 for 37.5) far more often than a real opt-out, so it is refused.
MAX_CONTRACTED_HOURS = 48


def check_contracted_hours(problems: Problems, field: str, value: object) -> float | None:
    """Contracted hours a week: a finite number above 0 and at most 48; None when not given."""
    if value is None or value == "":
        return None
    message = f"Enter the contracted hours a week as a number more than 0 and no more than {MAX_CONTRACTED_HOURS}"
    number = check_number(problems, field, value, message=message)
    if number is not None and not 0 < number <= MAX_CONTRACTED_HOURS:
        problems[field] = message
        return None
    return float(number) if number is not None else None


def check_profession(problems: Problems, field: str, value: object) -> str:
    """The vocabulary key for a key, title or ESR wording (empty stays empty); an unknown one is a problem."""
    text = check_text(problems, field, value, max_length=200, single_line=True)
    if not text or field in problems:
        return ""
    key = profession_key(text)
    if key is None:
        problems[field] = unknown_profession(text)
        return ""
    return key
