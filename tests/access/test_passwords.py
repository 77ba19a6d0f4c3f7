"""The password policy: 12 characters, no composition rules, zxcvbn score 3 or more, not a common password."""

from __future__ import annotations

import pytest

from app.services.passwords import COMMON_PASSWORDS, password_problem

NORTHGATE = ["northgate", "teaching", "hospitals"]


@pytest.mark.parametrize(
    ("password", "context"),
    [
        ("Northgate2026!", NORTHGATE),  # the trust's own name and the year
        ("qwertyuiop123", []),  # a keyboard walk
        ("password1234", []),
        ("aaaaaaaaaaaaaaaa", []),
        ("siobhanoneill1", ["siobhan", "oneill", "siobhanoneill"]),  # the person's own name
        ("1qaz2wsx3edc", []),
    ],
)
def test_easy_passwords_are_refused(password, context):
    assert password_problem(password, context=context) == (
        "This password is too common or easy to guess. Try 3 or 4 unrelated words"
    )


@pytest.mark.parametrize(
    "password",
    [
        "plum orchard lantern quietly",
        "correct horse battery staple",
        "allotment kettle jigsaw",
        "a" + "b c d e f " * 10,
    ],
)
def test_passphrases_of_any_shape_are_accepted(password):
    assert password_problem(password) is None


def test_no_composition_rules_lowercase_words_alone_are_fine():
    assert password_problem("velvet turnip harbour") is None


def test_length_bounds():
    assert password_problem("tiny words") == "Your password must be at least 12 characters"
    assert password_problem("x" * 129) == "Your password must be 128 characters or fewer"


def test_the_common_list_is_the_one_shipped_in_the_package():
    assert len(COMMON_PASSWORDS) >= 30_000 - 100 and "iloveyou" in COMMON_PASSWORDS
