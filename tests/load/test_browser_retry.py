"""A simulated person sends a GET again once when its connection is reset under it, as a browser does; never a POST.

Run in a process of its own: importing the locustfile patches the standard library for gevent.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = r"""
import json, socket, struct, threading
from bench import locustfile
import requests

server = socket.socket()
server.bind(("127.0.0.1", 0))
server.listen()
resets = {"left": 0}

def serve():
    while True:
        connection, _ = server.accept()
        connection.recv(65536)
        if resets["left"] > 0:  # closed with the request unread: the client meets a reset
            resets["left"] -= 1
            connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        else:
            connection.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok")
        connection.close()

threading.Thread(target=serve, daemon=True).start()
base = f"http://127.0.0.1:{server.getsockname()[1]}/"
session = requests.Session()
session.mount("http://", locustfile.LocustHttpAdapter(pool_manager=None, max_retries=locustfile.RETRY))
out = {}
resets["left"] = 1
out["get once reset"] = session.get(base, timeout=5).status_code
resets["left"] = 2
try:
    out["get twice reset"] = session.get(base, timeout=5).status_code
except requests.ConnectionError:
    out["get twice reset"] = "reset"
resets["left"] = 1
try:
    out["post once reset"] = session.post(base, data={"a": "b"}, timeout=5).status_code
except requests.ConnectionError:
    out["post once reset"] = "reset"
out["retried"] = dict(locustfile.RETRIED)
print(json.dumps(out))
"""


def test_a_reset_get_is_sent_again_once_and_counted_and_a_post_never():
    done = subprocess.run([sys.executable, "-c", SCRIPT], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr[-2000:]
    out = json.loads(done.stdout.strip().splitlines()[-1])
    assert out == {"get once reset": 200, "get twice reset": "reset", "post once reset": "reset",
                   "retried": {"GET": 2}}  # fmt: skip
