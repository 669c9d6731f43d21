"""/materials: the outreach materials library, each file downloadable, and which languages a
campaign's pipeline needs that the library lacks."""

import datetime as dt
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Depends, File, Form, Query, Request, Response, UploadFile, status
from fastapi.exceptions import RequestValidationError
from pydantic import ValidationError

from app import models
from app.auth.dependencies import EditorUser
from app.campaigns.repository import CampaignRepository
from app.core.dates import today
from app.core.db import SessionDep
from app.core.errors import NotFound, problem_responses
from app.core.http import IfMatch, check_if_match, set_etag, set_location
from app.core.idempotency import IdempotentRoute
from app.core.pagination import Page, list_query
from app.core.repository import path_row
from app.core.schemas import Date, ParamInt
from app.enterprises.codes import LanguageCode
from app.materials.repository import MaterialListQuery, MaterialRepository
from app.materials.schemas import (
    Coverage,
    Edition,
    LanguageCoverage,
    Material,
    MaterialFilters,
    MaterialForm,
    MaterialUpdate,
    Notes,
    Title,
    Topic,
    Url,
)
from app.materials.service import ACCEPTED, MaterialService
from app.materials.sorting import MaterialSort
from app.models import MaterialKind

router = APIRouter(prefix="/materials", tags=["materials"], route_class=IdempotentRoute)

MaterialDep = Annotated[models.Material, Depends(path_row(MaterialRepository, "material_id"))]
MaterialQuery = Annotated[
    MaterialListQuery, Depends(list_query(MaterialSort, "title", MaterialFilters))
]
DOWNLOAD: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "The file as uploaded, with the media type read from its content.",
        "content": {
            media_type: {"schema": {"type": "string", "format": "binary"}}
            for media_type in ACCEPTED
        },
    }
}


async def material_form(
    title: Annotated[Title, Form()],
    language: Annotated[LanguageCode, Form()],
    kind: Annotated[MaterialKind, Form()],
    topic: Annotated[Topic | None, Form()] = None,
    version: Annotated[Edition | None, Form()] = None,
    notes: Annotated[Notes | None, Form()] = None,
    url: Annotated[Url | None, Form()] = None,
) -> MaterialForm:
    """The form's fields, checked as a body is (text normalized, codes known, names visible)."""
    fields = {"title": title, "language": language, "kind": kind, "topic": topic,
              "version": version, "notes": notes, "url": url}  # fmt: skip
    try:
        return MaterialForm.model_validate({k: v for k, v in fields.items() if v is not None})
    except ValidationError as exc:
        raise RequestValidationError(
            [error | {"loc": ("body", *error["loc"])} for error in exc.errors()]
        ) from exc


def _read(material: models.Material, response: Response) -> Material:
    set_etag(response, material.version)
    return Material.of_record(material)


@router.get("", name="list", response_model=Page[Material])
async def list_materials(session: SessionDep, query: MaterialQuery) -> Page[Material]:
    """The library by title (default) or newest first. Filter by language, kind, topic or q
    (title and topic)."""
    return (await MaterialRepository(session).list(query)).page(Material.of_record)


@router.post(
    "",
    name="create",
    response_model=Material,
    status_code=status.HTTP_201_CREATED,
    responses=problem_responses(409, 413, 415),
)
async def create_material(
    request: Request,
    data: Annotated[MaterialForm, Depends(material_form)],
    session: SessionDep,
    user: EditorUser,
    response: Response,
    file: Annotated[
        UploadFile | None, File(description="The material (not for a video_link).")
    ] = None,
) -> Material:
    """Add a material (editors and admins), multipart: the file and its description. The file's
    type is read from its content — PDF, JPEG, PNG, WebP, GIF, Word, Excel, PowerPoint or
    OpenDocument, else 415 — up to KCN_MATERIAL_MAX_BYTES (413); the same file uploaded again is a
    409 `duplicate_material` naming the material that has it. A video_link has a url instead."""
    limit = request.app.state.settings.material_max_bytes
    material = await MaterialService(session, user).create(data, file, limit)
    set_location(response, "materials", material.id)
    return _read(material, response)


@router.get("/coverage", name="get-coverage", response_model=Coverage)
async def get_material_coverage(
    session: SessionDep,
    campaign_id: Annotated[ParamInt, Query(description="The campaign whose pipeline to check.")],
    as_of: Annotated[
        Date | None, Query(description="The date to judge on; default today (Hanoi).")
    ] = None,
) -> Coverage:
    """For the enterprises of the campaign's pipeline, grouped by the language suggested for
    their owners: how many there are, how many were handed material in that language by the
    campaign, and how many materials the library has in it — with the languages it lacks."""
    campaign = await CampaignRepository(session).get(campaign_id)
    on: dt.date = as_of or today()
    rows = await MaterialRepository(session).coverage(campaign, on)
    languages = [
        LanguageCoverage(
            language=row.language,
            enterprises=row.enterprises,
            received=row.received,
            library_materials=row.library_materials,
            missing=row.library_materials == 0,
        )
        for row in rows
    ]
    return Coverage(
        campaign_id=campaign.id,
        as_of=on,
        languages=languages,
        missing_languages=[entry.language for entry in languages if entry.missing],
    )


@router.get("/{material_id:int}", name="get", response_model=Material)
async def get_material(material: MaterialDep, response: Response) -> Material:
    """One material's description, with its ETag; the file is at /materials/{id}/file."""
    return _read(material, response)


@router.get("/{material_id:int}/file", name="download", response_class=Response, responses=DOWNLOAD)
async def download_material(material: MaterialDep, session: SessionDep) -> Response:
    """The material's file, byte for byte, with its media type and its name (a video_link has
    none: 404)."""
    content = await MaterialRepository(session).content(material)
    if content is None or material.media_type is None:
        raise NotFound(f"material {material.id} is a link ({material.url}), not a file")
    name = material.filename or f"material-{material.id}"
    fallback = name.encode("ascii", "replace").decode().replace("?", "_")
    disposition = f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(name)}"
    return Response(
        content,
        media_type=material.media_type,
        headers={
            "Content-Disposition": disposition,
            "Cache-Control": "private, max-age=0",
        },
    )


@router.patch(
    "/{material_id:int}",
    name="update",
    response_model=Material,
    responses=problem_responses(412),
)
async def update_material(
    material: MaterialDep,
    data: MaterialUpdate,
    session: SessionDep,
    user: EditorUser,
    response: Response,
    if_match: IfMatch = None,
) -> Material:
    """Change a material's description (editors and admins); its file does not change (upload
    the new edition as a material of its own). A stale If-Match is a 412."""
    check_if_match(if_match, material.version)
    material = await MaterialService(session, user).update(material, data)
    return _read(material, response)


@router.delete(
    "/{material_id:int}",
    name="delete",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=problem_responses(409, 412),
)
async def delete_material(
    material: MaterialDep, session: SessionDep, user: EditorUser, if_match: IfMatch = None
) -> None:
    """Delete a material with its file; one handed over in an activity or planned for a visit
    is a 409 (still referenced)."""
    check_if_match(if_match, material.version)
    await MaterialService(session, user).delete(material)
