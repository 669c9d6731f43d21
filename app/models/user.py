"""Users of the service and their roles."""

from enum import StrEnum

from sqlalchemy import Boolean, String
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, Searchable, Timestamped, Versioned, enum_check


class Role(StrEnum):
    ADMIN = "admin"
    EDITOR = "editor"
    GROUP_LEADER = "group_leader"
    VIEWER = "viewer"


class User(Searchable, Versioned, Timestamped, Base):
    __tablename__ = "users"
    __table_args__ = (enum_check("role", Role),)
    __search_fields__ = ("username", "full_name")

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    full_name: Mapped[str] = mapped_column(String(200))
    role: Mapped[Role] = mapped_column(String(32))
    password_hash: Mapped[str] = mapped_column(String(255))
    is_active: Mapped[bool] = mapped_column(Boolean, default=True, server_default="true")
