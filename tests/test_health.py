"""`GET /healthz`, for the load balancer: 200 when everything configured answers, else 503."""
import os

from app import create_app
from tests.conftest import reachable_redis

BROKER = os.environ.get("TEST_CELERY_BROKER_URL", "redis://127.0.0.1:6379/11")
CLOSED_PORT = "redis://127.0.0.1:1/0"


def test_healthy_without_a_broker(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"checks": {"database": "ok", "broker": "not configured"}}


def healthz_with_broker(app_config, url: str):
    """The answer of an app whose job queue is at `url` (the Celery app reads it at start)."""
    other = create_app({**app_config, "CELERY_BROKER_URL": url})
    response = other.test_client().get("/healthz")
    with other.app_context():
        from app.extensions import db

        db.engine.dispose()
    return response


def test_healthy_with_the_broker(app, app_config):
    reachable_redis(BROKER, "the broker health check").close()
    assert healthz_with_broker(app_config, BROKER).get_json() == {"checks": {"database": "ok", "broker": "ok"}}


def test_a_broker_that_is_down_is_named(app, app_config):
    response = healthz_with_broker(app_config, CLOSED_PORT)
    assert response.status_code == 503
    body = response.get_json()
    assert body["down"] == ["broker"] and body["checks"]["database"] == "ok" and "broker" in body["error"]


def test_a_database_that_is_down_is_named(app_config, tmp_path):
    broken = create_app({**app_config, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/missing/dir/plaza.db"})
    response = broken.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.get_json()["down"] == ["database"]
    with broken.app_context():
        from app.extensions import db

        db.engine.dispose()
