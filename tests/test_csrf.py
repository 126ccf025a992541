def test_post_without_csrf_token_is_refused(client, auth, staff, fingerprint):
    auth.login("admin")
    before = fingerprint()
    resp = client.post("/users", data={"username": "x1", "display_name": "x", "role": "admin"},
                       csrf=False)
    assert resp.status_code == 400
    assert "页面已过期" in resp.get_data(as_text=True)
    assert fingerprint() == before


def test_htmx_post_with_header_token_is_accepted(client, auth, staff):
    auth.login("admin")
    token = client.csrf_token()
    resp = client.post("/users", data={"username": "x1", "display_name": "x", "role": "admin"},
                       headers={"HX-Request": "true", "X-CSRFToken": token}, csrf=False)
    assert resp.status_code == 200


def test_login_without_csrf_is_refused(client, staff):
    resp = client.post("/login", data={"coop": "t1", "username": "admin",
                                       "password": "test-pass-123"}, csrf=False)
    assert resp.status_code == 400


def test_logout_without_csrf_is_refused(client, auth, staff):
    auth.login("admin")
    assert client.post("/logout", csrf=False).status_code == 400
    assert client.get("/").status_code == 200
