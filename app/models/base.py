"""Declarative base, the constraint naming convention, and the columns most tables share."""

import datetime as dt
from enum import StrEnum
from typing import TYPE_CHECKING, Any, ClassVar

from sqlalchemy import CheckConstraint, DateTime, MetaData, String, event, func
from sqlalchemy.orm import DeclarativeBase, Mapped, declared_attr, mapped_column

from app.core.text import search_key

if TYPE_CHECKING:
    from app.models.audit import Audited

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)

    # How the audit trail records this model's rows (app/core/audit.py); None: not audited,
    # which app.core.audit.NOT_AUDITED must then explain.
    __audit__: ClassVar["Audited | None"] = None
    # Personal data: hidden from viewers in the API and masked in the audit trail. The one list
    # of a model's personal fields (each domain's auth.py uses it).
    __personal__: ClassVar[tuple[str, ...]] = ()


class Timestamped:
    created_at: Mapped[dt.datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now()
    )
    updated_at: Mapped[dt.datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), onupdate=func.now()
    )


class Versioned:
    """A version counter that backs ETag/If-Match and guards concurrent updates."""

    version: Mapped[int] = mapped_column(nullable=False)

    @declared_attr.directive
    def __mapper_args__(cls) -> dict[str, Any]:  # noqa: N805
        # eager_defaults: server-set timestamps come back with RETURNING, never lazily loaded.
        return {"version_id_col": cls.version, "eager_defaults": True}


class Searchable:
    """A stored diacritic-insensitive key over the attributes named in __search_fields__."""

    __search_fields__: ClassVar[tuple[str, ...]] = ()
    search_key: Mapped[str] = mapped_column(String(1000), default="", server_default="")


@event.listens_for(Searchable, "before_insert", propagate=True)
@event.listens_for(Searchable, "before_update", propagate=True)
def _refresh_search_key(_mapper: Any, _connection: Any, target: Searchable) -> None:
    target.search_key = search_key(*(getattr(target, name) for name in target.__search_fields__))


def enum_check(column: str, enum: type[StrEnum], name: str | None = None) -> CheckConstraint:
    """A CHECK that keeps a text column inside a StrEnum's values (the one definition)."""
    values = ", ".join(f"'{member.value}'" for member in enum)
    return CheckConstraint(f"{column} IN ({values})", name=name or f"{column}_valid")
