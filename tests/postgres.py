"""A throw-away PostgreSQL server for the tests: started in a temporary folder, stopped after.

``scripts/install-browser.sh`` installs Debian's ``postgresql`` where it can; without its
``initdb`` and ``pg_ctl`` (on PATH or in /usr/lib/postgresql/*/bin), or where the server will
not start, the tests that need it skip with the reason. The server listens on a Unix socket
in its own folder only (no TCP port is opened), with trust authentication for its one user.
As root it runs as the ``postgres`` user (or ``nobody``): PostgreSQL refuses to run as root.
"""

from __future__ import annotations

import glob
import itertools
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

START_SECONDS = 60
_databases = itertools.count()


def _binary(name: str) -> str | None:
    found = shutil.which(name)
    if found:
        return found
    candidates = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    return candidates[-1] if candidates else None


def _run_as() -> list[str]:
    """The prefix that runs a command as a user PostgreSQL accepts."""
    if os.geteuid() != 0:
        return []
    runuser = shutil.which("runuser")
    if runuser is None:
        raise RuntimeError("running as root, and runuser (to drop root) is missing")
    for user in ("postgres", "nobody"):
        try:
            pwd.getpwnam(user)
        except KeyError:
            continue
        return [runuser, "-u", user, "--"]
    raise RuntimeError("running as root, and neither the postgres nor the nobody user exists")


def _free_port() -> int:
    """A port number for the socket's name (nothing listens on TCP)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def postgres_server() -> Iterator[str]:
    """Start a server; yields the SQLAlchemy URL of its ``postgres`` database. Raises
    ``RuntimeError`` with the reason when no server can be had."""
    initdb, pg_ctl = _binary("initdb"), _binary("pg_ctl")
    if initdb is None or pg_ctl is None:
        raise RuntimeError("PostgreSQL's initdb and pg_ctl are not installed "
                           "(scripts/install-browser.sh installs Debian's postgresql as root)")
    prefix = _run_as()
    folder = Path(tempfile.mkdtemp(prefix="rnn-lab-pg-"))
    data, port = folder / "data", _free_port()
    if prefix:
        shutil.chown(folder, user=prefix[2], group=pwd.getpwnam(prefix[2]).pw_gid)

    def run(*command: str) -> None:
        result = subprocess.run([*prefix, *command], capture_output=True, text=True,
                                timeout=START_SECONDS, check=False)
        if result.returncode != 0:
            raise RuntimeError(f"{Path(command[0]).name} failed: {result.stderr[-600:]}")

    try:
        run(initdb, "-D", str(data), "-U", "postgres", "--auth=trust", "-E", "UTF8",
            "--no-sync")
        options = (f"-k {folder} -p {port} -c listen_addresses='' -c fsync=off "
                   "-c max_connections=200")
        run(pg_ctl, "-D", str(data), "-o", options, "-l", str(folder / "log"), "-w",
            "-t", str(START_SECONDS), "start")
        try:
            yield f"postgresql+psycopg://postgres@/postgres?host={folder}&port={port}"
        finally:
            run(pg_ctl, "-D", str(data), "-m", "fast", "-w", "stop")
    finally:
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """One server for the whole test run (import this fixture into a test module)."""
    try:
        with postgres_server() as url:
            yield url
    except RuntimeError as error:
        pytest.skip(f"no PostgreSQL server for this test: {error}")


def new_database(url: str) -> str:
    """The URL of a new, empty database on the server at ``url``."""
    name = f"progress_{os.getpid()}_{next(_databases)}"
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as db:
        db.execute(text(f"CREATE DATABASE {name}"))
    admin.dispose()
    return url.replace("/postgres?", f"/{name}?")
