"""The text and SVG views show every stage; the SVG is well-formed and accessible."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import replace

import pytest

from pathways import render_svg, render_text
from tests.pathways.conftest import PROGRAMMES

SVG = "{http://www.w3.org/2000/svg}"


@pytest.mark.parametrize("key", PROGRAMMES)
def test_text_lists_stages_transitions_reviews_and_settings(catalogue, key) -> None:
    definition = catalogue.latest(key)
    text = render_text(definition)
    for stage in definition.stages:
        assert f"{stage.key}: {stage.title}" in text
    for transition in definition.transitions:
        assert f"{transition.source} -> {transition.to}" in text
    for setting in definition.settings:
        assert f"  {setting} = " in text
    assert "Reviews:" in text


def test_text_shows_guards_and_their_conditions(catalogue) -> None:
    text = render_text(catalogue.latest("preceptorship"))
    assert "confirmed:lead_countersignature (when standard = gold)" in text
    assert "standard = gold [str] Preceptorship standard (choices: core, gold)" in text


@pytest.mark.parametrize("key", PROGRAMMES)
def test_svg_parses_and_names_every_stage(catalogue, key) -> None:
    definition = catalogue.latest(key)
    root = ET.fromstring(render_svg(definition))
    assert root.tag == f"{SVG}svg"
    assert root.get("role") == "img"
    assert root.find(f"{SVG}title").text.startswith(definition.title)
    assert root.find(f"{SVG}desc") is not None
    texts = [t.text for t in root.iter(f"{SVG}text")]
    for stage in definition.stages:
        assert stage.title in texts
    assert len(root.findall(f"{SVG}g[@class='stage']")) == len(definition.stages)
    assert len(root.findall(f"{SVG}g[@class='transition']")) == len(definition.transitions)


def test_svg_shows_counts_when_given(catalogue) -> None:
    definition = catalogue.latest("preceptorship")
    root = ET.fromstring(render_svg(definition, {"enrolled": 1, "in_preceptorship": 12}))
    texts = [t.text for t in root.iter(f"{SVG}text")]
    assert "1 learner" in texts and "12 learners" in texts and "0 learners" in texts
    assert "In preceptorship 12" in root.find(f"{SVG}desc").text


def test_svg_escapes_text(catalogue) -> None:
    definition = replace(catalogue.latest("preceptorship"), title="A & B <test>")
    ET.fromstring(render_svg(definition))
