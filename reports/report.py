"""Load and build in one call: what the CLI, the web page, the API and the benchmark use."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

import pandas as pd
from sqlalchemy import Connection

from pathways import Definition
from reports import cohort, frames
from reports.frames import Filters


@dataclass(frozen=True)
class Report:
    as_of: date
    filters: Filters
    views: dict[str, pd.DataFrame]  # "cohort", "site", "profession", "stage"
    per_enrolment: pd.DataFrame


def cohort_report(
    connection: Connection, as_of: date, filters: Filters, definition_of: Callable[[str, int], Definition]
) -> Report:
    """The cohort completion report of docs/CONTRACT.md, as of a date, within the filters.

    ``definition_of`` finds each enrolment's pinned copy by key and version, not the file on disk
    (``app.services.catalogue.stored_definitions``).
    """
    loaded = frames.load(connection, as_of, filters)
    per = cohort.measures(loaded, definition_of)
    return Report(as_of, filters, cohort.build(loaded, definition_of, per), per)
