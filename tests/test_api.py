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
