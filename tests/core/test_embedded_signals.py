"""The embedded PostgreSQL follows `kcn-party serve`: real signals to a real subprocess.

SIGTERM, SIGINT and SIGHUP end the service gracefully and stop the server it started; after a
SIGKILL the server survives, and the next start stops that orphan and runs a single fresh one.
The cases share one data directory, so only the first start runs initdb.
"""

import contextlib
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest

from tests.fixtures.live import free_port

KCN_PARTY = Path(sys.executable).parent / "kcn-party"
READY_SECONDS = 60.0
EXIT_SECONDS = 20.0
STOP_SECONDS = 15.0


@pytest.fixture(scope="module")
def data_dir() -> Iterator[Path]:
    # Outside pytest's rotating basetemp, which a parallel run may prune (as tests/conftest.py).
    directory = Path(tempfile.mkdtemp(prefix="kcn-signals-"))
    try:
        yield directory
    finally:
        _kill_servers(directory / "postgres")
        shutil.rmtree(directory, ignore_errors=True)


def _default_sigint() -> None:
    signal.signal(signal.SIGINT, signal.SIG_DFL)


class Serve:
    """`kcn-party serve` on the embedded PostgreSQL in data_dir, as a subprocess."""

    def __init__(self, data_dir: Path, name: str, *args: str) -> None:
        env = {key: value for key, value in os.environ.items() if not key.startswith("KCN_")}
        env.update(KCN_DATA_DIR=str(data_dir), KCN_SECRET_KEY="x" * 40)
        self.port = free_port()
        self.log = data_dir / f"{name}.log"
        with self.log.open("wb") as log:
            self.process = subprocess.Popen(
                [str(KCN_PARTY), "serve", "--port", str(self.port), *args],
                env=env,
                cwd=data_dir,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # its workers, if any, in its process group
                # As from a terminal: a test run started in the background (`make test &`)
                # ignores SIGINT, and serve, like nohup's SIGHUP, would keep it ignored.
                preexec_fn=_default_sigint,
            )

    def wait_ready(self) -> None:
        deadline = time.monotonic() + READY_SECONDS
        while time.monotonic() < deadline:
            assert self.process.poll() is None, f"serve exited early:\n{self.log.read_text()}"
            try:
                if httpx.get(f"http://127.0.0.1:{self.port}/readyz", timeout=2).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            time.sleep(0.1)
        pytest.fail(f"serve not ready in {READY_SECONDS} s:\n{self.log.read_text()}")

    def kill(self) -> None:
        """serve and whatever it spawned (workers outlive a killed supervisor)."""
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait()


@pytest.fixture
def serve(data_dir: Path) -> Iterator[Callable[..., Serve]]:
    """Starts `serve`s; whatever is left running afterwards, its PostgreSQL too, is killed."""
    started: list[Serve] = []

    def start(name: str, *args: str) -> Serve:
        started.append(Serve(data_dir, name, *args))
        started[-1].wait_ready()
        return started[-1]

    try:
        yield start
    finally:
        for process in started:
            process.kill()
        _kill_servers(data_dir / "postgres")


@pytest.mark.parametrize(
    "signum", [signal.SIGTERM, signal.SIGINT, signal.SIGHUP], ids=lambda signum: signum.name
)
def test_a_signal_ends_serve_and_its_postgres(
    serve: Callable[[str], Serve], data_dir: Path, signum: signal.Signals
) -> None:
    service = serve(signum.name)
    pgdata = data_dir / "postgres"
    postmaster = _postmaster_pid(pgdata)
    assert _is_running(postmaster)

    service.process.send_signal(signum)

    # uvicorn drained, the server was stopped, then serve ended by the signal, as uvicorn would.
    assert service.process.wait(timeout=EXIT_SECONDS) == -signum, service.log.read_text()
    assert _gone(postmaster), "the embedded PostgreSQL still runs"
    assert not (pgdata / "postmaster.pid").exists()  # a clean shutdown, not a kill
    assert "stopping the embedded PostgreSQL" in service.log.read_text()


def test_after_a_sigkill_the_next_serve_replaces_the_orphan_and_stops_it(
    serve: Callable[[str], Serve], data_dir: Path
) -> None:
    pgdata = data_dir / "postgres"
    first = serve("killed")
    orphan = _postmaster_pid(pgdata)

    first.process.kill()

    assert first.process.wait(timeout=EXIT_SECONDS) == -signal.SIGKILL
    assert _is_running(orphan)  # nobody stopped it

    second = serve("after-kill")

    postmaster = _postmaster_pid(pgdata)
    assert _postmasters(pgdata) == [postmaster]
    assert postmaster == orphan or not _is_running(orphan)
    assert "orphaned embedded PostgreSQL" in second.log.read_text()

    second.process.send_signal(signal.SIGTERM)

    assert second.process.wait(timeout=EXIT_SECONDS) == -signal.SIGTERM
    assert _eventually(lambda: not _postmasters(pgdata)), "the embedded PostgreSQL still runs"
    assert not _is_running(orphan)


def test_workers_share_the_one_embedded_postgres_and_stop_with_it(
    serve: Callable[..., Serve], data_dir: Path
) -> None:
    pgdata = data_dir / "postgres"
    service = serve("workers", "--workers", "2")
    workers = _children(service.process.pid)
    assert len(workers) == 2, service.log.read_text()
    postmaster = _postmaster_pid(pgdata)
    assert _postmasters(pgdata) == [postmaster]  # started once, by serve, not per worker
    for _ in range(20):
        ready = httpx.get(f"http://127.0.0.1:{service.port}/readyz", timeout=5)
        assert ready.status_code == 200, ready.text

    service.process.send_signal(signal.SIGTERM)

    # uvicorn's supervisor stops the workers gracefully, then serve stops the PostgreSQL.
    assert service.process.wait(timeout=EXIT_SECONDS) == 0, service.log.read_text()
    assert all(_gone(worker) for worker in workers)
    assert _gone(postmaster), "the embedded PostgreSQL still runs"
    assert not (pgdata / "postmaster.pid").exists()


def _children(pid: int) -> list[int]:
    """The worker processes serve spawned (not multiprocessing's resource tracker)."""
    children = [int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    return [c for c in children if b"spawn_main" in Path(f"/proc/{c}/cmdline").read_bytes()]


def _postmaster_pid(pgdata: Path) -> int:
    return int((pgdata / "postmaster.pid").read_text().split("\n", 1)[0])


def _is_running(pid: int) -> bool:
    """Alive and not a zombie (a stopped server nobody reaped yet is not running)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()[0]
    except (FileNotFoundError, ProcessLookupError):
        return False
    return state not in ("Z", "X")


def _postmasters(pgdata: Path) -> list[int]:
    """The running postmasters of pgdata: processes working in it whose parent does not."""
    in_pgdata: dict[int, int] = {}  # pid: parent pid
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and _is_running(int(entry.name)):
            try:
                if Path(os.readlink(entry / "cwd")) == pgdata.resolve():
                    status = (entry / "status").read_text()
                    in_pgdata[int(entry.name)] = int(status.split("PPid:")[1].split()[0])
            except OSError:
                continue
    return sorted(pid for pid, parent in in_pgdata.items() if parent not in in_pgdata)


def _gone(pid: int, seconds: float = STOP_SECONDS) -> bool:
    return _eventually(lambda: not _is_running(pid), seconds)


def _eventually(condition: Callable[[], bool], seconds: float = STOP_SECONDS) -> bool:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True


def _kill_servers(pgdata: Path) -> None:
    """Immediate shutdown of any server left on pgdata; SIGKILL if even that hangs."""
    for pid in _postmasters(pgdata) if pgdata.exists() else []:
        os.kill(pid, signal.SIGQUIT)
        if not _gone(pid, 5):
            os.kill(pid, signal.SIGKILL)
