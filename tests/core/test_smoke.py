import httpx


async def test_me_returns_the_token_owner(admin: httpx.AsyncClient) -> None:
    response = await admin.get("/api/v1/auth/me")
    assert response.status_code == 200, response.text
    assert response.json()["role"] == "admin"
