"""The campaign endpoints in the OpenAPI contract: example bodies that fit their schema (the
operation ids of every endpoint are frozen in tests/core/operation_ids.txt)."""

from typing import Any

import httpx


async def test_campaign_bodies_have_examples_of_their_own_fields(anon: httpx.AsyncClient) -> None:
    schema: dict[str, Any] = (await anon.get("/openapi.json")).json()
    components = schema["components"]["schemas"]
    for name in ("CampaignCreate", "ActivityCreate"):
        [example] = components[name]["examples"]
        assert set(example) <= set(components[name]["properties"]), name
