"""A file of more rows than KCN_IMPORT_JOB_ROWS is imported in the background (issue 14): 202
with Location, the job's progress and report at GET /imports/{id}, nothing written when it is
refused or cut off."""

import datetime as dt

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.config import Settings
from app.core.db import Database
from app.main import create_app
from app.models import Enterprise, ImportJob, ImportJobStatus, Role
from app.spreadsheets.jobs import STALE, fail_stale_jobs
from tests.conftest import client_for, serve_test_session
from tests.fixtures.auth import UserFactory, token_for
from tests.fixtures.db import Fingerprint
from tests.fixtures.registry import ZoneFactory
from tests.problems import assert_problem

HEADER = "Mã số thuế,Tên doanh nghiệp,Mã KCN,Loại hình sở hữu,Số lao động"


@pytest.fixture
def small_jobs_app(settings: Settings, database: Database, session: AsyncSession) -> FastAPI:
    """An app that imports files of more than 2 rows in the background."""
    return serve_test_session(
        create_app(settings.model_copy(update={"import_job_rows": 2}), database=database),
        session,
    )


def _file(*rows: str) -> bytes:
    return ("\r\n".join([HEADER, *rows]) + "\r\n").encode()


async def test_a_large_file_runs_in_the_background_and_reports_when_done(
    small_jobs_app: FastAPI,
    make_user: UserFactory,
    make_zone: ZoneFactory,
    session: AsyncSession,
) -> None:
    await make_zone(code="KCN-A")
    editor = client_for(small_jobs_app, token_for(await make_user(Role.EDITOR)))
    rows = [f"010000000{n},Công ty {n},KCN-A,state,{n}" for n in range(3)]

    started = await editor.post(
        "/api/v1/imports/enterprises", files={"file": ("big.csv", _file(*rows), "text/csv")}
    )

    assert started.status_code == 202, started.text
    job = started.json()
    assert (job["status"], job["total"], job["filename"]) == ("running", 3, "big.csv")
    assert job["register"] == "enterprises"
    assert started.headers["Location"] == f"/api/v1/imports/{job['id']}"
    done = await editor.get(started.headers["Location"])  # the job ran after the response
    assert done.status_code == 200, done.text
    finished = done.json()
    assert (finished["status"], finished["processed"]) == ("succeeded", 3)
    assert finished["report"]["created"] == 3
    assert finished["finished_at"] is not None
    assert len((await session.scalars(select(Enterprise))).all()) == 3


async def test_a_refused_background_import_writes_nothing(
    small_jobs_app: FastAPI,
    make_user: UserFactory,
    make_zone: ZoneFactory,
    fingerprint: Fingerprint,
) -> None:
    await make_zone(code="KCN-A")
    editor = client_for(small_jobs_app, token_for(await make_user(Role.EDITOR)))
    rows = [
        "0100000001,A,KCN-A,state,1",
        "0100000002,B,KCN-ZZ,state,1",
        "0100000003,C,KCN-A,state,1",
    ]

    started = await editor.post(
        "/api/v1/imports/enterprises", files={"file": ("big.csv", _file(*rows), "text/csv")}
    )
    before_job = started.json()["id"]
    job = (await editor.get(f"/api/v1/imports/{before_job}")).json()

    assert job["status"] == "failed"
    assert job["detail"] == "1 problem(s) in the file; nothing was written"
    [error] = job["report"]["errors"]
    assert (error["row"], error["column"], error["code"]) == (3, "Mã KCN", "unknown_reference")
    assert (await fingerprint())["enterprises"] is None


async def test_a_job_cut_off_by_a_stopped_process_is_reported_failed(
    session: AsyncSession, make_user: UserFactory
) -> None:
    user = await make_user(Role.EDITOR)
    stale = dt.datetime.now(dt.UTC) - STALE - dt.timedelta(seconds=1)
    session.add_all(
        [
            ImportJob(user_id=user.id, register="members", dry_run=False,
                      status=ImportJobStatus.RUNNING, total=50_000, heartbeat_at=stale),
            ImportJob(user_id=user.id, register="members", dry_run=False,
                      status=ImportJobStatus.RUNNING, total=50_000),
        ]
    )  # fmt: skip
    await session.flush()

    await fail_stale_jobs(session)

    jobs = (await session.scalars(select(ImportJob).order_by(ImportJob.id))).all()
    await session.refresh(jobs[0])
    await session.refresh(jobs[1])
    assert [j.status for j in jobs] == ["failed", "running"]
    assert jobs[0].detail is not None
    assert "nothing was written" in jobs[0].detail


async def test_a_job_is_shown_to_its_owner_and_admins_only(
    small_jobs_app: FastAPI, make_user: UserFactory, make_zone: ZoneFactory
) -> None:
    await make_zone(code="KCN-A")
    owner = client_for(small_jobs_app, token_for(await make_user(Role.EDITOR)))
    other = client_for(small_jobs_app, token_for(await make_user(Role.EDITOR)))
    admin = client_for(small_jobs_app, token_for(await make_user(Role.ADMIN)))
    rows = [f"010000000{n},Công ty {n},KCN-A,state,{n}" for n in range(3)]
    started = await owner.post(
        "/api/v1/imports/enterprises",
        params={"dry_run": "true"},
        files={"file": ("big.csv", _file(*rows), "text/csv")},
    )
    location = started.headers["Location"]

    assert_problem(await other.get(location), 404, "not_found")
    assert (await admin.get(location)).json()["report"]["created"] == 3
    assert (await owner.get(location)).json()["dry_run"] is True


async def test_an_unknown_import_job_is_not_found(editor: httpx.AsyncClient) -> None:
    assert_problem(await editor.get("/api/v1/imports/987654"), 404, "not_found")
