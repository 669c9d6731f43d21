"""The kcn-party command: serve, migrate, create-user, seed-demo, prune-audit,
rebuild-aggregates, openapi."""

import asyncio
import atexit
import getpass
import os
import secrets
import signal
import socket
import sys
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

import typer
from pydantic import ValidationError
from sqlalchemy import make_url
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncSession

from app.config import ConfigError, Settings, get_settings
from app.core.audit import audit_context
from app.core.db import in_transaction
from app.core.embedded import start_embedded_postgres, stop_embedded_postgres
from app.core.errors import DomainError
from app.core.migrations import upgrade_to_head
from app.models import Role

if TYPE_CHECKING:
    import uvicorn

# What a slow or idle client may hold (README "Failure behaviour"); the image's CMD says the same.
KEEP_ALIVE_SECONDS = 5  # an idle keep-alive connection stays open this long
MAX_HEADER_BYTES = 16 * 1024  # request line and headers
GRACEFUL_SHUTDOWN_SECONDS = 20  # in-flight requests get this long at shutdown

cli = typer.Typer(help="kcn-party: the KCN Party Building service.", no_args_is_help=True)
T = TypeVar("T")


def _settings() -> Settings:
    try:
        return get_settings()
    except ConfigError as exc:
        typer.echo(f"kcn-party: {exc}", err=True)
        raise typer.Exit(2) from exc


def _database_url(settings: Settings) -> str:
    if settings.database_url:
        return settings.database_url
    typer.echo(f"Using the embedded PostgreSQL in {settings.data_dir / 'postgres'}", err=True)
    return start_embedded_postgres(settings.data_dir)


@contextmanager
def _database_trouble(url: str) -> Iterator[None]:
    """A database that cannot be reached or used ends the command with one line and exit 2,
    not a traceback."""
    try:
        yield
    except (OSError, DBAPIError) as exc:
        where = make_url(url)
        place = f"{where.host or 'localhost'}:{where.port or 5432}/{where.database or ''}"
        orig = getattr(exc, "orig", None)
        if getattr(orig, "pgcode", None) == UNDEFINED_TABLE:
            reason = "it is not migrated; run `kcn-party migrate` first"
        else:
            # The driver's own error (the DBAPI adapter's message repeats its class name).
            cause = getattr(orig, "__cause__", None) or orig or exc
            reason = (str(cause).strip().splitlines() or [type(cause).__name__])[0]
        typer.echo(f"kcn-party: cannot use the database at {place}: {reason}", err=True)
        raise typer.Exit(2) from exc


UNDEFINED_TABLE = "42P01"


def _migrate(url: str) -> None:
    with _database_trouble(url):
        upgrade_to_head(url)


def _in_session(url: str, work: Callable[[AsyncSession], Awaitable[T]], command: str) -> T:
    """Run `work` in one transaction, committed when it succeeds; the audit trail attributes
    its changes to the command (`kcn-party create-user`). Database trouble ends the command
    with one line (`_database_trouble`)."""

    async def run() -> T:
        with audit_context(operation=f"kcn-party {command}"):
            return await in_transaction(url, work)

    with _database_trouble(url):
        return asyncio.run(run())


@cli.command()
def migrate() -> None:
    """Upgrade the database to the newest schema revision."""
    settings = _settings()
    _migrate(_database_url(settings))
    typer.echo("Database migrated to head.")


@cli.command("create-user")
def create_user(
    username: str,
    role: Annotated[Role, typer.Option(help="admin, editor, group_leader or viewer")],
    full_name: Annotated[str | None, typer.Option(help="Defaults to the username.")] = None,
) -> None:
    """Create an account. The password is read from stdin when it is not a terminal, otherwise
    prompted for twice; it is never a command-line argument."""
    from app.users.schemas import UserCreate
    from app.users.service import UserService

    if sys.stdin.isatty():
        password = getpass.getpass("Password: ")
        if getpass.getpass("Repeat password: ") != password:
            typer.echo("kcn-party: the passwords differ", err=True)
            raise typer.Exit(1)
    else:
        password = sys.stdin.readline().rstrip("\r\n")
    try:
        data = UserCreate(
            username=username, full_name=full_name or username, role=role, password=password
        )
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors())
        typer.echo(f"kcn-party: {problems}", err=True)
        raise typer.Exit(1) from exc
    settings = _settings()
    try:
        user = _in_session(
            _database_url(settings), lambda s: UserService(s).create(data), "create-user"
        )
    except DomainError as exc:
        typer.echo(f"kcn-party: {exc.detail}", err=True)
        raise typer.Exit(1) from exc
    typer.echo(f"Created user {user.username} (id {user.id}, role {user.role}).")


async def _create_first_admin(session: AsyncSession) -> str | None:
    """On a development instance with no users, create `admin` and return its password."""
    from app.users.repository import UserRepository
    from app.users.schemas import UserCreate
    from app.users.service import UserService

    if await UserRepository(session).count() > 0:
        return None
    password = secrets.token_urlsafe(12)
    await UserService(session).create(
        UserCreate(username="admin", full_name="Administrator", role=Role.ADMIN, password=password)
    )
    return password


class _Interrupted(BaseException):
    """A shutdown signal arrived while `serve` was still starting."""


class _ShutdownSignals:
    """SIGTERM, SIGINT and SIGHUP (docker stop, systemd, timeout, Ctrl-C, a closed terminal) end
    `serve` gracefully, and then the embedded PostgreSQL it started.

    While the service starts, a signal abandons the start. While uvicorn serves, it handles SIGTERM
    and SIGINT itself: it drains, puts these handlers back and raises the signal again (which now
    only records it); SIGHUP, which uvicorn leaves to its default action (dying on the spot), asks
    it for the same graceful exit. serve() then stops the embedded server, and the process ends by
    the signal, as uvicorn would have ended it: at exit, after the other exit handlers.
    """

    SIGNALS = (signal.SIGTERM, signal.SIGINT, signal.SIGHUP)

    def __init__(self) -> None:
        self.received: int | None = None
        self._server: uvicorn.Server | None = None
        self._starting = True
        # atexit runs the last registered first: this ends the process after the exit handlers
        # registered later (the embedded PostgreSQL's among them).
        atexit.register(self._end_by_signal)
        for signum in self.SIGNALS:
            if signal.getsignal(signum) is not signal.SIG_IGN:  # nohup's SIGHUP stays ignored
                signal.signal(signum, self._handle)

    def serving(self, server: "uvicorn.Server") -> None:
        """From now on a signal asks `server` to shut down instead of abandoning the start."""
        self._server = server
        self._starting = False

    def stopping(self) -> None:
        """From now on a signal is only recorded: nothing may interrupt the stop."""
        self._starting = False

    def _handle(self, signum: int, _frame: FrameType | None) -> None:
        if self.received is None:
            self.received = signum
        if self._starting:
            self._starting = False
            raise _Interrupted
        if self._server is not None:
            if self._server.should_exit:
                self._server.force_exit = True  # a second signal: stop waiting for requests
            self._server.should_exit = True

    def _end_by_signal(self) -> None:
        if self.received is not None:
            sys.stdout.flush()
            sys.stderr.flush()
            signal.signal(self.received, signal.SIG_DFL)
            signal.raise_signal(self.received)


@cli.command()
def serve(
    host: Annotated[str, typer.Option(help="Interface to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    no_migrate: Annotated[bool, typer.Option("--no-migrate", help="Skip migrations.")] = False,
    demo: Annotated[bool, typer.Option("--demo", help="Load demo data into an empty db.")] = False,
    workers: Annotated[
        int | None,
        typer.Option(min=0, max=64, help="Worker processes (default KCN_WORKERS, 1; 0: per CPU)."),
    ] = None,
) -> None:
    """Migrate to head (unless --no-migrate) and serve the API with uvicorn.

    SIGTERM, SIGINT and SIGHUP end it gracefully; the embedded PostgreSQL stops with it. With
    several workers, the embedded PostgreSQL is started once, here, and shared."""
    from uvicorn.config import STARTUP_FAILURE

    settings = _settings()
    _check_port(host, port)
    count = settings.workers if workers is None else workers
    count = count or os.cpu_count() or 1
    shutdown = _ShutdownSignals()
    try:
        server = _start(settings, host, port, no_migrate=no_migrate, demo=demo, workers=count)
        plural = f" with {count} workers" if count > 1 else ""
        _to_stderr(
            f"Serving on http://{host}:{port}{plural} (API docs at http://{host}:{port}/docs)"
        )
        shutdown.serving(server)
        if count > 1:
            _supervise(server)
        else:
            server.run()
    except _Interrupted:
        return
    finally:
        shutdown.stopping()
        stop_embedded_postgres()
    if not server.started and shutdown.received is None:
        raise typer.Exit(STARTUP_FAILURE)  # as uvicorn.run exits when it could not start


def _to_stderr(line: str) -> None:
    """serve's words for people: its stdout is the JSON log stream."""
    typer.echo(line, err=True)


def _check_port(host: str, port: int) -> None:
    """Refuse a port another process listens on before anything starts (exit 2)."""
    try:
        with socket.create_server((host, port)):
            pass
    except OSError as exc:
        typer.echo(f"kcn-party: cannot listen on {host}:{port}: {exc.strerror or exc}", err=True)
        raise typer.Exit(2) from exc


def _supervise(server: "uvicorn.Server") -> None:
    """Run `server`'s config in worker processes sharing one socket (uvicorn's supervisor: it
    answers SIGTERM and SIGINT by stopping the workers gracefully, SIGHUP by replacing them)."""
    from uvicorn.supervisors import Multiprocess

    listener = server.config.bind_socket()
    Multiprocess(server.config, sockets=[listener]).run()
    server.started = True


def _start(
    settings: Settings, host: str, port: int, *, no_migrate: bool, demo: bool, workers: int = 1
) -> "uvicorn.Server":
    """Everything `serve` does before serving; returns the uvicorn server, not yet running."""
    import uvicorn

    from app.main import create_app, freeze_startup_objects

    url = _database_url(settings)
    if not no_migrate:
        _migrate(url)
    if settings.env == "development":
        password = _in_session(url, _create_first_admin, "serve")
        if password:
            _to_stderr(
                "\n  First start: created user 'admin' with password "
                f"{password}\n  (shown once; change it with POST /api/v1/auth/password)\n"
            )
    if demo:
        from app.demo import seed_if_empty

        if _in_session(url, lambda session: seed_if_empty(session, _to_stderr), "serve --demo"):
            _to_stderr("Loaded the demo dataset.")
        else:
            _to_stderr("The database already holds data; demo data not loaded.")
    app: Any = create_app(settings.model_copy(update={"database_url": url}))
    if workers > 1:
        # Each worker builds the app from the environment: this database (the embedded one
        # started above, not one per worker) and this signing key.
        os.environ["KCN_DATABASE_URL"] = url
        os.environ["KCN_SECRET_KEY"] = settings.signing_key()
        app = "app.main:app_factory"
    else:
        freeze_startup_objects()
    config = uvicorn.Config(
        app,
        factory=workers > 1,
        workers=workers,
        host=host,
        port=port,
        log_config=None,
        access_log=False,
        proxy_headers=True,
        server_header=False,
        timeout_keep_alive=KEEP_ALIVE_SECONDS,
        h11_max_incomplete_event_size=MAX_HEADER_BYTES,
        timeout_graceful_shutdown=GRACEFUL_SHUTDOWN_SECONDS,
    )
    return uvicorn.Server(config)


@contextmanager
def _demo_progress() -> Iterator[Callable[[str], None]]:
    """How seed-demo tells its steps: a progress bar naming the step on a terminal, one line per
    step otherwise (a log, a pipe)."""
    from app.demo import STEPS

    if not sys.stdout.isatty():
        yield typer.echo
        return
    with typer.progressbar(length=STEPS, label="Loading the demo", file=sys.stdout) as bar:

        def advance(line: str) -> None:
            bar.label = line.strip()
            bar.update(1)

        yield advance


@cli.command("seed-demo")
def seed_demo() -> None:
    """Load the demo dataset (reference figures of June 2024) into an empty database."""
    from app.demo import seed_if_empty

    settings = _settings()
    url = _database_url(settings)
    _migrate(url)
    with _demo_progress() as progress:
        loaded = _in_session(url, lambda session: seed_if_empty(session, progress), "seed-demo")
    if loaded:
        typer.echo("Loaded the demo dataset.")
    else:
        typer.echo("kcn-party: the database already holds data; demo data not loaded.", err=True)
        raise typer.Exit(1)


@cli.command("prune-audit")
def prune_audit(
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Count what would be deleted; delete nothing.")
    ] = False,
) -> None:
    """Delete audit events older than KCN_AUDIT_RETENTION_DAYS (run it as the tables' owner
    when the service runs under KCN_DB_APP_ROLE, which may not delete them)."""
    from app.audit.retention import prune

    settings = _settings()
    if settings.audit_retention_days == 0:
        typer.echo("kcn-party: KCN_AUDIT_RETENTION_DAYS is 0: audit events are kept for ever")
        return
    days = settings.audit_retention_days
    count = _in_session(
        _database_url(settings), lambda s: prune(s, days, dry_run=dry_run), "prune-audit"
    )
    verb = "Would delete" if dry_run else "Deleted"
    typer.echo(f"{verb} {count} audit events older than {days} days.")


@cli.command("rebuild-aggregates")
def rebuild_aggregates(
    check: Annotated[
        bool,
        typer.Option("--check", help="Compare only; change nothing; exit 1 on any difference."),
    ] = False,
) -> None:
    """Recompute the as-of ledger from the dated records, report any difference from the one
    kept, and replace it with the recomputed one (which also folds its deltas). Changes to the
    counted records wait while it runs; reads go on."""
    from app.party.ledger import rebuild

    settings = _settings()
    checks = _in_session(
        _database_url(settings), lambda s: rebuild(s, apply=not check), "rebuild-aggregates"
    )
    for found in checks:
        typer.echo(
            f"{found.ledger}: {found.rows} rows recomputed, {found.differences} differences"
            + ("" if check or not found.differences else " (corrected)")
        )
    if check and any(found.differences for found in checks):
        raise typer.Exit(1)
    if not check:
        typer.echo("Ledger rebuilt.")


@cli.command()
def openapi(
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write to this file, not stdout.")
    ] = None,
) -> None:
    """Print the OpenAPI document (what /openapi.json serves) for client generators; no
    database needed."""
    import json

    from app.main import create_app

    document = json.dumps(create_app(_settings()).openapi(), ensure_ascii=False, indent=2)
    if output is None:
        typer.echo(document)
    else:
        output.write_text(document + "\n", encoding="utf-8")


def main() -> None:
    cli()
