"""The materials library (issue 15): upload limits, the media type read from the content,
duplicates, the download byte for byte, materials handed over in activities, and the languages a
pipeline lacks on a small world of Korean, Japanese and Chinese owners."""

import io
import zlib
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from openpyxl import Workbook

from app.materials.repository import MaterialRepository
from app.models import Ownership, Role
from tests.campaigns.world import World, activity_body
from tests.conftest import client_for
from tests.fixtures.auth import UserFactory, token_for
from tests.fixtures.db import Fingerprint
from tests.fixtures.registry import EnterpriseFactory
from tests.problems import assert_problem

MATERIALS = "/api/v1/materials"


def _pdf(text: str = "Nghị quyết 09") -> bytes:
    return (
        b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n% "
        + text.encode()
        + b"\ntrailer << /Root 1 0 R >>\n%%EOF\n"
    )


def _png() -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return len(data).to_bytes(4, "big") + body + zlib.crc32(body).to_bytes(4, "big")

    header = (1).to_bytes(4, "big") * 2 + bytes([8, 2, 0, 0, 0])
    pixels = zlib.compress(b"\x00\xff\x00\x00")
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


def _xlsx() -> bytes:
    workbook = Workbook()
    workbook.active.append(["Tài liệu", "2024"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


async def _upload(
    client: httpx.AsyncClient,
    content: bytes | None,
    *,
    filename: str = "to-gap.pdf",
    declared: str = "application/octet-stream",
    **fields: str,
) -> httpx.Response:
    form = {"title": "Tờ gấp", "language": "ko", "kind": "leaflet"} | fields
    files = {"file": (filename, content, declared)} if content is not None else None
    return await client.post(MATERIALS, data=form, files=files)


@pytest.mark.parametrize(
    ("content", "media_type"),
    [
        (_pdf(), "application/pdf"),
        (_png(), "image/png"),
        (_xlsx(), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    ],
)
async def test_a_file_comes_back_byte_for_byte_with_the_type_its_content_shows(
    editor: httpx.AsyncClient, viewer: httpx.AsyncClient, content: bytes, media_type: str
) -> None:
    answer = await _upload(editor, content, filename="../../Tờ gấp (bản Hàn).bin",
                           declared="text/plain", version="2024")  # fmt: skip

    assert answer.status_code == 201, answer.text
    material = answer.json()
    assert material["media_type"] == media_type
    assert (material["size_bytes"], material["version"]) == (len(content), "2024")
    assert material["filename"] == "Tờ gấp (bản Hàn).bin"
    download = await viewer.get(f"{MATERIALS}/{material['id']}/file")
    assert download.status_code == 200
    assert download.content == content
    assert download.headers["content-type"] == media_type
    disposition = download.headers["content-disposition"]
    assert disposition.startswith("attachment; ")
    assert "filename*=UTF-8''T%E1%BB%9D%20g%E1%BA%A5p" in disposition
    assert download.headers["x-content-type-options"] == "nosniff"


@pytest.mark.parametrize(
    ("content", "why"),
    [
        (b"just some words, named as a PDF", "not recognised"),
        (b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 64, "x-msdownload"),
        (b"\x1f\x8b\x08\x00" + b"\x00" * 32, "gzip"),
    ],
)
async def test_a_file_that_is_not_a_document_or_picture_is_refused_by_its_content(
    editor: httpx.AsyncClient, fingerprint: Fingerprint, content: bytes, why: str
) -> None:
    before = await fingerprint()

    answer = await _upload(editor, content, filename="to-gap.pdf", declared="application/pdf")

    assert why in assert_problem(answer, 415, "unsupported_media_type")["detail"]
    assert await fingerprint() == before


async def test_the_same_file_twice_is_refused_naming_the_material_that_has_it(
    editor: httpx.AsyncClient, fingerprint: Fingerprint
) -> None:
    first = await _upload(editor, _pdf())
    before = await fingerprint()

    again = await _upload(editor, _pdf(), filename="other-name.pdf", title="Bản khác")

    problem = assert_problem(again, 409, "duplicate_material")
    assert problem["material_id"] == first.json()["id"]
    assert await fingerprint() == before


async def test_a_file_over_the_limit_is_refused(
    editor: httpx.AsyncClient, fresh_app: FastAPI, make_user: UserFactory, fingerprint: Fingerprint
) -> None:
    fresh_app.state.settings = fresh_app.state.settings.model_copy(
        update={"material_max_bytes": 4096}
    )
    small_limit = client_for(fresh_app, token_for(await make_user(Role.EDITOR)))
    before = await fingerprint()
    too_large = await _upload(editor, _pdf() + b"0" * (21 * 1024 * 1024))
    over_small = await _upload(small_limit, _pdf() + b"0" * 5000)

    assert_problem(too_large, 413, "content_too_large")
    assert (
        "KCN_MATERIAL_MAX_BYTES" in assert_problem(over_small, 413, "content_too_large")["detail"]
    )
    assert await fingerprint() == before
    under_small = await _upload(small_limit, _pdf())
    assert under_small.status_code == 201, under_small.text
    await small_limit.aclose()


@pytest.mark.parametrize(
    ("content", "fields", "field"),
    [
        (None, {}, "file"),
        (b"", {}, "file"),
        (_pdf(), {"kind": "video_link", "url": "https://example.org/v"}, "file"),
        (None, {"kind": "video_link"}, "url"),
        (None, {"kind": "video_link", "url": "javascript:alert(1)"}, "url"),
        (_pdf(), {"url": "https://example.org/v"}, "url"),
        (_pdf(), {"language": "xx"}, "language"),
        (_pdf(), {"kind": "poster"}, "kind"),
    ],
)
async def test_a_material_is_a_file_or_a_video_link_with_a_known_language(
    editor: httpx.AsyncClient,
    fingerprint: Fingerprint,
    content: bytes | None,
    fields: dict[str, str],
    field: str,
) -> None:
    before = await fingerprint()

    answer = await _upload(editor, content, **fields)

    problem = assert_problem(answer, 422)
    assert field in problem["errors"][0]["loc"], problem
    assert await fingerprint() == before


async def test_a_video_link_and_the_librarys_filters(
    editor: httpx.AsyncClient, viewer: httpx.AsyncClient
) -> None:
    video = await _upload(editor, None, kind="video_link", url="https://video.example.org/09",
                          title="Phim: Đảng trong doanh nghiệp", language="ja")  # fmt: skip
    await _upload(editor, _pdf(), title="Sổ tay", kind="booklet", language="vi", topic="NQ 09")

    assert video.status_code == 201, video.text
    assert (video.json()["url"], video.json()["sha256"]) == ("https://video.example.org/09", None)
    assert_problem(await viewer.get(f"{MATERIALS}/{video.json()['id']}/file"), 404)
    listed = await viewer.get(MATERIALS, params={"language": "ja"})
    assert [m["id"] for m in listed.json()["items"]] == [video.json()["id"]]
    found = await viewer.get(MATERIALS, params={"q": "so tay", "topic": "NQ 09"})
    assert [m["title"] for m in found.json()["items"]] == ["Sổ tay"]
    changed = await editor.patch(f"{MATERIALS}/{video.json()['id']}", json={"version": "v2"})
    assert changed.json()["version"] == "v2"
    assert_problem(await viewer.post(MATERIALS, data={"title": "x"}), 403, "forbidden_role")


async def test_materials_handed_over_set_the_activitys_language_and_stay(
    world: World, editor: httpx.AsyncClient, fingerprint: Fingerprint
) -> None:
    korean = (await _upload(editor, _pdf("ko"), language="ko")).json()
    english = (await _upload(editor, _png(), language="en", filename="a.png")).json()
    client = world.leader_client

    handed = await client.post(
        world.activities, json=activity_body(world.fdi, material_ids=[korean["id"]])
    )
    mixed = await client.post(
        world.activities,
        json=activity_body(world.fdi, material_ids=[korean["id"], english["id"]],
                           material_language="ja"),
    )  # fmt: skip
    unknown = await client.post(
        world.activities, json=activity_body(world.fdi, material_ids=[987654])
    )

    assert handed.status_code == 201, handed.text
    assert (handed.json()["material_ids"], handed.json()["material_language"]) == (
        [korean["id"]],
        "ko",
    )
    assert_problem(mixed, 422, "material_language_mismatch")
    assert_problem(unknown, 422, "unknown_reference")
    before = await fingerprint()
    relabelled = await client.patch(
        f"{world.activities}/{handed.json()['id']}", json={"material_language": "ja"}
    )
    assert_problem(relabelled, 422, "material_language_mismatch")
    assert await fingerprint() == before
    assert_problem(await editor.delete(f"{MATERIALS}/{korean['id']}"), 409)
    assert await fingerprint() == before
    assert (await editor.delete(f"{MATERIALS}/{english['id']}")).status_code == 204


async def test_coverage_names_the_languages_the_pipeline_lacks(
    world: World, editor: httpx.AsyncClient, make_enterprise: EnterpriseFactory
) -> None:
    """The world's campaign covers a Korean-owned enterprise (fdi), two domestic ones; add a
    Japanese and a Chinese owner. The library has ko and ja; the group handed ko material."""
    zone = world.zones[0].id
    for country in ("JP", "CN"):
        await make_enterprise(zone_id=zone, ownership=Ownership.FDI, investor_country=country)
    korean = (await _upload(editor, _pdf("ko"), language="ko")).json()
    await _upload(editor, _png(), language="ja", filename="ja.png")
    await world.leader_client.post(
        world.activities, json=activity_body(world.fdi, material_ids=[korean["id"]])
    )

    answer = await editor.get(f"{MATERIALS}/coverage", params={"campaign_id": world.campaign.id})

    assert answer.status_code == 200, answer.text
    coverage = answer.json()
    rows = {c["language"]: c for c in coverage["languages"]}
    simple = {k: (v["enterprises"], v["received"], v["library_materials"]) for k, v in rows.items()}
    assert simple == {"vi": (2, 0, 0), "ko": (1, 1, 1), "ja": (1, 0, 1), "zh": (1, 0, 0)}
    assert coverage["missing_languages"] == ["vi", "zh"]
    # Before the materials were added to the library, and before the group's activity:
    earlier = await editor.get(
        f"{MATERIALS}/coverage", params={"campaign_id": world.campaign.id, "as_of": "2024-03-13"}
    )
    assert {c["language"]: (c["received"], c["library_materials"])
            for c in earlier.json()["languages"]} == {
        "vi": (0, 0), "ko": (0, 0), "ja": (0, 0), "zh": (0, 0),
    }  # fmt: skip
    assert earlier.json()["missing_languages"] == ["vi", "ja", "ko", "zh"]  # most needed first
    assert_problem(await editor.get(f"{MATERIALS}/coverage", params={"campaign_id": 987654}), 404)


async def test_the_same_file_sent_twice_at_once_names_the_winner(
    editor: httpx.AsyncClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Both uploads pass the duplicate lookup before either is written: the second is refused
    by the database's unique key, and still answered duplicate_material, naming the first."""
    first = await _upload(editor, _pdf("twice"))
    looked_up = MaterialRepository.by_sha256
    calls = 0

    async def miss_once(repository: MaterialRepository, digest: str) -> Any:
        nonlocal calls
        calls += 1
        return None if calls == 1 else await looked_up(repository, digest)

    monkeypatch.setattr(MaterialRepository, "by_sha256", miss_once)
    second = await _upload(editor, _pdf("twice"), title="Lần hai")

    assert calls == 2
    assert assert_problem(second, 409, "duplicate_material")["material_id"] == first.json()["id"]
