"""The one profession vocabulary (``professions.toml``): keys, titles, preceptor groups and ESR wording.

People store the key. The import and the forms take a key, a title or a common ESR job-role or
occupation wording and store the key it means; anything else is refused with examples.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

VOCABULARY_FILE = Path(__file__).parent / "professions.toml"
# Shown when a wording is refused: the ones a lead is most likely to have meant.
EXAMPLES = (
    "Registered Nurse",
    "Registered Midwife",
    "Physiotherapist",
    "Occupational Therapist",
    "Healthcare Assistant",
)
_LOOSE = re.compile(r"[\s\-–—/(),.:;_']+")


@dataclass(frozen=True)
class Profession:
    key: str
    title: str
    group: str  # a preceptor's group must be the learner's
    registered: bool
    wording: tuple[str, ...]


def _loose(text: str) -> str:
    """Case, punctuation and spacing read loosely: 'Registered Nurse - Adult' = 'registered nurse adult'."""
    return _LOOSE.sub(" ", text.replace("&", " and ").casefold()).strip()


@lru_cache(maxsize=1)
def professions() -> dict[str, Profession]:
    """Every known profession by key, in the file's order."""
    data = tomllib.loads(VOCABULARY_FILE.read_text(encoding="utf-8"))
    return {
        key: Profession(key, raw["title"], raw["group"], bool(raw["registered"]), tuple(raw.get("wording", ())))
        for key, raw in data["professions"].items()
    }


@lru_cache(maxsize=1)
def _by_wording() -> dict[str, str]:
    found: dict[str, str] = {}
    for profession in professions().values():
        for text in (profession.key, profession.title, *profession.wording):
            loose = _loose(text)
            if found.setdefault(loose, profession.key) != profession.key:
                raise ValueError(f"{VOCABULARY_FILE.name}: '{text}' means both {found[loose]} and {profession.key}")
    return found


def profession_key(text: str) -> str | None:
    """The key a key, title or ESR wording means; None when it means none."""
    return _by_wording().get(_loose(text))


def unknown_profession(text: str) -> str:
    """The refusal of a wording the vocabulary does not hold, with examples of what it does."""
    return f"'{text}' is not a known profession (for example: {', '.join(EXAMPLES)})"


def profession_title(key: str) -> str:
    """What people read for a stored key; a value from before the vocabulary is shown as it was stored."""
    profession = professions().get(key)
    return profession.title if profession else key


def profession_group(key: str) -> str | None:
    profession = professions().get(key)
    return profession.group if profession else None


def with_article(noun: str) -> str:
    """'an assessor', 'a preceptor': a role or profession named in a sentence."""
    return f"{'an' if noun[:1].lower() in 'aeiou' else 'a'} {noun}"
