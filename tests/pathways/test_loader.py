"""The loader refuses each kind of broken definition, naming the file and the key."""

from __future__ import annotations

from pathlib import Path

import pytest

from pathways import DefinitionError, load_catalogue, load_file, validate_file
from pathways.loader import DEFINITIONS_DIR

VALID = """\
key = "demo"
version = 1
title = "Demo"
summary = "A demonstration programme."

[duration]
setting = "duration_months"

[confirmations]
signed = "Final sign-off"

[[stages]]
key = "start"
title = "Start"
description = "First stage."

[[stages]]
key = "middle"
title = "Middle"
description = "Second stage."

[[stages]]
key = "completed"
title = "Completed"
description = "Done."

[[transitions]]
from = "start"
to = "middle"
label = "Go on"
guards = ["has_preceptor"]

[[transitions]]
from = "middle"
to = "completed"
label = "Finish"
guards = ["confirmed:signed", "competencies_signed:skills"]

[[competency_groups]]
key = "skills"
title = "Skills"
noun = "skills"
[[competency_groups.variants]]
items = [{ key = "a", title = "A" }, { key = "b", title = "B" }]

[settings.duration_months]
title = "Programme length in months"
type = "int"
default = 6
min = 1
max = 12
"""

EXTRA_STAGE = """
[[stages]]
key = "{key}"
title = "Extra"
description = "An extra stage."
"""


def write(tmp_path: Path, text: str, name: str = "demo.v1.toml") -> Path:
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def problems(tmp_path: Path, text: str, name: str = "demo.v1.toml") -> list[str]:
    return [str(p) for p in validate_file(write(tmp_path, text, name))]


def with_stage(text: str, key: str) -> str:
    """Insert an extra stage before ``completed`` so that ``completed`` stays last."""
    marker = '[[stages]]\nkey = "completed"'
    return text.replace(marker, EXTRA_STAGE.format(key=key).lstrip() + "\n" + marker)


def test_the_valid_example_loads(tmp_path) -> None:
    assert problems(tmp_path, VALID) == []
    definition = load_file(tmp_path / "demo.v1.toml")
    assert [s.key for s in definition.stages] == ["start", "middle", "completed"]


@pytest.mark.parametrize("path", sorted(DEFINITIONS_DIR.glob("*.toml")), ids=lambda p: p.name)
def test_every_shipped_definition_is_valid(path) -> None:
    assert validate_file(path) == []


def test_toml_syntax_error(tmp_path) -> None:
    found = problems(tmp_path, VALID.replace('title = "Demo"', 'title = "Demo'))
    assert len(found) == 1
    assert found[0].startswith("demo.v1.toml: line 3: TOML syntax error")


def test_missing_required_key(tmp_path) -> None:
    found = problems(tmp_path, VALID.replace('summary = "A demonstration programme."\n', ""))
    assert found == ["demo.v1.toml: summary: missing required key"]


def test_missing_key_inside_a_table(tmp_path) -> None:
    found = problems(tmp_path, VALID.replace('label = "Finish"\n', ""))
    assert found == ["demo.v1.toml: transitions[1].label: missing required key"]


def test_wrong_type(tmp_path) -> None:
    assert problems(tmp_path, VALID.replace("version = 1", 'version = "1"')) == [
        "demo.v1.toml: version: expected integer, got string"
    ]
    assert problems(tmp_path, VALID.replace('guards = ["has_preceptor"]', 'guards = "has_preceptor"')) == [
        "demo.v1.toml: transitions[0].guards: expected array, got string"
    ]


def test_unknown_stage_in_a_transition(tmp_path) -> None:
    found = problems(tmp_path, VALID.replace('to = "middle"', 'to = "midle"'))
    assert "demo.v1.toml: transitions[0].to: unknown stage 'midle'" in found


def test_unreachable_stage(tmp_path) -> None:
    text = with_stage(VALID, "orphan") + (
        '\n[[transitions]]\nfrom = "orphan"\nto = "completed"\nlabel = "Out"\nguards = []\n'
    )
    assert problems(tmp_path, text) == ["demo.v1.toml: stages[2].key: stage 'orphan' is unreachable from 'start'"]


def test_stage_with_no_way_out(tmp_path) -> None:
    text = with_stage(VALID, "stuck") + ('\n[[transitions]]\nfrom = "start"\nto = "stuck"\nlabel = "In"\nguards = []\n')
    assert problems(tmp_path, text) == ["demo.v1.toml: stages[2].key: stage 'stuck' has no way out"]


def test_stage_that_can_never_reach_completed(tmp_path) -> None:
    text = with_stage(VALID, "loop") + (
        '\n[[transitions]]\nfrom = "start"\nto = "loop"\nlabel = "In"\nguards = []\n'
        '\n[[transitions]]\nfrom = "loop"\nto = "loop"\nlabel = "Again"\nguards = []\n'
    )
    assert problems(tmp_path, text) == ["demo.v1.toml: stages[2].key: stage 'loop' cannot reach 'completed'"]


def test_last_stage_must_be_completed(tmp_path) -> None:
    text = (
        VALID
        + EXTRA_STAGE.format(key="after")
        + ('\n[[transitions]]\nfrom = "completed"\nto = "after"\nlabel = "More"\nguards = []\n')
    )
    found = problems(tmp_path, text)
    assert "demo.v1.toml: stages[3].key: the last stage must be 'completed'" in found
    assert "demo.v1.toml: transitions[2].from: 'completed' is final: nothing leads out" in found


def test_unknown_guard(tmp_path) -> None:
    found = problems(tmp_path, VALID.replace('guards = ["has_preceptor"]', 'guards = ["has_mentor"]'))
    assert found == ["demo.v1.toml: transitions[0].guards[0]: unknown guard 'has_mentor'"]


@pytest.mark.parametrize(
    ("guard", "message"),
    [
        ("confirmed:countersigned", "unknown confirmation 'countersigned' (declare it in [confirmations])"),
        ("competencies_signed:knitting", "unknown competency group 'knitting'"),
        ("check_cleared:passport", "unknown check 'passport'"),
        ("has_preceptor:yes", "guard 'has_preceptor' takes no argument"),
        ("confirmed", "guard 'confirmed' needs an argument (confirmation)"),
        ("profession_group:surgery", "unknown profession group 'surgery'"),
    ],
)
def test_bad_guard_argument(tmp_path, guard, message) -> None:
    found = problems(tmp_path, VALID.replace('guards = ["has_preceptor"]', f'guards = ["{guard}"]'))
    assert found == [f"demo.v1.toml: transitions[0].guards[0]: {message}"]


def test_guard_condition_must_name_a_setting(tmp_path) -> None:
    text = VALID.replace(
        'guards = ["has_preceptor"]', 'guards = [{ guard = "has_preceptor", when = { tier = "gold" } }]'
    )
    assert problems(tmp_path, text) == ["demo.v1.toml: transitions[0].guards[0].when: unknown setting 'tier'"]


def test_duplicate_stage_key(tmp_path) -> None:
    found = problems(tmp_path, with_stage(VALID, "middle"))
    assert "demo.v1.toml: stages[2].key: duplicate stage 'middle'" in found


def test_duplicate_competency_key(tmp_path) -> None:
    text = VALID.replace('{ key = "b", title = "B" }', '{ key = "a", title = "B" }')
    assert problems(tmp_path, text) == [
        "demo.v1.toml: competency_groups[0].variants[0].items[1].key: duplicate competency 'a'"
    ]


def test_bad_setting_default_outside_min_max(tmp_path) -> None:
    found = problems(tmp_path, VALID.replace("default = 6", "default = 20"))
    assert found == [
        "demo.v1.toml: settings.duration_months.default: bad default 20: Programme length in months must be at most 12"
    ]


def test_bad_setting_default_not_a_choice(tmp_path) -> None:
    text = VALID + '\n[settings.standard]\ntype = "str"\ndefault = "silver"\nchoices = ["core", "gold"]\n'
    assert problems(tmp_path, text) == [
        "demo.v1.toml: settings.standard.default: bad default 'silver': Standard must be one of: core, gold"
    ]


def test_setting_of_unknown_type(tmp_path) -> None:
    text = VALID.replace('type = "int"', 'type = "integer"')
    assert problems(tmp_path, text) == [
        "demo.v1.toml: settings.duration_months.type: must be one of int, float, str, bool"
    ]


def test_file_name_must_match_key(tmp_path) -> None:
    assert problems(tmp_path, VALID, "other.v1.toml") == [
        "other.v1.toml: key: file name should be 'demo.v1.toml' for key 'demo' version 1"
    ]


def test_file_name_must_match_version(tmp_path) -> None:
    assert problems(tmp_path, VALID, "demo.v2.toml") == [
        "demo.v2.toml: version: file name should be 'demo.v1.toml' for key 'demo' version 1"
    ]


def test_duplicate_key_and_version_in_a_catalogue(tmp_path) -> None:
    write(tmp_path, VALID)
    write(tmp_path, VALID, "archive/demo.v1.toml")
    with pytest.raises(DefinitionError) as caught:
        load_catalogue(tmp_path)
    assert [str(p) for p in caught.value.problems] == [
        "demo.v1.toml: version: duplicate definition demo v1 (also in demo.v1.toml)"
    ]


def test_catalogue_refuses_a_directory_with_any_bad_file(tmp_path) -> None:
    write(tmp_path, VALID)
    write(tmp_path, VALID.replace('to = "middle"', 'to = "final_reveiw"').replace("demo", "broken"), "broken.v1.toml")
    with pytest.raises(DefinitionError) as caught:
        load_catalogue(tmp_path)
    assert "broken.v1.toml: transitions[0].to: unknown stage 'final_reveiw'" in str(caught.value)


def test_load_file_raises_with_every_problem(tmp_path) -> None:
    path = write(
        tmp_path, VALID.replace('summary = "A demonstration programme."\n', "").replace("version = 1", "version = 1.5")
    )
    with pytest.raises(DefinitionError) as caught:
        load_file(path)
    assert str(caught.value).splitlines() == [
        "demo.v1.toml: version: expected integer, got number",
        "demo.v1.toml: summary: missing required key",
    ]


def test_catalogue_versions(tmp_path) -> None:
    write(tmp_path, VALID)
    write(
        tmp_path,
        VALID.replace("version = 1", "version = 2").replace('title = "Demo"', 'title = "Demo 2"'),
        "demo.v2.toml",
    )
    catalogue = load_catalogue(tmp_path)
    assert catalogue.keys() == ["demo"]
    assert catalogue.latest("demo").version == 2
    assert catalogue.get("demo", 1).title == "Demo"
    assert [d.version for d in catalogue] == [1, 2]
    assert ("demo", 1) in catalogue and len(catalogue) == 2
    with pytest.raises(KeyError):
        catalogue.get("demo", 3)
