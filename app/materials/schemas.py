"""Materials in and out, and the language coverage of a campaign's pipeline."""

import datetime as dt
from typing import Annotated, Any

from pydantic import ConfigDict, Field

from app.core.schemas import FilterModel, InputModel, Label, OutputModel, Patch
from app.enterprises.codes import LanguageCode
from app.models import MaterialKind

Title = Annotated[
    str,
    Field(
        min_length=1,
        max_length=300,
        examples=["Tờ gấp: Vì sao doanh nghiệp cần tổ chức đảng (tiếng Hàn)"],
    ),
    Label,
]
Topic = Annotated[str, Field(min_length=1, max_length=200, examples=["Nghị quyết 09-NQ/ĐU"]), Label]
Edition = Annotated[
    str,
    Field(
        min_length=1,
        max_length=50,
        description="The material's own edition or version (2024, v2).",
        examples=["2024"],
    ),
    Label,
]
Notes = Annotated[str, Field(max_length=5000)]
Url = Annotated[
    str,
    Field(
        max_length=2000,
        pattern=r'^https?://[^ <>"]+$',
        description="For a video_link: its address (http or https), kept as written.",
        examples=["https://www.youtube.com/watch?v=nq09"],
        json_schema_extra={"format": "uri"},
    ),
]

MATERIAL_FORM_EXAMPLE: dict[str, Any] = {
    "title": "Tờ gấp về tổ chức đảng trong doanh nghiệp (tiếng Hàn)",
    "language": "ko",
    "kind": "leaflet",
    "topic": "Nghị quyết 09-NQ/ĐU",
    "version": "2024",
}


class MaterialForm(InputModel):
    """The material's description, sent as form fields next to its `file` (a video_link has
    a `url` and no file)."""

    model_config = ConfigDict(json_schema_extra={"examples": [MATERIAL_FORM_EXAMPLE]})

    title: Title
    language: LanguageCode
    kind: MaterialKind
    topic: Topic | None = None
    version: Edition | None = None
    notes: Notes | None = None
    url: Url | None = None


class MaterialUpdate(InputModel):
    model_config = ConfigDict(json_schema_extra={"examples": [{"version": "2025", "notes": ""}]})

    title: Patch[Title] = None
    language: Patch[LanguageCode] = None
    topic: Topic | None = None
    version: Edition | None = None
    notes: Notes | None = None
    url: Patch[Url] = Field(default=None, description="A video_link's address.")


class MaterialFilters(FilterModel):
    language: LanguageCode | None = None
    kind: MaterialKind | None = None
    topic: str | None = Field(default=None, max_length=200, description="The exact topic.")
    q: str | None = Field(
        default=None, max_length=200, description="Title and topic; accents optional."
    )


class Material(OutputModel):
    id: int
    title: str
    language: str
    kind: MaterialKind
    topic: str | None
    version: str | None = Field(
        validation_alias="edition", description="The material's own edition."
    )
    notes: str | None
    url: str | None = Field(description="A video_link's address.")
    filename: str | None
    media_type: str | None = Field(description="Read from the file's content.")
    size_bytes: int | None
    sha256: str | None = Field(description="Of the file; the same file is never stored twice.")
    created_by_id: int | None
    created_at: dt.datetime
    updated_at: dt.datetime


class LanguageCoverage(OutputModel):
    language: str = Field(description="The language suggested for the enterprises' owners.")
    enterprises: int = Field(description="Enterprises of the pipeline it is suggested for.")
    received: int = Field(
        description="Of those, enterprises handed material in it by the campaign by as_of."
    )
    library_materials: int = Field(description="Materials in it in the library on as_of.")
    missing: bool = Field(description="The library has no material in it.")


class Coverage(OutputModel):
    campaign_id: int
    as_of: dt.date
    languages: list[LanguageCoverage]
    missing_languages: list[str] = Field(
        description="Languages the pipeline needs that the library lacks: the request to the "
        "city for translations."
    )
