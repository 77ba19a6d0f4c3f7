"""A definition parses from text as well as from a file: how an enrolment's stored copy is read back."""

from __future__ import annotations

import pytest

from pathways import DefinitionError, load_catalogue
from pathways.loader import DEFINITIONS_DIR, checksum, load_text, parse_text


def test_a_stored_copy_parses_to_the_same_definition_as_its_file(catalogue):
    text = (DEFINITIONS_DIR / "preceptorship.v1.toml").read_text(encoding="utf-8")
    stored = load_text(text, "preceptorship.v1.toml")
    assert stored == catalogue.get("preceptorship", 1)


def test_problems_in_a_stored_copy_are_named_after_the_name_given():
    text = (DEFINITIONS_DIR / "preceptorship.v1.toml").read_text(encoding="utf-8")
    broken = text.replace('to = "final_review"', 'to = "final_reveiw"', 1)
    definition, problems = parse_text(broken, "preceptorship.v1.toml (stored copy)")
    assert definition is None
    assert "preceptorship.v1.toml (stored copy): transitions[3].to: unknown stage 'final_reveiw'" in map(str, problems)
    assert all(p.file == "preceptorship.v1.toml (stored copy)" for p in problems)
    with pytest.raises(DefinitionError):
        load_text("key = ", "demo.v1.toml (stored copy)")


def test_the_catalogue_keeps_the_text_each_definition_was_read_from(tmp_path):
    for path in DEFINITIONS_DIR.glob("*.toml"):
        (tmp_path / path.name).write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    text = (tmp_path / "preceptorship.v1.toml").read_text(encoding="utf-8")
    loaded = load_catalogue(tmp_path)
    assert loaded.text("preceptorship", 1) == text
    assert checksum(loaded.text("preceptorship", 1)) == checksum(text)
    assert checksum(text + "\n# a comment") != checksum(text)
