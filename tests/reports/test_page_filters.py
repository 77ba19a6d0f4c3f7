"""Report page filters that name nothing in the organisation: the problem shown, as the downloads refuse it."""

from __future__ import annotations

import pytest

from tests.factories import CohortFactory
from tests.web.conftest import assert_error, signed_in


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ("cohort=Nope", "cohort", "There is no cohort 'Nope' in your organisation"),
        ("pathway=astronaut", "pathway", "There is no programme 'astronaut' in your organisation"),
        ("site=Mars%20Base", "site", "There is no site 'Mars Base' in your organisation"),
        ("cohort=Eastbrook%20intake", "cohort", "There is no cohort 'Eastbrook intake' in your organisation"),
    ],
    ids=["unknown-cohort", "unknown-pathway", "unknown-site", "another-organisation-s-cohort"],
)
def test_a_filter_naming_nothing_in_the_organisation_is_shown_as_the_problem(app, world, query, field, message):
    CohortFactory(organisation=world.foreign_lead.organisation, name="Eastbrook intake")
    response = signed_in(app, world.lead).get(f"/reports/cohorts?{query}")
    assert response.status_code == 400
    assert_error(response.get_data(as_text=True), field, message)
