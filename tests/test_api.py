"""The read-only JSON API and its OpenAPI schema."""

import pytest

pytestmark = pytest.mark.django_db


@pytest.fixture
def event(reference_event):
    return reference_event


def test_openapi_schema(client):
    schema = client.get("/api/openapi.json").json()
    assert schema["info"]["title"] == "Diplomatic Remarks Archive API"
    assert {"/api/events", "/api/events/{slug}", "/api/speakers", "/api/turns/{public_id}", "/api/search"} <= set(
        schema["paths"]
    )


def test_events_and_event(client, event):
    listing = client.get("/api/events", {"year": 2013}).json()
    assert listing["count"] == 1 and listing["items"][0]["slug"] == event.slug
    assert client.get("/api/events", {"kind": "interview"}).json()["count"] == 0
    detail = client.get(f"/api/events/{event.slug}").json()
    assert detail["date"] == "2013-05-07" and len(detail["turns"]) == 22
    answer = detail["turns"][3]
    assert answer["in_reply_to"] == detail["turns"][2]["id"] and answer["speaker"]["name"] == "John Kerry"
    assert ("Sergey Lavrov", "counterpart") in {(p["speaker"]["name"], p["role"]) for p in detail["participants"]}
    assert client.get("/api/events/nope").status_code == 404


def test_speakers_turns_and_search(client, event):
    speakers = client.get("/api/speakers", {"kind": "person"}).json()
    assert "John Kerry" in {s["name"] for s in speakers["items"]}
    turn = event.turns.get(sequence=1)
    data = client.get(f"/api/turns/{turn.public_id}").json()
    assert data["url"] == turn.get_absolute_url() and data["event"] == event.slug
    assert client.get("/api/turns/zzzz").status_code == 404
    found = client.get("/api/search", {"q": "Geneva communique", "date_from": "never"}).json()
    assert found["total"] >= 1 and "<mark" in found["hits"][0]["snippet"]
    assert any("date_from" in message for message in found["messages"])
    assert client.get("/api/search", {"q": '"((('}).status_code == 200


def test_errors_are_json_with_the_status_the_schema_documents(client, event):
    schema = client.get("/api/openapi.json").json()
    documented = {"/api/events": "422", "/api/events/{slug}": "404", "/api/speakers": "422",
                  "/api/speakers/{slug}": "404", "/api/turns/{public_id}": "404", "/api/search": "422"}  # fmt: skip
    for path, status in documented.items():
        responses = schema["paths"][path]["get"]["responses"]
        assert {"200", status} <= set(responses)
        assert "schema" in responses[status]["content"]["application/json"]
    for url in ("/api/events?page=1000000000000000000", "/api/speakers?page=99999999999999999999999",
                "/api/events?page=0", "/api/events?year=0", "/api/events?year=99999", "/api/events?page_size=1000",
                "/api/events?year=x", "/api/search?page=x"):  # fmt: skip
        response = client.get(url)
        assert response.status_code == 422, url
        assert response.json()["detail"][0]["loc"][0] == "query"
    beyond = client.get("/api/events", {"page": 1000})
    assert beyond.status_code == 200 and beyond.json() == {"items": [], "count": 1}
    assert client.get("/api/speakers/nobody").json() == {"detail": "Not Found"}
