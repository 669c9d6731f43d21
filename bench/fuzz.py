"""Fuzzing: schemathesis against a served demo database, as an admin (`make fuzz`, run by CI).

    python -m bench.fuzz [SCHEMATHESIS RUN OPTIONS...]

Creates a throwaway database (on KCN_TEST_DATABASE_URL's server when it is set, like the tests,
otherwise on a throwaway embedded PostgreSQL), migrates it, loads the demo dataset, creates an
admin, serves the API with uvicorn on a free local port, logs in, and runs
`schemathesis run http://127.0.0.1:PORT/openapi.json` with the admin's token. What schemathesis
checks, its seed, phases and bounds, and the refusals accepted as correct are in
`schemathesis.toml` at the repository root; extra options are passed on to `schemathesis run`
(e.g. `--report junit`). The server is stopped and the database dropped whatever happens; the exit
code is schemathesis's (non-zero when it found failures), or 2 when the setup failed.
"""

import asyncio
import os
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import FrameType

import asyncpg
import httpx
from sqlalchemy import make_url
from sqlalchemy.ext.asyncio import AsyncSession

from app.config import Settings
from app.core.db import in_transaction
from app.core.embedded import ThrowawayPostgres
from app.core.migrations import upgrade_to_head
from app.demo import seed_demo
from app.models import Role
from app.users.schemas import UserCreate
from app.users.service import UserService
from bench.common import plain_url

ROOT = Path(__file__).resolve().parent.parent
ADMIN = "fuzz-admin"
STARTUP_SECONDS = 60
# A bound on the whole schemathesis run, should its configured budget ever stop bounding it.
SCHEMATHESIS_TIMEOUT_SECONDS = int(os.environ.get("KCN_FUZZ_TIMEOUT", "600"))


class SetupError(Exception):
    """The fuzzing could not start (database, server or login)."""


async def _admin_sql(admin_url: str, sql: str) -> None:
    conn = await asyncpg.connect(plain_url(admin_url))
    try:
        await conn.execute(sql)
    finally:
        await conn.close()


@contextmanager
def demo_database(work: Path) -> Iterator[str]:
    """The SQLAlchemy URL of a new database, migrated and loaded with the demo dataset; dropped
    (and the embedded server deleted) on exit."""
    server_url = os.environ.get("KCN_TEST_DATABASE_URL")
    embedded = None
    if not server_url:
        embedded = ThrowawayPostgres(work)
    try:
        admin_url = Settings(database_url=server_url or embedded.url).database_url  # type: ignore[union-attr]
        assert admin_url is not None
        name = f"kcn_fuzz_{uuid.uuid4().hex[:12]}"
        asyncio.run(_admin_sql(admin_url, f'CREATE DATABASE "{name}"'))
        try:
            url = make_url(admin_url).set(database=name).render_as_string(hide_password=False)
            upgrade_to_head(url)
            yield url
        finally:
            asyncio.run(_admin_sql(admin_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    finally:
        if embedded is not None:
            embedded.stop()


async def _seed(url: str, password: str) -> None:
    async def work(session: AsyncSession) -> None:
        await seed_demo(session)
        await UserService(session).create(
            UserCreate(username=ADMIN, full_name="Fuzzing", role=Role.ADMIN, password=password)
        )

    await in_transaction(url, work)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@contextmanager
def served(url: str, work: Path) -> Iterator[str]:
    """uvicorn serving the API on `url`'s database; yields its base URL, stops it on exit."""
    env = {
        **os.environ,
        "KCN_ENV": "development",
        "KCN_DATABASE_URL": url,
        "KCN_SECRET_KEY": secrets.token_urlsafe(48),
        "KCN_DATA_DIR": str(work / "data"),
        "KCN_LOG_LEVEL": "WARNING",
    }
    with uvicorn_served("app.main:app_factory", env, work / "server.log") as (base, _pid):
        yield base


@contextmanager
def uvicorn_served(app: str, env: dict[str, str], log: Path) -> Iterator[tuple[str, int]]:
    """uvicorn (one process) serving the app factory `app` with `env` on a free local port,
    its output in `log`; yields its base URL and pid, stops it on exit."""
    port = _free_port()
    command = [
        sys.executable,
        "-m",
        "uvicorn",
        app,
        "--factory",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--no-access-log",
        "--log-level",
        "warning",
    ]
    base = f"http://127.0.0.1:{port}"
    with log.open("wb") as out:
        server = subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
        try:
            _wait_ready(server, base, log)
            yield base, server.pid
        finally:
            server.terminate()
            try:
                server.wait(timeout=15)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()


def _wait_ready(server: subprocess.Popen[bytes], base: str, log: Path) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SetupError(f"the server exited with {server.returncode}:\n{_tail(log)}")
        try:
            if httpx.get(f"{base}/readyz", timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.25)
    raise SetupError(f"the server was not ready within {STARTUP_SECONDS} s:\n{_tail(log)}")


def _tail(log: Path, lines: int = 40) -> str:
    return "\n".join(log.read_text(errors="replace").splitlines()[-lines:])


def _token(base: str, password: str) -> str:
    response = httpx.post(
        f"{base}/api/v1/auth/token", data={"username": ADMIN, "password": password}, timeout=10
    )
    if response.status_code != 200:
        raise SetupError(f"login failed: {response.status_code} {response.text}")
    token: str = response.json()["access_token"]
    return token


def _schemathesis(base: str, password: str, extra: list[str]) -> int:
    """schemathesis as the fuzzing admin: the hooks log in (bench/fuzz_hooks.py AdminLogin), and
    again whenever an answer is 401, since fuzzed requests may end the admin's own session."""
    command = [
        str(Path(sys.executable).with_name("schemathesis")),
        "--config-file",
        str(ROOT / "schemathesis.toml"),
        "run",
        f"{base}/openapi.json",
        *extra,
    ]
    env = {**os.environ, "KCN_FUZZ_BASE_URL": base, "KCN_FUZZ_PASSWORD": password}
    started = time.monotonic()
    try:
        code = subprocess.run(
            command, cwd=ROOT, env=env, timeout=SCHEMATHESIS_TIMEOUT_SECONDS
        ).returncode
    except subprocess.TimeoutExpired:
        print(f"fuzz: schemathesis did not finish within {SCHEMATHESIS_TIMEOUT_SECONDS} s")
        return 1
    print(f"fuzz: schemathesis finished in {time.monotonic() - started:.0f} s (exit code {code})")
    return code


def _terminated(signum: int, _frame: FrameType | None) -> None:
    raise SystemExit(128 + signum)  # unwinds through the clean-ups below


def main(extra: list[str]) -> int:
    signal.signal(signal.SIGTERM, _terminated)
    password = secrets.token_urlsafe(24)
    started = time.monotonic()
    try:
        with (
            tempfile.TemporaryDirectory(prefix="kcn-fuzz-") as tmp,
            demo_database(Path(tmp)) as url,
        ):
            work = Path(tmp)
            asyncio.run(_seed(url, password))
            print(f"fuzz: demo database ready in {time.monotonic() - started:.0f} s", flush=True)
            with served(url, work) as base:
                _token(base, password)  # the login works before schemathesis starts
                code = _schemathesis(base, password, extra)
            if code != 0 and (work / "server.log").stat().st_size:
                print(f"fuzz: the server's log ends with:\n{_tail(work / 'server.log')}")
            return code
    except SetupError as exc:
        print(f"fuzz: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
