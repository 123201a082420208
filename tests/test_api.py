"""The JSON API's shape."""


def test_list_spaces(client, make_space):
    older = make_space(slug="alameda", name="Alameda Central", phase="ideas")
    newer = make_space(slug="zocalo", name="Zócalo", phase="voting")
    response = client.get("/api/spaces")
    assert response.status_code == 200 and response.is_json
    assert response.get_json() == [
        {"id": newer.id, "slug": "zocalo", "name": "Zócalo", "phase": "voting"},
        {"id": older.id, "slug": "alameda", "name": "Alameda Central", "phase": "ideas"},
    ]


def test_list_spaces_empty(client):
    assert client.get("/api/spaces").get_json() == []
