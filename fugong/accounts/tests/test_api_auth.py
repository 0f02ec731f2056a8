def test_ping_answers_a_valid_token(api, enterprise_admin):
    response = api(enterprise_admin).get("/api/v1/ping")
    assert response.status_code == 200
    assert response.json() == {"ok": True}


def test_ping_without_a_valid_token_is_401(api, world):
    response = api(None).get("/api/v1/ping")
    assert response.status_code == 401
    assert response.json()["error"]
