"""A bare Flask "hello", served by the same gunicorn settings as Waymark in ``bench.load``: the ratio's yardstick.

gunicorn --config gunicorn.conf.py bench.hello:app
"""

from __future__ import annotations

from flask import Flask

app = Flask(__name__)


@app.get("/")
def hello() -> str:
    return "hello"
