"""NFC normalization of input and the diacritic-insensitive search key for Vietnamese."""

import unicodedata

import httpx
import pytest

from app.core.text import normalize_input, normalize_text, search_key
from app.models import Role
from tests.fixtures.auth import UserFactory

NAME = "Nguyễn Văn An"
NAME_NFD = unicodedata.normalize("NFD", NAME)


def test_decomposed_input_is_normalized_to_nfc_and_trimmed() -> None:
    assert NAME_NFD != NAME

    normalized = normalize_text(f" \t{NAME_NFD}\n ")

    assert normalized == NAME
    assert unicodedata.is_normalized("NFC", normalized)


def test_normalize_input_reaches_nested_strings_only() -> None:
    data = {"name": f" {NAME_NFD} ", "aliases": [f"{NAME_NFD} "], "count": 3, "ok": True}

    assert normalize_input(data) == {"name": NAME, "aliases": [NAME], "count": 3, "ok": True}


@pytest.mark.parametrize(
    "variant",
    ["nguyen van an", "NGUYỄN VĂN AN", "Nguyen  Van   An", NAME_NFD, "  nguyễn văn an "],
)
def test_search_key_ignores_tone_marks_case_and_spacing(variant: str) -> None:
    assert search_key(variant) == search_key(NAME) == "nguyen van an"


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("Đặng Thị Đào", "dang thi dao"),
        ("đường Đông Anh", "duong dong anh"),
        ("Khu công nghiệp Thăng Long", "khu cong nghiep thang long"),
        ("Phạm Thị Thu Hương", "pham thi thu huong"),
        ("Ưng Hoà, Mỹ Đức", "ung hoa, my duc"),
        ("Sóc Sơn", "soc son"),
    ],
)
def test_search_key_folds_vietnamese_letters(text: str, key: str) -> None:
    assert search_key(text) == key


def test_search_key_joins_parts_and_skips_missing_ones() -> None:
    assert search_key("nguyen.van.an", None, "Nguyễn Văn An", "") == "nguyen.van.an nguyen van an"


@pytest.fixture
async def an(make_user: UserFactory) -> int:
    await make_user(Role.VIEWER, username="tran.binh", full_name="Trần Bình")
    return (await make_user(Role.EDITOR, username="an.nguyen", full_name=NAME)).id


@pytest.mark.parametrize(
    "query", ["nguyen van an", "NGUYỄN", "văn an", NAME_NFD, "VAN AN", "an.ng"]
)
async def test_q_finds_the_user_without_diacritics_or_case(
    admin: httpx.AsyncClient, an: int, query: str
) -> None:
    response = await admin.get("/api/v1/users", params={"q": query})

    assert response.status_code == 200, response.text
    assert [user["id"] for user in response.json()["items"]] == [an]


@pytest.mark.parametrize("query", ["%", "_", "nguyen%an", "\\"])
async def test_q_treats_like_wildcards_literally(
    admin: httpx.AsyncClient, an: int, query: str
) -> None:
    response = await admin.get("/api/v1/users", params={"q": query})

    assert response.status_code == 200, response.text
    assert response.json()["items"] == []


async def test_search_key_follows_an_update(
    admin: httpx.AsyncClient, make_user: UserFactory
) -> None:
    user = await make_user(Role.VIEWER, full_name="Lê Văn Tám")
    await admin.patch(f"/api/v1/users/{user.id}", json={"full_name": "Đỗ Thị Hằng"})

    found = (await admin.get("/api/v1/users", params={"q": "do thi hang"})).json()["items"]
    stale = (await admin.get("/api/v1/users", params={"q": "le van tam"})).json()["items"]

    assert [u["id"] for u in found] == [user.id]
    assert stale == []
