"""The campaign endpoints in the OpenAPI contract: clean operation ids and example bodies."""

from typing import Any

import httpx


async def test_campaign_operations_have_clean_ids_and_example_bodies(
    anon: httpx.AsyncClient,
) -> None:
    schema: dict[str, Any] = (await anon.get("/openapi.json")).json()
    paths = schema["paths"]
    ids = {
        (method, path): operation["operationId"]
        for path, item in paths.items()
        if path.startswith("/api/v1/campaigns")
        for method, operation in item.items()
    }
    assert ids[("post", "/api/v1/campaigns")] == "campaigns-create_campaign"
    assert ids[("get", "/api/v1/campaigns/{campaign_id}/pipeline")] == "campaigns-campaign_pipeline"
    assert ids[("get", "/api/v1/campaigns/{campaign_id}/summary")] == "campaigns-campaign_summary"
    activities = "/api/v1/campaigns/{campaign_id}/activities"
    assert ids[("post", activities)] == "campaign-activities-create_activity"
    assert ids[("delete", f"{activities}/{{activity_id}}")] == "campaign-activities-delete_activity"
    components = schema["components"]["schemas"]
    for name in ("CampaignCreate", "ActivityCreate"):
        [example] = components[name]["examples"]
        assert set(example) <= set(components[name]["properties"]), name
