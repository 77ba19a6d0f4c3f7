"""A real OpenID provider (npm oidc-provider, tests/sso/provider.mjs) on loopback, and a person at its login page."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urljoin

import requests

from tests.servers import free_port

SCRIPT = Path(__file__).with_name("provider.mjs")
SECRET = "waymark-test-secret"  # every client of the test provider has this one


@contextmanager
def oidc_provider(redirect_uris: list[str], accounts: dict[str, dict] | None = None) -> Iterator[str]:
    """Start the provider on a free port; yields its issuer URL, stopped at the end."""
    node = shutil.which("node")
    if node is None or not (SCRIPT.parents[2] / "node_modules" / "oidc-provider").exists():
        raise RuntimeError("node and the oidc-provider package are needed (npm install)")
    port = free_port()
    issuer = f"http://127.0.0.1:{port}"
    env = {
        **os.environ,
        "PORT": str(port),
        "REDIRECT_URIS": ",".join(redirect_uris),
        "ACCOUNTS": json.dumps(accounts or {}),
    }
    process = subprocess.Popen(
        [node, str(SCRIPT)], cwd=SCRIPT.parents[2], env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    started = time.monotonic()
    try:
        while True:
            try:
                if requests.get(f"{issuer}/.well-known/openid-configuration", timeout=1).ok:
                    break
            except requests.ConnectionError:
                pass
            if process.poll() is not None or time.monotonic() - started > 20:
                raise RuntimeError(
                    "the OpenID provider did not start:\n" + (process.stdout.read() if process.stdout else "")
                )
            time.sleep(0.05)
        yield issuer
    finally:
        process.terminate()
        process.wait(10)


class ProviderBrowser:
    """A person's browser at the provider: it keeps the provider's cookies, so a second sign-in needs no login."""

    def __init__(self) -> None:
        self.session = requests.Session()

    def sign_in(self, authorization_url: str, login: str, redirect_uri: str) -> str:
        """Follow the provider's pages, filling its login form; returns the URL it sends the person back to."""
        url = authorization_url
        for _ in range(12):
            if url.startswith(redirect_uri):
                return url
            response = self.session.get(url, allow_redirects=False, timeout=5)
            if not response.is_redirect:
                form = re.search(r'<form[^>]*action="([^"]+)"', response.text)
                if form is None or 'name="login"' not in response.text:
                    raise AssertionError(f"unexpected provider page {response.status_code}: {response.text[:300]}")
                response = self.session.post(
                    urljoin(url, form.group(1)),
                    data={"prompt": "login", "login": login, "password": "any"},
                    allow_redirects=False,
                    timeout=5,
                )
            url = urljoin(url, response.headers["Location"])
        raise AssertionError("the provider never sent the person back")
