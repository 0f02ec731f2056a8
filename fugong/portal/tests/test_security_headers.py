from __future__ import annotations


def test_pages_and_the_api_send_a_content_security_policy(enterprise_admin, login, api, client):
    for response in (
        client.get("/login/"),
        login(enterprise_admin).get("/people/roster/"),
        api(enterprise_admin).get("/api/v1/ping"),
    ):
        policy = response["Content-Security-Policy"]
        assert "default-src 'self'" in policy and "script-src 'self';" in policy
        assert "frame-ancestors 'none'" in policy and "form-action 'self'" in policy
