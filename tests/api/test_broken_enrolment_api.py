"""The API lists and shows an enrolment whose dates cannot be worked out, with the reason."""

from __future__ import annotations


def test_the_api_lists_a_broken_enrolment_with_its_reason(client, world, broken, auth):
    listing = client.get("/api/v1/enrolments", headers=auth(world.lead))
    assert listing.status_code == 200
    detail = client.get(f"/api/v1/enrolments/{broken.id}", headers=auth(world.lead))
    assert detail.status_code == 200
    assert "dates cannot be worked out" in detail.json["status"]["reason"]
