"""Load definition files into a catalogue, refusing any invalid one with file and key named."""

from __future__ import annotations

import hashlib
import re
import tomllib
from collections.abc import Iterator, Mapping
from pathlib import Path

from pathways.checks import check_definition
from pathways.model import Definition, DefinitionError, Problem
from pathways.parse import Reader, parse_definition

DEFINITIONS_DIR = Path(__file__).parent / "definitions"


def checksum(text: str) -> str:
    """The fingerprint stored with a pinned copy: any edit to the text changes it."""
    return hashlib.sha256(text.encode()).hexdigest()


def parse_text(text: str, name: str) -> tuple[Definition | None, list[Problem]]:
    """Parse and check one definition's text; ``name`` labels its problems (a file, or a stored copy)."""
    reader = Reader(name)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        line = re.search(r"line (\d+)", str(exc))
        reader.problem(f"line {line.group(1)}" if line else "(file)", f"TOML syntax error: {exc}")
        return None, reader.problems
    definition = parse_definition(reader, data)
    if not reader.problems:
        check_definition(definition, reader)
    return (None if reader.problems else definition), reader.problems


def load_text(text: str, name: str) -> Definition:
    """The definition in ``text``, or DefinitionError with every problem labelled ``name``."""
    definition, problems = parse_text(text, name)
    if definition is None:
        raise DefinitionError(problems)
    return definition


def read_file(path: str | Path) -> tuple[Definition | None, list[Problem], str]:
    """Parse and check one file: the definition (None when it has problems), every problem, and its text."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        return None, [Problem(path.name, "(file)", f"cannot read: {exc}")], ""
    definition, problems = parse_text(text, path.name)
    if definition is not None:
        expected = f"{definition.key}.v{definition.version}.toml"
        if path.name != expected:
            wrong = "key" if not path.name.startswith(f"{definition.key}.v") else "version"
            message = f"file name should be '{expected}' for key '{definition.key}' version {definition.version}"
            return None, [Problem(path.name, wrong, message)], text
    return definition, problems, text


def validate_file(path: str | Path) -> list[Problem]:
    """Every problem with one definition file (empty when it is sound)."""
    return read_file(path)[1]


def load_file(path: str | Path) -> Definition:
    definition, problems, _ = read_file(path)
    if definition is None:
        raise DefinitionError(problems)
    return definition


class Catalogue:
    """Every loaded definition, by key and version, with the text it was read from.

    An enrolment pins the version it started on by storing that text (see ``text``).
    """

    def __init__(
        self,
        definitions: list[Definition] | tuple[Definition, ...] = (),
        texts: Mapping[tuple[str, int], str] | None = None,
    ) -> None:
        self._by_id: dict[tuple[str, int], Definition] = {}
        self._texts = dict(texts or {})
        problems = []
        for definition in definitions:
            ident = (definition.key, definition.version)
            if ident in self._by_id:
                other = self._by_id[ident].source
                problems.append(
                    Problem(
                        definition.source,
                        "version",
                        f"duplicate definition {definition.key} v{definition.version} (also in {other})",
                    )
                )
                continue
            self._by_id[ident] = definition
        if problems:
            raise DefinitionError(problems)

    def __iter__(self) -> Iterator[Definition]:
        return iter(sorted(self._by_id.values(), key=lambda d: (d.key, d.version)))

    def __len__(self) -> int:
        return len(self._by_id)

    def __contains__(self, ident: object) -> bool:
        return ident in self._by_id

    def get(self, key: str, version: int) -> Definition:
        try:
            return self._by_id[(key, version)]
        except KeyError:
            raise KeyError(f"no definition {key} v{version}") from None

    def text(self, key: str, version: int) -> str:
        """The text the definition was read from, exactly as an enrolment's stored copy keeps it."""
        try:
            return self._texts[(key, version)]
        except KeyError:
            raise KeyError(f"no text for {key} v{version}") from None

    def latest(self, key: str) -> Definition:
        versions = [d for d in self._by_id.values() if d.key == key]
        if not versions:
            raise KeyError(f"no definition {key}")
        return max(versions, key=lambda d: d.version)

    def keys(self) -> list[str]:
        return sorted({key for key, _ in self._by_id})


def load_catalogue(directory: str | Path | None = None) -> Catalogue:
    """Load every ``*.toml`` under ``directory`` (sub-folders too); raise on any problem."""
    root = Path(directory) if directory is not None else DEFINITIONS_DIR
    definitions: list[Definition] = []
    texts: dict[tuple[str, int], str] = {}
    problems: list[Problem] = []
    for path in sorted(root.rglob("*.toml")):
        definition, found, text = read_file(path)
        problems += found
        if definition is not None:
            definitions.append(definition)
            texts.setdefault((definition.key, definition.version), text)
    if problems:
        raise DefinitionError(problems)
    return Catalogue(definitions, texts)
