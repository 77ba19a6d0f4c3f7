"""Signing in lands each role on its own home page."""

from __future__ import annotations

import pytest

from tests.factories import PASSWORD, LeadFactory, LearnerFactory, PreceptorFactory, UserFactory


@pytest.mark.parametrize(
    ("factory", "heading"),
    [
        (LearnerFactory, "Your programmes"),
        (PreceptorFactory, "Your learners"),
        (LeadFactory, "Who needs attention"),
        (lambda: UserFactory(role="admin"), "Who needs attention"),
    ],
)
def test_each_role_signs_in_to_its_home_page(ctx, client, factory, heading):
    user = factory()
    response = client.post("/login", data={"email": user.email.upper(), "password": PASSWORD})
    assert response.status_code == 302
    home = client.get("/", follow_redirects=True)  # "/" sends each role to its own pages
    assert f"<h1>{heading}</h1>" in home.get_data(as_text=True)


def test_wrong_password_is_refused_without_saying_which_part_was_wrong(ctx, client):
    user = LearnerFactory()
    response = client.post("/login", data={"email": user.email, "password": "not the password"})
    assert response.status_code == 401
    assert "Enter a correct email address and password" in response.get_data(as_text=True)
    assert client.get("/").status_code == 302


def test_home_needs_a_signed_in_user(client):
    response = client.get("/")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
