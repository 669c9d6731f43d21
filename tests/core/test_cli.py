"""The kcn-party command, run as ops run it: a subprocess against the test database.

The subprocess commits for real, outside the per-test transaction, so these tests check and clean
up through a connection of their own.
"""

import asyncio
import contextlib
import json
import os
import pty
import re
import socket
import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import asyncpg
import httpx
import pytest
from sqlalchemy import delete, func, make_url, select

from app.core.db import Database
from app.models import Role, User
from tests.conftest import admin_sql, plain_url
from tests.fixtures.cli import KCN_PARTY, Run, kcn_party
from tests.fixtures.live import free_port


async def _count_users(database: Database, username: str) -> int:
    async with database.engine.connect() as conn:
        stmt = select(func.count()).select_from(User).where(User.username == username)
        return (await conn.scalar(stmt)) or 0


@pytest.fixture
async def cli_username(database: Database) -> AsyncIterator[str]:
    """A fresh username; whatever the CLI created under it is deleted afterwards."""
    username = f"cli-{uuid.uuid4().hex[:10]}"
    yield username
    async with database.engine.begin() as conn:
        await conn.execute(delete(User).where(User.username == username))


async def test_create_user_reads_the_password_from_stdin_and_the_user_can_log_in(
    cli_env: dict[str, str],
    cli_username: str,
    tmp_path: Path,
    anon: httpx.AsyncClient,
) -> None:
    password = "a long password from stdin"

    run = await kcn_party(
        cli_env,
        "create-user",
        cli_username,
        "--role",
        "editor",
        "--full-name",
        "Nguyễn Văn An",
        stdin=password + "\n",
        cwd=tmp_path,
    )

    assert run.returncode == 0, run.stderr
    assert cli_username in run.stdout
    assert password not in run.stdout + run.stderr
    token = await anon.post(
        "/api/v1/auth/token", data={"username": cli_username, "password": password}
    )
    assert token.status_code == 200, token.text
    me = await anon.get(
        "/api/v1/auth/me", headers={"Authorization": f"Bearer {token.json()['access_token']}"}
    )
    assert me.json()["role"] == Role.EDITOR
    assert me.json()["full_name"] == "Nguyễn Văn An"


async def test_create_user_with_a_short_password_fails_and_creates_nothing(
    cli_env: dict[str, str], cli_username: str, tmp_path: Path, database: Database
) -> None:
    run = await kcn_party(
        cli_env, "create-user", cli_username, "--role", "viewer", stdin="short\n", cwd=tmp_path
    )

    assert run.returncode != 0
    assert "password" in run.stderr
    assert "12 characters" in run.stderr
    assert "Traceback" not in run.stderr
    assert await _count_users(database, cli_username) == 0


async def test_create_user_twice_reports_the_taken_username(
    cli_env: dict[str, str], cli_username: str, tmp_path: Path, database: Database
) -> None:
    args = ("create-user", cli_username, "--role", "viewer")
    first = await kcn_party(cli_env, *args, stdin="first password\n", cwd=tmp_path)
    assert first.returncode == 0, first.stderr

    second = await kcn_party(cli_env, *args, stdin="second password\n", cwd=tmp_path)

    assert second.returncode == 1
    assert "already taken" in second.stderr
    assert "Traceback" not in second.stderr
    assert await _count_users(database, cli_username) == 1


async def test_create_user_with_an_unknown_role_fails(
    cli_env: dict[str, str], cli_username: str, tmp_path: Path, database: Database
) -> None:
    run = await kcn_party(
        cli_env,
        "create-user",
        cli_username,
        "--role",
        "boss",
        stdin="long password\n",
        cwd=tmp_path,
    )

    assert run.returncode != 0
    assert await _count_users(database, cli_username) == 0


async def test_migrate_is_idempotent(cli_env: dict[str, str], tmp_path: Path) -> None:
    for _ in range(2):
        run = await kcn_party(cli_env, "migrate", cwd=tmp_path)
        assert run.returncode == 0, run.stderr
        assert "migrated to head" in run.stdout


async def test_production_without_secret_exits_with_one_line(
    cli_env: dict[str, str], tmp_path: Path
) -> None:
    env = dict(cli_env, KCN_ENV="production")

    run = await kcn_party(env, "migrate", cwd=tmp_path)

    assert run.returncode == 2
    assert run.stderr.strip() == (
        "kcn-party: KCN_SECRET_KEY must be set (32 characters or more) when KCN_ENV=production"
    )


def _one_line(run: Run) -> str:
    """The command failed with exit 2 and one line on stderr, no traceback."""
    assert run.returncode == 2, run
    lines = run.stderr.strip().splitlines()
    assert len(lines) == 1, run.stderr
    assert "Traceback" not in run.stderr
    return lines[0]


@pytest.mark.parametrize(
    ("database", "reason"),
    [
        ("127.0.0.1:{port}/kcn", "Connect call failed"),
        ("127.0.0.1:{server_port}/kcn_no_such_database", "does not exist"),
    ],
    ids=["unreachable", "missing-database"],
)
async def test_a_database_that_cannot_be_used_is_one_line_and_exit_2(
    cli_env: dict[str, str], tmp_path: Path, database_url: str, database: str, reason: str
) -> None:
    server_port = make_url(database_url).port or 5432
    place = database.format(port=free_port(), server_port=server_port)
    cli_env["KCN_DATABASE_URL"] = f"postgresql://postgres@{place}"
    for command in (["migrate"], ["seed-demo"], ["serve", "--port", str(free_port())]):
        line = _one_line(await kcn_party(cli_env, *command, cwd=tmp_path))
        assert line.startswith(f"kcn-party: cannot use the database at {place}: "), line
        assert reason in line


async def test_create_user_on_an_unmigrated_database_says_to_migrate(
    cli_env: dict[str, str], tmp_path: Path, server_url: str
) -> None:
    name = f"kcn_unmigrated_{uuid.uuid4().hex[:8]}"
    await admin_sql(server_url, f'CREATE DATABASE "{name}"')
    try:
        cli_env["KCN_DATABASE_URL"] = (
            make_url(server_url).set(database=name).render_as_string(hide_password=False)
        )
        run = await kcn_party(
            cli_env,
            "create-user",
            "bob",
            "--role",
            "viewer",
            stdin="a long password 4 cli\n",
            cwd=tmp_path,
        )
        assert "run `kcn-party migrate` first" in _one_line(run)
    finally:
        await admin_sql(server_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


async def test_a_port_in_use_is_refused_before_serve_says_it_serves(
    cli_env: dict[str, str], tmp_path: Path
) -> None:
    with socket.create_server(("127.0.0.1", 0)) as taken:
        port = taken.getsockname()[1]
        run = await kcn_party(cli_env, "serve", "--port", str(port), cwd=tmp_path)
    line = _one_line(run)
    assert line.startswith(f"kcn-party: cannot listen on 127.0.0.1:{port}: Address already in use")
    assert "Serving on" not in run.stdout


async def test_an_unknown_log_level_is_refused(cli_env: dict[str, str], tmp_path: Path) -> None:
    cli_env["KCN_LOG_LEVEL"] = "verbose"
    line = _one_line(await kcn_party(cli_env, "migrate", cwd=tmp_path))
    assert line.startswith("kcn-party: invalid settings: KCN_LOG_LEVEL:")


async def test_seed_demo_reports_each_step_with_its_rows(
    cli_env: dict[str, str], tmp_path: Path, empty_database: str
) -> None:
    cli_env["KCN_DATABASE_URL"] = empty_database
    run = await kcn_party(cli_env, "seed-demo", cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    lines = run.stdout.strip().splitlines()
    assert lines[-1] == "Loaded the demo dataset."
    steps = dict(re.findall(r"^  ([a-z ]+): ([\d,]+) \(\d+\.\d s\)$", run.stdout, re.M))
    assert list(steps)[:2] == ["industrial zones", "enterprises"]
    assert len(steps) == 11
    conn = await asyncpg.connect(plain_url(empty_database))
    try:
        for label, table in (("industrial zones", "industrial_zones"), ("targets", "targets")):
            stored = await conn.fetchval(f"SELECT count(*) FROM {table}")
            assert stored > 0
            assert steps[label] == f"{stored:,}"
    finally:
        await conn.close()


async def test_seed_demo_on_a_terminal_shows_a_progress_bar(
    cli_env: dict[str, str], tmp_path: Path, empty_database: str
) -> None:
    cli_env["KCN_DATABASE_URL"] = empty_database
    main, terminal = pty.openpty()
    process = await asyncio.create_subprocess_exec(
        str(KCN_PARTY), "seed-demo", stdout=terminal, stderr=terminal, env=cli_env, cwd=tmp_path
    )
    os.close(terminal)

    def read_all() -> bytes:
        chunks = []
        while True:
            try:
                chunk = os.read(main, 4096)
            except OSError:  # EIO: the terminal's last writer exited
                break
            if not chunk:
                break
            chunks.append(chunk)
        return b"".join(chunks)

    output = (await asyncio.wait_for(asyncio.to_thread(read_all), timeout=90)).decode()
    os.close(main)
    assert await process.wait() == 0, output
    assert "100%" in output
    assert "targets" in output
    assert "\r" in output  # one line redrawn, not eleven printed
    assert output.rstrip().endswith("Loaded the demo dataset.")


async def test_serve_writes_only_json_log_lines_to_stdout(
    cli_env: dict[str, str], tmp_path: Path, empty_database: str
) -> None:
    cli_env["KCN_DATABASE_URL"] = empty_database
    port = free_port()
    process = await asyncio.create_subprocess_exec(
        str(KCN_PARTY),
        "serve",
        "--port",
        str(port),
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
        env=cli_env,
        cwd=tmp_path,
    )
    try:
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}") as client:
            for _ in range(200):
                with contextlib.suppress(httpx.TransportError):
                    if (await client.get("/readyz")).status_code == 200:
                        break
                await asyncio.sleep(0.1)
            assert (await client.get("/api/v1/auth/me")).status_code == 401
    finally:
        process.terminate()
        out, err = await asyncio.wait_for(process.communicate(), timeout=30)
    lines = out.decode().strip().splitlines()
    assert lines
    records = [json.loads(line) for line in lines]  # every stdout line is one JSON object
    assert any(r.get("path") == "/api/v1/auth/me" and r["status"] == 401 for r in records)
    assert all(
        re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+00:00", r["time"]) for r in records
    )
    assert not any("color_message" in r for r in records)
    said = err.decode()
    assert "Serving on" in said
    assert "First start: created user 'admin'" in said
