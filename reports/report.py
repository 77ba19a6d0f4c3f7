"""Load and build in one call: what the CLI, the web page, the API and the benchmark use."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pandas as pd
from sqlalchemy import Connection

from app.services.catalogue import stored_definitions
from reports import cohort, frames
from reports.frames import Filters


@dataclass(frozen=True)
class Report:
    as_of: date
    filters: Filters
    views: dict[str, pd.DataFrame]  # "cohort", "site", "profession", "stage"
    per_enrolment: pd.DataFrame


def cohort_report(connection: Connection, as_of: date, filters: Filters) -> Report:
    """The cohort completion report of docs/CONTRACT.md, as of a date, within the filters."""

    loaded = frames.load(connection, as_of, filters)
    definition_of = stored_definitions(connection)  # each enrolment's pinned copy, not the file on disk
    per = cohort.measures(loaded, definition_of)
    return Report(as_of, filters, cohort.build(loaded, definition_of, per), per)
