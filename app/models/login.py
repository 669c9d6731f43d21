"""Failed logins, counted per account and per client address to throttle password guessing
(app/auth/throttle.py)."""

import datetime as dt

from sqlalchemy import BigInteger, DateTime, Index, String, func
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base


class LoginFailure(Base):
    __tablename__ = "login_failures"
    __table_args__ = (
        Index("ix_login_failures_username_failed_at", "username", "failed_at"),
        Index("ix_login_failures_client_address_failed_at", "client_address", "failed_at"),
    )

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    # The username as submitted (lowercased, cut to 255): unknown names are throttled alike.
    username: Mapped[str] = mapped_column(String(255))
    client_address: Mapped[str] = mapped_column(String(64))
    failed_at: Mapped[dt.datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now()
    )
