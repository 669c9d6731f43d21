"""Users of the service, their roles, and their sessions (app/auth/sessions.py)."""

import datetime as dt
from enum import StrEnum

from sqlalchemy import Boolean, DateTime, ForeignKey, Integer, String, func
from sqlalchemy.orm import Mapped, mapped_column

from app.models.audit import AuditAction, Audited, AuditResource
from app.models.base import Base, Searchable, Timestamped, Versioned, enum_check


class Role(StrEnum):
    ADMIN = "admin"
    EDITOR = "editor"
    GROUP_LEADER = "group_leader"
    VIEWER = "viewer"


class User(Searchable, Versioned, Timestamped, Base):
    __tablename__ = "users"
    __audit__ = Audited(AuditResource.USER, secret=("password_hash",))
    __table_args__ = (enum_check("role", Role),)
    __search_fields__ = ("username", "full_name")

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    full_name: Mapped[str] = mapped_column(String(200))
    role: Mapped[Role] = mapped_column(String(32))
    password_hash: Mapped[str] = mapped_column(String(255))
    is_active: Mapped[bool] = mapped_column(Boolean, default=True, server_default="true")
    # Every token carries the generation it was issued under; a password change or reset, a role
    # change, deactivation and reactivation move it on, ending every earlier token at once.
    token_generation: Mapped[int] = mapped_column(Integer, default=0, server_default="0")


class AuthSession(Base):
    """One login: its access tokens name it, its refresh tokens rotate inside it."""

    __tablename__ = "auth_sessions"
    __audit__ = Audited(
        AuditResource.SESSION,
        parent=(AuditResource.USER, "user_id"),
        ignored=("refreshed_at",),
        actions={"create": AuditAction.LOGIN, "update": AuditAction.END_SESSION},
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[dt.datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now()
    )
    expires_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    refreshed_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    revoked_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    client_address: Mapped[str] = mapped_column(String(64))


class RefreshToken(Base):
    """A refresh token, stored as its sha256; used once, then replaced by the next."""

    __tablename__ = "refresh_tokens"

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    session_id: Mapped[int] = mapped_column(
        ForeignKey("auth_sessions.id", ondelete="CASCADE"), index=True
    )
    created_at: Mapped[dt.datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now()
    )
    used_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
