"""Pagination numbers out of any database's range are a clear 422, not a server error."""

import pytest

from danvan.core.pagination import MAX_OFFSET


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/areas",
        "/api/v1/organizations",
        "/api/v1/emulation/models",
        "/api/v1/voices/matters",
    ],
)
@pytest.mark.parametrize(
    "query", [f"offset={MAX_OFFSET + 1}", "offset=99999999999999999999", "limit=0", "offset=-1"]
)
def test_out_of_range_pagination_is_refused(client_for, superuser, url, query):
    response = client_for(superuser).get(f"{url}?{query}")
    assert response.status_code == 422, response.content[:200]
    assert response.json()["errors"]


def test_largest_offset_answers_an_empty_page(client_for, superuser):
    response = client_for(superuser).get(f"/api/v1/areas?offset={MAX_OFFSET}")
    assert response.status_code == 200
    assert response.json()["items"] == []
