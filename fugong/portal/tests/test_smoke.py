def test_login_page_renders_in_chinese_by_default(client, db):
    response = client.get("/login/")
    assert response.status_code == 200
    assert "登录" in response.content.decode()
