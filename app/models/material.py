"""The outreach materials library: leaflets, booklets, slides and video links in the languages of
the enterprises' owners. Files are kept in PostgreSQL (`material_files`), so that a database
backup holds everything the service answers with."""

from enum import StrEnum

from sqlalchemy import CheckConstraint, ForeignKey, Integer, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, deferred, mapped_column

from app.models.audit import Audited, AuditResource
from app.models.base import Base, Searchable, Timestamped, Versioned, enum_check


class MaterialKind(StrEnum):
    LEAFLET = "leaflet"
    BOOKLET = "booklet"
    SLIDES = "slides"
    VIDEO_LINK = "video_link"


class Material(Searchable, Versioned, Timestamped, Base):
    __tablename__ = "materials"
    __audit__ = Audited(AuditResource.MATERIAL)
    __search_fields__ = ("title", "topic")
    __table_args__ = (
        enum_check("kind", MaterialKind),
        # A video is a link; everything else is a file.
        CheckConstraint(
            "(kind = 'video_link') = (url IS NOT NULL AND sha256 IS NULL)", name="file_or_link"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(300))
    language: Mapped[str] = mapped_column(String(2), index=True)
    kind: Mapped[MaterialKind] = mapped_column(String(16))
    topic: Mapped[str | None] = mapped_column(String(200))
    # The material's own edition ("2024", "v2"): `version` in the API (the row's `version` is
    # its ETag counter).
    edition: Mapped[str | None] = mapped_column(String(50))
    notes: Mapped[str | None] = mapped_column(Text)
    url: Mapped[str | None] = mapped_column(String(2000))
    filename: Mapped[str | None] = mapped_column(String(255))
    media_type: Mapped[str | None] = mapped_column(String(200))
    size_bytes: Mapped[int | None] = mapped_column(Integer)
    sha256: Mapped[str | None] = mapped_column(String(64), unique=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))


class MaterialFile(Base):
    """A material's bytes, apart from its description so that lists never read them."""

    __tablename__ = "material_files"

    material_id: Mapped[int] = mapped_column(
        ForeignKey("materials.id", ondelete="CASCADE"), primary_key=True
    )
    content: Mapped[bytes] = deferred(mapped_column(LargeBinary, nullable=False))
