"""The national preceptor rules, each failing one named, at the 12-month boundary and the band order."""

from __future__ import annotations

from datetime import date

import pytest

from pathways.eligibility import Person, band_rank, national_preceptor_problems

LEARNER = Person(1, "Amara Okafor", "learner", profession="adult_nursing", band="5")


def preceptor(**changes) -> Person:
    values = dict(profession="adult_nursing", band="6", registration_date=date(2025, 3, 10),
                  preceptor_trained_on=date(2025, 6, 1))  # fmt: skip
    return Person(2, "Sarah Mitchell", "preceptor", **(values | changes))


def test_registered_12_months_before_the_assignment_is_eligible_on_the_day_and_not_the_day_before():
    assert national_preceptor_problems(preceptor(), LEARNER, date(2026, 3, 9)) == [
        "Sarah Mitchell registered on 10 March 2025, less than 12 months before 9 March 2026 "
        "(eligible from 10 March 2026)"
    ]
    assert national_preceptor_problems(preceptor(), LEARNER, date(2026, 3, 10)) == []


def test_registered_on_29_february_is_eligible_on_28_february():
    leap = preceptor(registration_date=date(2024, 2, 29), preceptor_trained_on=date(2024, 6, 1))
    assert national_preceptor_problems(leap, LEARNER, date(2025, 2, 27)) != []
    assert national_preceptor_problems(leap, LEARNER, date(2025, 2, 28)) == []


def test_every_failing_rule_is_named():
    nobody = Person(3, "Helen Ward", "preceptor", profession="physiotherapy", band="4")
    assert national_preceptor_problems(nobody, LEARNER, date(2026, 11, 25)) == [
        "Helen Ward is a physiotherapist and Amara Okafor a registered nurse (adult): not the same profession",
        "Helen Ward is on band 4, below Amara Okafor's band 5; a preceptor is on an equivalent or higher band",
        "Helen Ward's registration date is not recorded",
        "Helen Ward has no preceptor training recorded",
    ]


@pytest.mark.parametrize(
    ("mine", "theirs", "same"),
    [
        ("midwifery", "occupational_therapy", False),
        ("physiotherapy", "adult_nursing", False),
        ("adult_nursing", "child_nursing", True),  # fields of nursing share the NMC's nursing part
        ("registered_nurse", "nursing_associate", True),
        ("art_therapy", "music_therapy", True),  # one HCPC profession, the arts therapists
        ("podiatry", "physiotherapy", False),
    ],
)
def test_the_preceptor_is_in_the_learner_s_profession_group(mine, theirs, same):
    learner = Person(1, "Tom Hughes", "learner", profession=theirs, band="5")
    problems = national_preceptor_problems(preceptor(profession=mine), learner, date(2026, 11, 25))
    assert (problems == []) is same


@pytest.mark.parametrize(
    ("mine", "theirs", "eligible"),
    [("5", "5", True), ("Band 6", "5", True), ("4", "Band 5", False), ("8a", "7", True), ("7", "8A", False)],
)
def test_the_preceptor_is_on_an_equivalent_or_higher_band(mine, theirs, eligible):
    learner = Person(1, "Amara Okafor", "learner", profession="adult_nursing", band=theirs)
    assert (national_preceptor_problems(preceptor(band=mine), learner, date(2026, 11, 25)) == []) is eligible


def test_training_dated_after_the_assignment_is_not_yet_training():
    later = preceptor(preceptor_trained_on=date(2026, 12, 1))
    assert national_preceptor_problems(later, LEARNER, date(2026, 11, 25)) == [
        "Sarah Mitchell's preceptor training is recorded for 1 December 2026, after 25 November 2026"
    ]


def test_a_profession_stored_before_the_vocabulary_is_named_as_unknown():
    learner = Person(1, "Amara Okafor", "learner", profession="Registered Nurse Band 5", band="5")
    assert national_preceptor_problems(preceptor(), learner, date(2026, 11, 25)) == [
        "Amara Okafor's profession 'Registered Nurse Band 5' is not a known profession, so a preceptor in the "
        "same profession cannot be matched"
    ]


def test_bands_are_ordered_as_agenda_for_change_orders_them():
    assert [band_rank(b) for b in ("1", "band 4", "Band 8a", "8d", "9", "", "Band 10")] == [0, 3, 7, 10, 11, None, None]
