"""The test provider for the single sign-on tests, and an organisation set up to use it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from app.models import SsoConfiguration, User
from app.services import sso_settings
from tests.factories import AdminFactory, LearnerFactory, OrganisationFactory
from tests.sso.provider import SECRET, ProviderBrowser, oidc_provider

CALLBACK = "http://waymark.test/sso/callback"  # the test client's SERVER_NAME
ACCOUNTS = {"asha.patel@nhs.net": {"employee_number": "E7001"}}


@pytest.fixture(scope="session")
def issuer() -> Iterator[str]:
    with oidc_provider([CALLBACK], ACCOUNTS) as url:
        yield url


@pytest.fixture
def provider_browser() -> ProviderBrowser:
    return ProviderBrowser()


def configure(admin: User, issuer: str, client_id: str = "waymark", **changes: object) -> SsoConfiguration:
    values = {
        "is_enabled": True,
        "provider_name": "NHSmail",
        "issuer_url": issuer,
        "client_id": client_id,
        "client_secret": SECRET,
        "allowed_domains": "nhs.net",
        "match_by": "email",
        "employee_number_claim": "employee_number",
        "create_on_first_sign_in": False,
        **changes,
    }
    return sso_settings.save(admin, values)


@pytest.fixture
def trust(ctx):
    """An organisation with an administrator and one learner who has an NHSmail account."""
    organisation = OrganisationFactory(name="Northgate NHS Trust", slug="northgate-sso")
    admin = AdminFactory(organisation=organisation)
    learner = LearnerFactory(organisation=organisation, email="asha.patel@nhs.net", employee_number="E7001")
    return organisation, admin, learner
