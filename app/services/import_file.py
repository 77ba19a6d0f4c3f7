"""The learner import file (CONTRACT.md): columns, rows and dates read, and what an import would do."""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from app.models import User

COLUMNS = (
    "employee_number",
    "first_name",
    "last_name",
    "email",
    "role",
    "site",
    "profession",
    "band",
    "pathway",
    "cohort",
    "start_date",
    "preceptor_employee_number",
)
REQUIRED = ("employee_number", "email")
_ISO = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_UK = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")


@dataclass
class Row:
    number: int  # the line number a spreadsheet shows, the header being row 1
    values: dict[str, str]


@dataclass
class PersonChange:
    row: int
    employee_number: str
    action: str  # create | update | unchanged
    values: dict[str, Any]
    existing: User | None = None


@dataclass
class NewEnrolment:
    row: int
    employee_number: str
    pathway: str
    start_date: date
    cohort: str
    preceptor_employee_number: str


@dataclass
class Plan:
    """What an import would do, or every problem that stops it."""

    problems: list[str] = field(default_factory=list)
    people: list[PersonChange] = field(default_factory=list)
    enrolments: list[NewEnrolment] = field(default_factory=list)
    new_cohorts: dict[str, tuple[str, date]] = field(default_factory=dict)
    already_enrolled: int = 0
    ignored_columns: list[str] = field(default_factory=list)

    def summary(self) -> dict[str, int]:
        count = lambda action: sum(1 for p in self.people if p.action == action)  # noqa: E731
        return {
            "rows": len(self.people),
            "people_created": count("create"),
            "people_updated": count("update"),
            "people_unchanged": count("unchanged"),
            "enrolments_created": len(self.enrolments),
            "already_enrolled": self.already_enrolled,
            "cohorts_created": len(self.new_cohorts),
        }


def parse(data: bytes) -> tuple[list[Row], Plan]:
    """Rows keyed by column name; a plan holding file-level problems (bad encoding, missing columns)."""
    plan = Plan()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        plan.problems.append(f"row {line}: file: this is not UTF-8 text; save the file as 'CSV UTF-8'")
        return [], plan
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        return _read(reader, plan)
    except csv.Error as error:
        plan.problems.append(f"row {reader.line_num}: file: {_unreadable(error)}")
        return [], plan


def _unreadable(error: csv.Error) -> str:
    """What the CSV reader could not read, in words; its field limit is the usual one, from an unclosed quote."""
    if "field limit" in str(error):
        return (
            f"a value in this row is longer than {csv.field_size_limit() // 1024} KB; "
            'check that every quote (") in the file is closed'
        )
    return f"this row cannot be read as CSV ({error}); save the file as 'CSV UTF-8' and try again"


def _read(reader: Any, plan: Plan) -> tuple[list[Row], Plan]:
    """The header's problems, then the rows; the CSV reader raises csv.Error on what it cannot read."""
    header = [name.strip().lower() for name in next(reader, [])]
    if not any(header):
        plan.problems.append("row 1: file: the file is empty; the first row must name the columns")
        return [], plan
    seen: set[str] = set()
    for name in header:
        if name in seen:
            plan.problems.append(f"row 1: {name}: this column appears more than once")
        seen.add(name)
    plan.problems += [f"row 1: {name}: this required column is missing" for name in REQUIRED if name not in header]
    plan.ignored_columns = [name for name in header if name not in COLUMNS and name]
    rows = []
    for number, cells in enumerate(reader, start=2):  # a spreadsheet's row, even when a cell holds a line break
        if not any(cell.strip() for cell in cells):
            continue
        if len(cells) > len(header):
            plan.problems.append(f"row {number}: file: this row has more values than there are columns")
            continue
        values = {name: cells[i].strip() if i < len(cells) else "" for i, name in enumerate(header)}
        rows.append(Row(number, {name: values.get(name, "") for name in COLUMNS}))
    if not rows and not plan.problems:
        plan.problems.append("row 2: file: there are no learners in the file")
    return rows, plan


def parse_date(text: str) -> date:
    """YYYY-MM-DD or DD/MM/YYYY; ValueError says what is wrong in words."""
    if match := _ISO.match(text):
        year, month, day = (int(g) for g in match.groups())
    elif match := _UK.match(text):
        day, month, year = (int(g) for g in match.groups())
    else:
        raise ValueError(f"'{text}' is not a date; write it as YYYY-MM-DD or DD/MM/YYYY")
    try:
        return date(year, month, day)
    except ValueError:
        raise ValueError(f"'{text}' is not a real date") from None
