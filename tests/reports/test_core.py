"""The pure core: DataFrames in, DataFrames out, no database."""

from __future__ import annotations

from datetime import date

import pandas as pd

from pathways import load_catalogue
from reports.cohort import Frames, build, measures

CATALOGUE = load_catalogue()
D = pd.Timestamp


def frames(events: list[tuple], as_of: date = date(2026, 6, 1)) -> Frames:
    """One care development placement (6 months) learner starting 1 January 2026."""
    enrolments = pd.DataFrame([{
        "id": 1, "settings_version_id": None, "organisation": "trust-z", "pathway": "care-development-placement",
        "pathway_version": 1, "cohort": "January 2026", "cohort_start": D("2026-01-01"), "site": "Main",
        "profession": "healthcare_support_worker", "start_date": D("2026-01-01"),
        "contracted_hours": None, "prior_learning_hours": 0.0,
    }])  # fmt: skip
    event_frame = pd.DataFrame(
        [(n, 1, *e) for n, e in enumerate(events, 1)],
        columns=["id", "enrolment_id", "action", "to_stage", "to_state", "effective_on", "new_end"],
    )
    empty = pd.DataFrame({"enrolment_id": pd.Series(dtype="int64"), "slot": pd.Series(dtype="object")})
    hours = pd.DataFrame({"enrolment_id": [1], "hours": [12.5]})
    cohorts = enrolments[["organisation", "pathway", "cohort", "cohort_start"]]
    return Frames(as_of, enrolments, cohorts, event_frame, empty, hours, {})


ENROL = ("enrol", "placement", "active", D("2026-01-01"), pd.NaT)


def test_a_hold_moves_the_expected_end_and_is_not_counted_in_days_to_complete():
    per = measures(frames([
        ENROL,
        ("hold", "placement", "on_hold", D("2026-02-01"), pd.NaT),
        ("resume", "placement", "active", D("2026-02-11"), pd.NaT),
        ("advance", "completed", "completed", D("2026-07-11"), pd.NaT),
    ], as_of=date(2026, 8, 1)), CATALOGUE.get).iloc[0]  # fmt: skip
    assert per["expected_end"] == D("2026-07-11")  # 1 July + 10 days held
    assert per["completed_on_time"] == 1  # completed exactly on the expected end
    assert per["days_to_complete"] == 181  # 191 calendar days less 10 on hold


def test_an_open_hold_counts_up_to_the_as_of_date():
    per = measures(frames([ENROL, ("hold", "placement", "on_hold", D("2026-05-01"), pd.NaT)]), CATALOGUE.get)
    assert per.iloc[0]["state"] == "on_hold"
    assert per.iloc[0]["days_on_hold"] == 31  # 1 May to 1 June
    assert per.iloc[0]["expected_end"] == D("2026-08-01")


def test_an_extension_only_counts_once_agreed():
    extension = ("extend", "placement", "active", D("2026-05-20"), D("2026-09-30"))
    before = measures(frames([ENROL], as_of=date(2026, 5, 19)), CATALOGUE.get)  # the edge drops later events
    after = measures(frames([ENROL, extension], as_of=date(2026, 6, 1)), CATALOGUE.get)
    assert before.iloc[0]["expected_end"] == D("2026-07-01")
    assert after.iloc[0]["expected_end"] == D("2026-09-30")


def test_build_gives_the_contract_columns():
    views = build(frames([ENROL, ("withdraw", "placement", "withdrawn", D("2026-03-01"), pd.NaT)]), CATALOGUE.get)
    row = views["cohort"].iloc[0]
    assert (row["enrolled"], row["withdrawn"], row["active"], row["hours_logged"]) == (1, 1, 0, 12.5)
    assert pd.isna(row["on_time_rate"]) and pd.isna(row["median_days_to_complete"])
    assert set(views) == {"cohort", "site", "profession", "stage"}
