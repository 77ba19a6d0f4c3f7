"""Fixtures for sign-in, sessions and throttling: apps with limits on, a real SMTP server, a real Redis."""

from __future__ import annotations

import email
import re
import shutil
import subprocess
import time
from collections.abc import Iterator
from email.message import Message

import pytest
import redis
from flask import Flask

from app.auth import throttle
from app.extensions import limiter
from tests.reminders.conftest import Mailbox, free_port
from tests.web.conftest import as_user, second_app, world  # noqa: F401  (the web tests' trust and clients)


@pytest.fixture
def mailbox(app, monkeypatch) -> Iterator[Mailbox]:
    """A real SMTP server on loopback, and the shared app pointed at it."""
    box = Mailbox(free_port())
    for name, value in {"SMTP_HOST": "127.0.0.1", "SMTP_PORT": box.port, "SMTP_TIMEOUT": 5}.items():
        monkeypatch.setitem(app.config, name, value)
    box.start()
    yield box
    box.stop()


def emails(box: Mailbox) -> list[Message]:
    return [email.message_from_bytes(content) for _, _, content in box.handler.messages]


def text_of(message: Message) -> str:
    part = next(p for p in message.walk() if p.get_content_type() == "text/plain")
    return part.get_payload(decode=True).decode()


def link_in(message: Message) -> str:
    """The path of the set-password link an email carries."""
    found = re.search(r"https?://[^/\s]+(/account/set-password/[\w-]+)", text_of(message))
    assert found, text_of(message)
    return found.group(1)


@pytest.fixture
def throttled(app, mailbox) -> Iterator[Flask]:
    """Limits on, behind one trusted proxy, with small numbers; the shared limiter is switched back off after."""
    config = {
        "RATELIMIT_ENABLED": True,
        "TRUSTED_PROXIES": 1,
        "LOGIN_LIMIT_PER_ACCOUNT": "10 per 15 minutes",
        "LOGIN_LIMIT_PER_ADDRESS": "20 per 15 minutes",
        "ACCOUNT_LOCK_MINUTES": 15,
        "SMTP_PORT": mailbox.port,
        "BASE_URL": "http://waymark.test",
    }
    yield from _limited(second_app(app, **config))


def _limited(application: Flask) -> Iterator[Flask]:
    try:
        yield application
    finally:
        throttle.forget_in_memory_counts()
        try:
            limiter.reset()
        except redis.RedisError:  # a test took the store away: nothing is left in it to reset
            pass
        limiter.enabled = False


@pytest.fixture(scope="session")
def redis_url(tmp_path_factory) -> Iterator[str]:
    """A throwaway redis-server on a free loopback port, with nothing written to disk."""
    port = free_port()
    process = subprocess.Popen(
        [
            shutil.which("redis-server") or "redis-server",
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
            "--dir",
            str(tmp_path_factory.mktemp("redis")),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.STDOUT,
    )
    client, started = redis.Redis(host="127.0.0.1", port=port), time.monotonic()
    while True:
        try:
            client.ping()
            break
        except redis.ConnectionError:
            if process.poll() is not None or time.monotonic() - started > 10:
                process.kill()
                raise
            time.sleep(0.05)
    yield f"redis://127.0.0.1:{port}"
    client.close()
    process.terminate()
    process.wait(5)
