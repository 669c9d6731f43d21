"""A spreadsheet import running in the background (a file of more rows than a request should
wait for): its progress, and its report when done."""

import datetime as dt
from enum import StrEnum
from typing import Any

from sqlalchemy import BigInteger, Boolean, DateTime, ForeignKey, Integer, String, func
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, enum_check


class ImportJobStatus(StrEnum):
    RUNNING = "running"
    SUCCEEDED = "succeeded"
    FAILED = "failed"  # refused rows, or the service stopped: nothing was written


class ImportJob(Base):
    __tablename__ = "import_jobs"
    __table_args__ = (enum_check("status", ImportJobStatus),)

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    register: Mapped[str] = mapped_column(String(16))
    filename: Mapped[str | None] = mapped_column(String(300))
    dry_run: Mapped[bool] = mapped_column(Boolean)
    status: Mapped[ImportJobStatus] = mapped_column(String(16))
    total: Mapped[int] = mapped_column(Integer)
    processed: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    report: Mapped[dict[str, Any] | None] = mapped_column(JSONB)
    detail: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[dt.datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now()
    )
    # Moved on with each thousand rows: a running job whose heartbeat stopped was cut off.
    heartbeat_at: Mapped[dt.datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now()
    )
    finished_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
