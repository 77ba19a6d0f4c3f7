"""Throwaway servers that tests start on loopback, on a free port each: Redis, and a PostgreSQL cluster."""

from __future__ import annotations

import os
import shlex
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import redis


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def redis_server(directory: Path) -> Iterator[str]:
    """A redis-server with nothing saved to disk; yields its URL, stopped at the end."""
    binary = shutil.which("redis-server")
    if binary is None:
        raise RuntimeError("redis-server is not installed (apt-get install redis-server)")
    port = free_port()
    process = subprocess.Popen(
        [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
        + ["--dir", str(directory)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.STDOUT,
    )
    client, started = redis.Redis(port=port), time.monotonic()
    try:
        while True:
            try:
                client.ping()
                break
            except redis.ConnectionError:
                if process.poll() is not None or time.monotonic() - started > 10:
                    raise
                time.sleep(0.05)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        client.close()
        process.terminate()
        process.wait(10)


class PostgresCluster:
    """A PostgreSQL cluster of the test's own (initdb), on loopback and a free port, to stop and start at will.

    The shared server on 5432 serves every helper's tests; a fault test must never stop that one.
    initdb refuses to run as root, so the cluster belongs to the ``postgres`` user when run as root.
    """

    def __init__(self, directory: Path) -> None:
        self.directory, self.port = directory, free_port()
        self.data = directory / "data"

    def _as_owner(self, *command: str) -> None:
        argv = list(command)
        if os.geteuid() == 0:
            argv = ["su", "postgres", "-c", " ".join(shlex.quote(part) for part in argv)]
        subprocess.run(argv, check=True, capture_output=True, timeout=120)

    @property
    def url(self) -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/postgres?connect_timeout=2"

    def create(self) -> None:
        if os.geteuid() == 0:
            shutil.chown(self.directory, "postgres", "postgres")
        self._as_owner("initdb", "-D", str(self.data), "-U", "postgres", "--auth=trust", "-E", "UTF8")

    def start(self) -> None:
        options = f"-k {self.directory} -p {self.port} -c listen_addresses=127.0.0.1 -c fsync=off"
        self._as_owner("pg_ctl", "-D", str(self.data), "-o", options, "-l", str(self.directory / "log"), "-w", "start")

    def stop(self) -> None:
        self._as_owner("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "stop")


def can_run_a_cluster() -> bool:
    return bool(shutil.which("initdb") and shutil.which("pg_ctl")) and (
        os.geteuid() != 0 or subprocess.run(["id", "postgres"], capture_output=True).returncode == 0
    )


@contextmanager
def postgres_cluster() -> Iterator[PostgresCluster]:
    """A started cluster of the test's own, in a directory under /tmp (pytest's is root's alone), removed after."""
    directory = Path(tempfile.mkdtemp(prefix="waymark-pg-"))
    cluster = PostgresCluster(directory)
    try:
        cluster.create()
        cluster.start()
        yield cluster
        cluster.stop()
    finally:
        shutil.rmtree(directory, ignore_errors=True)
