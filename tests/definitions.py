"""Edited copies of the shipped definition files, and a catalogue that reads them instead."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from app.services import catalogue
from pathways import loader
from pathways.loader import DEFINITIONS_DIR

# Preceptorship v1 edited so that starting the supernumerary period also needs a cleared DBS check.
BEFORE = 'guards = ["has_preceptor", "profession_group:nursing|midwifery|nursing_associate"]'
AFTER = 'guards = ["has_preceptor", "check_cleared:dbs", "profession_group:nursing|midwifery|nursing_associate"]'


def edited_definitions(tmp_path: Path, name: str = "preceptorship.v2.toml", before: str = BEFORE,
                       after: str = AFTER) -> Path:  # fmt: skip
    """A copy of the definitions directory with one replacement made in one file."""
    directory = tmp_path / "definitions"
    shutil.copytree(DEFINITIONS_DIR, directory)
    path = directory / name
    text = path.read_text(encoding="utf-8")
    assert before in text
    path.write_text(text.replace(before, after, 1), encoding="utf-8")
    return directory


def read_definitions_from(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch, directory: Path) -> None:
    """Point the loader at ``directory`` for this test, as a deployment whose files were edited would be."""
    monkeypatch.setattr(loader, "DEFINITIONS_DIR", directory)
    catalogue.catalogue.cache_clear()
    request.addfinalizer(catalogue.catalogue.cache_clear)
