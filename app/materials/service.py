"""Material rules: a file's media type is read from its content (PDF, images, office documents;
415 otherwise), its size bounded by KCN_MATERIAL_MAX_BYTES (413), the same file never stored
twice (409 naming the material that has it); a video is a link, not a file; a material handed
over in an activity or planned for a visit stays (409 on delete)."""

import hashlib
from typing import Any

import filetype
from fastapi import UploadFile
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.errors import Conflict, ContentTooLarge, RuleViolation, UnsupportedMediaType
from app.core.problem_codes import ProblemCode
from app.materials.repository import MaterialRepository
from app.materials.schemas import MaterialForm, MaterialUpdate
from app.models import Material, MaterialFile, MaterialKind, User

# What a committee hands to an enterprise's owner: documents, slides, pictures.
ACCEPTED = {
    "application/pdf": "pdf",
    "image/jpeg": "jpg",
    "image/png": "png",
    "image/webp": "webp",
    "image/gif": "gif",
    "application/msword": "doc",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
    "application/vnd.ms-excel": "xls",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "xlsx",
    "application/vnd.ms-powerpoint": "ppt",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation": "pptx",
    "application/vnd.oasis.opendocument.text": "odt",
    "application/vnd.oasis.opendocument.spreadsheet": "ods",
    "application/vnd.oasis.opendocument.presentation": "odp",
}
CHUNK = 1 << 16


def media_type_of(content: bytes) -> str:
    """The media type the content's own bytes show (never the name's or the client's word)."""
    kind = filetype.guess(content)
    if kind is None or kind.mime not in ACCEPTED:
        found = f"it looks like {kind.mime}" if kind is not None else "its type is not recognised"
        raise UnsupportedMediaType(
            f"a material is a PDF, an image (JPEG, PNG, WebP, GIF) or an office document "
            f"(Word, Excel, PowerPoint, OpenDocument); {found}"
        )
    return str(kind.mime)


def safe_filename(name: str | None, media_type: str) -> str:
    """The uploaded file's base name without path, control or quote characters; a name from
    the media type when nothing is left."""
    base = (name or "").replace("\\", "/").rsplit("/", 1)[-1]
    cleaned = "".join(c for c in base if c.isprintable() and c not in '"<>:|?*').strip(" .")
    return cleaned[:255] or f"material.{ACCEPTED[media_type]}"


async def read_limited(file: UploadFile, limit: int) -> bytes:
    """The upload's bytes, refused with 413 as soon as they pass `limit`."""
    chunks, size = [], 0
    while chunk := await file.read(CHUNK):
        size += len(chunk)
        if size > limit:
            raise ContentTooLarge(f"the file is larger than {limit} bytes (KCN_MATERIAL_MAX_BYTES)")
        chunks.append(chunk)
    return b"".join(chunks)


class MaterialService:
    def __init__(self, session: AsyncSession, actor: User) -> None:
        self.session, self.actor = session, actor
        self.materials = MaterialRepository(session)

    async def create(self, data: MaterialForm, file: UploadFile | None, max_bytes: int) -> Material:
        values: dict[str, Any] = data.model_dump(exclude={"version", "url"})
        values["edition"] = data.version
        content: bytes | None = None
        if data.kind == MaterialKind.VIDEO_LINK:
            if file is not None:
                raise RuleViolation("a video_link is a url, not a file", field="file")
            if data.url is None:
                raise RuleViolation("a video_link needs its url", field="url")
            values["url"] = data.url
        else:
            if data.url is not None:
                raise RuleViolation(
                    f"a {data.kind} is a file; url is for a video_link", field="url"
                )
            if file is None:
                raise RuleViolation(f"a {data.kind} needs its file", field="file")
            content = await read_limited(file, max_bytes)
            if not content:
                raise RuleViolation("the file is empty", field="file")
            media_type = media_type_of(content)
            digest = hashlib.sha256(content).hexdigest()
            await self._not_stored(digest)
            values |= {
                "filename": safe_filename(file.filename, media_type),
                "media_type": media_type,
                "size_bytes": len(content),
                "sha256": digest,
            }
        try:
            async with self.session.begin_nested():
                material = await self.materials.add(Material(**values, created_by_id=self.actor.id))
        except IntegrityError:
            # The same file uploaded by someone else meanwhile: name their material.
            if values.get("sha256") is not None:
                await self._not_stored(values["sha256"])
            raise
        if content is not None:
            self.session.add(MaterialFile(material_id=material.id, content=content))
            await self.session.flush()
        return material

    async def _not_stored(self, digest: str) -> None:
        existing = await self.materials.by_sha256(digest)
        if existing is not None:
            raise Conflict(
                f"this file is already material {existing.id} ({existing.title!r})",
                code=ProblemCode.DUPLICATE_MATERIAL,
                extra={"material_id": existing.id},
            )

    async def update(self, material: Material, data: MaterialUpdate) -> Material:
        changes = data.model_dump(exclude_unset=True)
        if "url" in changes and material.kind != MaterialKind.VIDEO_LINK:
            raise RuleViolation(
                f"a {material.kind} is a file; url is for a video_link", field="url"
            )
        if "version" in changes:
            changes["edition"] = changes.pop("version")
        for name, value in changes.items():
            setattr(material, name, value)
        await self.session.flush()
        return material

    async def delete(self, material: Material) -> None:
        """A material handed over or planned stays: its row is referenced (409)."""
        await self.materials.delete(material)
