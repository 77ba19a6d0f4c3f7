"""The one profession vocabulary: keys, ESR wording, and the definitions that name them."""

from __future__ import annotations

import pytest

from pathways.loader import load_text
from pathways.model import DefinitionError
from pathways.professions import profession_key, professions, unknown_profession

# NHS England's 14 allied health professions, as the vocabulary keys them.
AHPS = {
    "art_therapy", "drama_therapy", "music_therapy", "podiatry", "dietetics", "occupational_therapy",
    "operating_department_practice", "orthoptics", "osteopathy", "paramedic", "physiotherapy",
    "prosthetics_and_orthotics", "radiography", "speech_and_language_therapy",
}  # fmt: skip


@pytest.mark.parametrize(
    ("wording", "key"),
    [
        ("Registered Nurse", "registered_nurse"),
        ("Staff Nurse", "registered_nurse"),
        ("Registered Nurse - Adult", "adult_nursing"),
        ("registered nurse (adult)", "adult_nursing"),
        ("Registered Nurse - Children's", "child_nursing"),
        ("RMN", "mental_health_nursing"),
        ("Registered Nurse Learning Disabilities", "learning_disability_nursing"),
        ("Registered Nursing Associate", "nursing_associate"),
        ("Registered Midwife", "midwifery"),
        ("Physiotherapist", "physiotherapy"),
        ("Podiatrist", "podiatry"),
        ("Chiropodist/Podiatrist", "podiatry"),
        ("Occupational Therapist", "occupational_therapy"),
        ("Orthoptist", "orthoptics"),
        ("Prosthetist", "prosthetics_and_orthotics"),
        ("Osteopath", "osteopathy"),
        ("Art Therapist", "art_therapy"),
        ("Therapeutic Radiographer", "radiography"),
        ("Speech & Language Therapist", "speech_and_language_therapy"),
        ("Healthcare Assistant", "healthcare_support_worker"),
        ("  HEALTH CARE ASSISTANT ", "healthcare_support_worker"),
        ("adult_nursing", "adult_nursing"),
        ("Physiotherapist", "physiotherapy"),
    ],
)
def test_esr_wording_and_keys_mean_one_profession(wording, key):
    assert profession_key(wording) == key


@pytest.mark.parametrize("wording", ["Ward Clerk", "Nurse Consultant Adult Oncology", "", "N/A"])
def test_other_wording_is_not_a_profession(wording):
    assert profession_key(wording) is None


def test_an_unknown_profession_is_refused_with_examples():
    assert unknown_profession("Ward Clerk") == (
        "'Ward Clerk' is not a known profession (for example: Registered Nurse, Registered Midwife, "
        "Physiotherapist, Occupational Therapist, Healthcare Assistant)"
    )


def test_every_key_people_already_hold_is_kept():
    used_before = {"adult_nursing", "mental_health_nursing", "child_nursing", "learning_disability_nursing",
                   "midwifery", "nursing_associate", "physiotherapy", "occupational_therapy", "radiography",
                   "paramedic", "speech_and_language_therapy", "dietetics", "operating_department_practice",
                   "healthcare_support_worker"}  # fmt: skip
    assert used_before <= set(professions())


def test_preceptorship_takes_every_registered_profession_and_the_14_ahps(catalogue):
    definition = catalogue.latest("preceptorship")
    registered = {key for key, p in professions().items() if p.registered}
    assert set(definition.profession_groups) == registered
    assert {k for k, group in definition.profession_groups.items() if group == "ahp"} == AHPS


def test_a_definition_naming_a_profession_the_vocabulary_lacks_is_refused(catalogue):
    text = catalogue.text("preceptorship", 1).replace('midwifery = ["midwifery"]', 'midwifery = ["midwife"]')
    with pytest.raises(DefinitionError, match=r"profession_groups.midwifery: unknown profession 'midwife'"):
        load_text(text, "preceptorship.v1.toml")
