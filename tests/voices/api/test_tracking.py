"""Public tracking by code: no sign-in, states and due dates only, 404 for a wrong code, and
slow to guess: 429 after the limit."""

from danvan.voices.api.tracking import TRACK_RATE

from .conftest import CONTENTS, RECEIVED, Api, assert_error, assert_no_identity

LIMIT = int(TRACK_RATE.split("/")[0])


def test_the_right_code_answers_states_only(world):
    api = Api(None)
    response = api.get(f"track/{world.petition.tracking_code}")
    assert response.status_code == 200, response.content
    data = response.json()
    assert set(data) == {"code", "received_on", "office", "office_contact", "matters"}
    assert data["code"] == world.petition.tracking_code
    assert data["received_on"] == RECEIVED.isoformat()
    assert len(data["matters"]) == 3
    for matter in data["matters"]:
        assert set(matter) == {"kind", "state", "due_on", "closed_on", "overdue"}
    text = response.content.decode()
    assert CONTENTS not in text and "Khiếu nại quyết định" not in text
    # The office that received it, so the citizen knows where to ask: an office, no person.
    assert data["office"] == world.tree["ward"].name
    assert_no_identity(response)
    # Typed in lower case, with spaces around: still found.
    assert api.get(f"track/%20{world.petition.tracking_code.lower()}%20").status_code == 200


def test_wrong_or_guessed_codes_get_404(world):
    api = Api(None)
    code = world.petition.tracking_code
    guesses = [code[:-1] + ("A" if code[-1] != "A" else "B"), "AAAAAAAAAAAA", "short", "x" * 200]
    for guess in guesses:
        assert_error(api.get(f"track/{guess}"), 404)
    # Not a way around the scope either: an id is not a code.
    assert_error(api.get(f"track/{world.petition.pk}"), 404)


def test_too_many_lookups_get_429(world):
    api = Api(None)
    code = world.petition.tracking_code
    for i in range(LIMIT):
        guess = code if i == 0 else f"GUESS{i:07d}"
        assert api.get(f"track/{guess}").status_code in (200, 404)
    response = api.get(f"track/{code}")
    assert_error(response, 429)
    assert int(response["Retry-After"]) > 0
    assert_no_identity(response)
    # Another address is not slowed down by this one.
    other = api.client.get(api.url(f"track/{code}"), REMOTE_ADDR="10.1.2.3")
    assert other.status_code == 200
