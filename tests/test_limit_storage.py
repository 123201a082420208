"""Abuse limits counted in Redis, as several gunicorn workers need, and kept while Redis is down."""
import os
import secrets

import pytest
import redis

from app.config import DEFAULT_LIMITS
from tests.conftest import csrf_token, reachable_redis

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
NOBODY_LISTENING = "redis://127.0.0.1:1/0"
PREFIX = f"plaza-test-{secrets.token_hex(6)}"  # runs side by side never share counts


@pytest.fixture
def app_config(app_config, request):
    return {**app_config, "RATELIMIT_ENABLED": True, "RATELIMIT_STORAGE_URI": request.param,
            "RATELIMIT_KEY_PREFIX": PREFIX,
            "PLAZA_LIMITS": {**DEFAULT_LIMITS, "login_email": "3 per 15 minutes"}}


@pytest.fixture
def redis_server() -> redis.Redis:
    """Fails in CI, skips elsewhere, when no Redis answers: production counts limits there."""
    server = reachable_redis(REDIS_URL, "the Redis limit tests (TEST_REDIS_URL)")
    yield server
    for key in server.scan_iter(f"*{PREFIX}*"):
        server.delete(key)


def failed_logins(client, email: str, times: int) -> list[int]:
    return [client.post("/auth/login", data={"email": email, "password": "wrong one!",
                                             "csrf_token": csrf_token(client)}).status_code
            for _ in range(times)]


@pytest.mark.parametrize("app_config", [REDIS_URL], indirect=True)
def test_limits_are_counted_in_redis(redis_server, client, make_user):
    user = make_user(email="ana@example.org")
    assert failed_logins(client, user.email, 4) == [422, 422, 422, 429]
    assert list(redis_server.scan_iter(f"*{PREFIX}*ana@example.org*")), "the count is not in Redis"


@pytest.mark.parametrize("app_config", [NOBODY_LISTENING], indirect=True)
def test_limits_hold_in_memory_while_redis_is_down(client, make_user):
    user = make_user(email="ana@example.org")
    assert failed_logins(client, user.email, 4) == [422, 422, 422, 429]


@pytest.mark.parametrize("app_config", [NOBODY_LISTENING], indirect=True)
def test_a_dead_storage_in_one_app_does_not_leak_into_the_next(app_config, client, make_user):
    """Each app has its own limiter: another app of the process counts in its own storage."""
    from app import create_app

    user = make_user(email="ana@example.org")
    failed_logins(client, user.email, 1)  # this app finds Redis down
    other = create_app({**app_config, "RATELIMIT_STORAGE_URI": "memory://"})
    assert other.extensions["plaza_limiter"] is not client.application.extensions["plaza_limiter"]
    assert not other.extensions["plaza_limiter"]._storage_dead
