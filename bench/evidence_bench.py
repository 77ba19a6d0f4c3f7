"""Time uploading and downloading a 20 MB evidence file through a real HTTP server, and print the figures.

.venv/bin/python -m bench.evidence_bench [--megabytes 20] [--repeat 5]

The demo trust is loaded into a throwaway SQLite database; the learner uploads a PDF of the size
given (just under the limit) to a sign-off request over the API, and their preceptor downloads it.
"""

from __future__ import annotations

import argparse
import http.client
import json
import statistics
import tempfile
import threading
import time
import uuid
from pathlib import Path

from flask_migrate import upgrade
from sqlalchemy import select
from werkzeug.serving import make_server

from app import create_app
from app.demo import load_demo
from app.extensions import db
from app.models import Enrolment, User
from app.services import pages, signoffs, tokens


def _multipart(fields: dict[str, str], name: str, data: bytes) -> tuple[str, bytes]:
    boundary = uuid.uuid4().hex
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode() for k, v in fields.items()
    ]
    head = f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{name}"\r\n'
    parts.append(head.encode() + b"Content-Type: application/pdf\r\n\r\n" + data + b"\r\n")
    return f"multipart/form-data; boundary={boundary}", b"".join(parts) + f"--{boundary}--\r\n".encode()


def _request(
    port: int, method: str, path: str, headers: dict[str, str], body: bytes | None = None
) -> tuple[int, bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    connection.request(method, path, body=body, headers=headers)
    response = connection.getresponse()
    content = response.read()
    connection.close()
    return response.status, content


def _setup(app) -> tuple[str, str, int, list[int]]:
    """Tokens for the demo learner and her preceptor, her enrolment, and sign-off requests to attach to."""
    with app.app_context():
        upgrade()
        load_demo()
        learner = db.session.scalar(select(User).where(User.email == "learner@northgate.example"))
        preceptor = db.session.scalar(select(User).where(User.email == "preceptor@northgate.example"))
        enrolment = db.session.scalar(select(Enrolment).where(Enrolment.learner_id == learner.id))
        item = pages.enrolment_page(learner, enrolment.id)
        keys = [row.key for group in pages.competencies(item) for row in group.rows if row.state is None]
        requests = [signoffs.act(learner, enrolment.id, key, "request", text="Bench evidence").id for key in keys]
        result = (tokens.issue(learner), tokens.issue(preceptor), enrolment.id, requests)
        db.session.remove()
        return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--megabytes", type=float, default=20)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        app = create_app(
            {
                "SQLALCHEMY_DATABASE_URI": f"sqlite:///{Path(tmp) / 'bench.db'}",
                "RATELIMIT_ENABLED": False,
                "EVIDENCE_DIR": str(Path(tmp) / "evidence"),
            }
        )
        learner, preceptor, enrolment_id, requests = _setup(app)
        size = int(args.megabytes * 1_000_000) - 2_000  # under the limit with the PDF's own lines
        pdf = b"%PDF-1.7\n" + b"0" * (size - 16) + b"\n%%EOF\n"
        server = make_server("127.0.0.1", 0, app, threaded=True)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        port = server.server_port
        uploads, downloads, ids = [], [], []
        for attempt in range(args.repeat):
            content_type, body = _multipart(
                {"attached_to": "signoff", "attached_id": str(requests[attempt])}, "big.pdf", pdf
            )
            headers = {"Authorization": f"Bearer {learner}", "Content-Type": content_type}
            started = time.perf_counter()
            status, answer = _request(port, "POST", f"/api/v1/enrolments/{enrolment_id}/evidence", headers, body)
            uploads.append(time.perf_counter() - started)
            assert status == 201, status
            ids.append(json.loads(answer)["id"])
        for evidence_id in ids:
            started = time.perf_counter()
            status, got = _request(
                port, "GET", f"/api/v1/evidence/{evidence_id}", {"Authorization": f"Bearer {preceptor}"}
            )
            downloads.append(time.perf_counter() - started)
            assert status == 200 and got == pdf, status
        server.shutdown()
        print(f"file: {len(pdf) / 1_000_000:.2f} MB, {args.repeat} times each, loopback HTTP, SQLite, local folder")
        print(
            f"upload (API, multipart, checked and stored): median {statistics.median(uploads) * 1000:.0f} ms, "
            f"max {max(uploads) * 1000:.0f} ms"
        )
        print(
            f"download (API, as an attachment): median {statistics.median(downloads) * 1000:.0f} ms, "
            f"max {max(downloads) * 1000:.0f} ms"
        )


if __name__ == "__main__":
    main()
