"""Dates and counts in words, UK style, for every reason the engine gives."""

from __future__ import annotations

from datetime import date

MONTHS = (
    "",
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def format_date(day: date) -> str:
    """UK style, no leading zero: 3 March 2027 (English month names whatever the locale, and fast)."""
    return f"{day.day} {MONTHS[day.month]} {day.year}"


def plural(n: float, noun: str) -> str:
    return f"{n:g} {noun}" if n == 1 else f"{n:g} {noun}s"
