"""Administration per role, screening a ledger, and user data shown as text (no markup through register cells)."""

from __future__ import annotations

import re

from tests.web.conftest import Web, csrf_of

PASSWORD = "paarse olifant fietst langzaam"


def test_org_admin_adds_a_user_who_can_sign_in_and_a_token_is_shown_once(web: Web) -> None:
    admin = web.login("org-admin")
    token = csrf_of(admin.get("/admin").text)
    added = admin.post("/admin/users", data={"csrf": token, "email": "nieuw@mvz.example", "org_id": "dvt",
                                             "role": "editor", "password": PASSWORD})
    assert added.status_code == 200 and "nieuw@mvz.example" in added.text
    created = admin.post("/admin/tokens", data={"csrf": token, "email": "nieuw@mvz.example", "days": "30"})
    secret = re.search(r'<code class="token">([^<]+)</code>', created.text).group(1)  # type: ignore[union-attr]
    assert web.client().get("/api/v1/me", headers={"Authorization": f"Bearer {secret}"}).json()["org_id"] == "dvt"
    assert secret not in admin.get("/admin").text  # shown once
    events = admin.get("/admin").text
    assert "user.add" in events and "token.create" in events


def test_org_admin_cannot_make_coordinators_nor_add_to_another_tree(web: Web) -> None:
    admin = web.login("org-admin")
    token = csrf_of(admin.get("/admin").text)
    refused = admin.post("/admin/users", data={"csrf": token, "email": "baas@mvz.example", "org_id": "mvz",
                                               "role": "coordinator", "password": PASSWORD})
    assert refused.status_code == 403
    hidden = admin.post("/admin/users", data={"csrf": token, "email": "x@stad.example", "org_id": "voorbeeldstad",
                                              "role": "viewer", "password": PASSWORD},
                        headers={"accept": "text/html"})
    assert hidden.status_code == 404
    assert "coordinator" not in re.findall(r'<option value="([a-z-]+)">', admin.get("/admin").text)


def test_a_weak_password_is_refused_with_its_rule(web: Web) -> None:
    admin = web.login("org-admin")
    token = csrf_of(admin.get("/admin").text)
    weak = admin.post("/admin/users", data={"csrf": token, "email": "zwak@mvz.example", "org_id": "mvz",
                                            "role": "viewer", "password": "welkom2024!"})
    assert weak.status_code == 422 and 'role="alert"' in weak.text
    assert "zwak@mvz.example" not in {u.email for u in web.state.accounts.users()}


def test_the_coordinator_adds_an_organisation_and_a_revoked_token_stops(web: Web) -> None:
    coordinator = web.login("coordinator")
    token = csrf_of(coordinator.get("/admin").text)
    coordinator.post("/admin/orgs", data={"csrf": token, "org_id": "nieuw", "name": "Nieuwe Dienst",
                                          "parent": "", "deadline": "2027-12-31"})
    assert "nieuw" in {o["id"] for o in coordinator.get("/api/v1/organisations").json()}
    token_id, secret = web.state.accounts.create_token(web.users["viewer"].email, 5)
    coordinator.post("/admin/tokens/revoke", data={"csrf": token, "token_id": token_id})
    assert web.client().get("/api/v1/me", headers={"Authorization": f"Bearer {secret}"}).status_code == 401


def test_screening_a_ledger_shows_its_matches(web: Web) -> None:
    client = web.login("viewer")
    token = csrf_of(client.get("/screening").text)
    ledger = "Crediteur;Naam\n1;Hangzhou Hikvision Digital Technology Co., Ltd.\n2;Bakkerij De Korenaar\n"
    response = client.post("/screening", data={"csrf": token},
                           files=[("ledger", ("crediteuren.csv", ledger.encode(), "text/csv"))])
    assert response.status_code == 200
    assert "Hikvision" in response.text and "Korenaar" not in response.text


def test_register_cells_are_shown_as_text_not_markup(web: Web) -> None:
    client = web.login("editor")
    register = ("Inventarisnummer;Merk;Typenummer;MAC-adres;IP-adres;Locatie\n"
                '<script>alert(1)</script>;"<img src=x onerror=alert(2)>";DS-2CD2143G2-I;'
                "44:19:b6:77:00:01;192.0.2.200;Den Haag Hoofdkantoor\n")
    token = csrf_of(client.get("/upload").text)
    response = client.post("/upload", data={"csrf": token, "org": "mvz"}, follow_redirects=False,
                           files=[("files", ("xss.csv", register.encode(), "text/csv"))])
    job = response.headers["location"].removeprefix("/jobs/")
    web.state.jobs.wait(job, 120)
    assert client.get(f"/api/v1/jobs/{job}").json()["state"] == "done"
    device = client.get("/api/v1/devices", params={"q": "44:19:b6:77:00:01"}).json()["items"][0]
    for path in ("/devices?q=44:19:b6:77:00:01", f"/devices/{device['id']}"):
        html = client.get(path).text
        assert "<script>alert(1)" not in html and "<img src=x" not in html, path
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "&lt;img src=x onerror=alert(2)&gt;" in html, path
