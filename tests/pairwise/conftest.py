"""Fixtures for pairwise voting: a JSON client that sends the token; the tests vote in
`voting_space` (tests/conftest.py)."""
import pytest

from tests.conftest import csrf_token


@pytest.fixture
def app_config(app_config):
    # Refit on every vote in tests so rankings are exact; the background path is tested apart.
    return {**app_config, "PLAZA_REFIT_EVERY_VOTES": 1, "PLAZA_PAIR_SEED": 1234}


@pytest.fixture
def api(client):
    """get/post JSON as the page's script does, with the CSRF header."""

    class Api:
        def get(self, path, **kwargs):
            return client.get(path, **kwargs)

        def post(self, path, payload, **kwargs):
            return client.post(path, json=payload,
                               headers={"X-CSRFToken": csrf_token(client)}, **kwargs)

        def client_put(self, path, payload):
            return client.put(path, json=payload, headers={"X-CSRFToken": csrf_token(client)})

        def vote(self, choice="left", reason=None, slug="zocalo"):
            pair = self.get(f"/api/spaces/{slug}/pair").get_json()
            response = self.post(f"/api/spaces/{slug}/pairwise-votes",
                                 {"pair_id": pair["pair_id"], "choice": choice, "reason": reason})
            return pair, response

    return Api()
