"""The transfer file from the person's page and the command line: exported by one lead, brought in by another."""

from __future__ import annotations

import io
import json

import pytest
from markupsafe import escape
from sqlalchemy import select

from app.extensions import db
from app.models import ImportedProgramme
from app.services import transfers
from tests.conftest import table_counts


def upload(client, person_id: int, data: bytes, name: str = "transfer.json"):
    return client.post(
        f"/admin/users/{person_id}/transfer",
        data={"file": (io.BytesIO(data), name)},
        content_type="multipart/form-data",
    )


def refusal_shown(response, reason: str) -> None:
    html = response.get_data(as_text=True)
    summary = html[html.index("nhsuk-error-summary") :]
    assert str(escape(reason)) in summary[: summary.index("</ul>")]
    assert 'id="file-error"' in html


def test_a_lead_downloads_the_file_and_another_organisations_lead_brings_it_in(as_user, world, moved):
    lead, arrival = moved
    sender = as_user(world.lead)
    page = sender.get(f"/admin/users/{world.learner.id}/transfer").get_data(as_text=True)
    assert "Download the signed transfer file" in page and "1 programme " in page
    download = sender.post(f"/admin/users/{world.learner.id}/transfer-file")
    assert download.status_code == 200 and download.mimetype == "application/json"
    disposition = download.headers["Content-Disposition"]
    assert disposition.startswith('attachment; filename="transfer-') and disposition.endswith('.json"')
    assert download.headers["Cache-Control"] == "no-store"
    receiver = as_user(lead)
    arrived = upload(receiver, arrival.id, download.data)
    assert arrived.status_code == 302
    shown = receiver.get(arrived.headers["Location"]).get_data(as_text=True)
    assert "Brought in for" in shown and "Preceptorship" in shown and "1 sign-off" in shown
    assert str(escape(world.preceptor.full_name)) in shown  # who signed it off, as sent
    (row,) = db.session.scalars(select(ImportedProgramme)).all()
    assert row.learner_id == arrival.id


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        (
            lambda d: d["programmes"][0].update(completed_on="2020-01-01"),
            "The file has been changed since it was signed",
        ),
        (
            lambda d: d["issuer"].update(organisation="no-such-trust"),
            "The file comes from an organisation this Waymark does not know (no-such-trust)",
        ),
    ],
)
def test_a_tampered_or_unknown_file_is_refused_on_the_page_and_nothing_is_saved(as_user, world, moved, change, reason):
    lead, arrival = moved
    document = transfers.export(world.lead, world.learner.id)
    change(document)
    before = table_counts()
    response = upload(as_user(lead), arrival.id, json.dumps(document).encode())
    assert response.status_code == 400
    refusal_shown(response, reason)
    after = table_counts()
    assert {k: v for k, v in after.items() if k != "audit_events"} == {
        k: v for k, v in before.items() if k != "audit_events"
    }


def test_other_refusals_on_the_page(as_user, world, moved):
    lead, arrival = moved
    client = as_user(lead)
    refusal_shown(upload(client, arrival.id, b"%PDF-1.7 not json"), "The transfer file is not JSON")
    assert client.post(f"/admin/users/{arrival.id}/transfer", data={}).status_code == 400
    data = json.dumps(transfers.export(world.lead, world.learner.id)).encode()
    assert upload(client, arrival.id, data).status_code == 302
    twice = upload(client, arrival.id, data)
    assert twice.status_code == 409
    refusal_shown(twice, "This transfer file has already been imported for this person")
    assert as_user(world.lead).get(f"/admin/users/{arrival.id}/transfer").status_code == 404  # not their person
    assert as_user(world.preceptor).get(f"/admin/users/{world.learner.id}/transfer").status_code == 403


def test_nothing_to_send_says_so(as_user, world):
    client = as_user(world.lead)
    page = client.get(f"/admin/users/{world.other_learner.id}/transfer").get_data(as_text=True)
    assert "has not completed a programme here" in page
    refused = client.post(f"/admin/users/{world.other_learner.id}/transfer-file")
    assert refused.status_code == 302
    followed = client.get(refused.headers["Location"]).get_data(as_text=True)
    assert "has no completed programme to transfer" in followed


def test_the_command_line_round_trip(app, world, moved, tmp_path):
    lead, arrival = moved
    runner, file = app.test_cli_runner(), tmp_path / "siobhan.json"
    made = runner.invoke(
        args=["transfer", "export", "--by", world.lead.email, "--person", world.learner.email, "--output", str(file)]
    )
    assert made.exit_code == 0, made.output
    assert json.loads(file.read_text())["signature"]["alg"] == "HMAC-SHA256"
    document = json.loads(file.read_text())
    document["person"]["name"] = "Someone Else"
    tampered = tmp_path / "tampered.json"
    tampered.write_text(json.dumps(document))
    refused = runner.invoke(args=["transfer", "import", str(tampered), "--by", lead.email, "--person", arrival.email])
    assert refused.exit_code == 1
    assert f"{tampered}: file: The file has been changed since it was signed" in refused.output
    brought = runner.invoke(args=["transfer", "import", str(file), "--by", lead.email, "--person", arrival.email])
    assert brought.exit_code == 0, brought.output
    assert brought.output.startswith("Preceptorship: completed ")
    wrong = runner.invoke(args=["transfer", "import", str(file), "--by", arrival.email, "--person", arrival.email])
    assert wrong.exit_code == 1 and "Only a programme lead" in wrong.output
