"""The app factory and its configuration."""
import importlib
import os

import pytest

from app import create_app
from app.config import ConfigError, database_url_from_env


def test_testing_config_is_applied(app):
    assert app.testing
    assert app.config["SECRET_KEY"] == "test-secret"


def test_blueprints_are_registered(app):
    assert {"spaces", "auth", "api", "vendor"} <= set(app.blueprints)


def test_production_without_secret_key_refuses_to_start(monkeypatch, tmp_path):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.delenv("FLASK_DEBUG", raising=False)
    with pytest.raises(ConfigError, match="SECRET_KEY is not set"):
        create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/x.db"})


def test_production_reads_secret_key_from_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("SECRET_KEY", "from-the-environment")
    monkeypatch.delenv("FLASK_DEBUG", raising=False)
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/x.db"})
    assert app.config["SECRET_KEY"] == "from-the-environment"
    assert not app.debug


def test_debug_runs_without_secret_key(monkeypatch, tmp_path):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.setenv("FLASK_DEBUG", "1")
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/x.db"})
    assert app.config["SECRET_KEY"]


def test_default_database_is_sqlite_in_instance_folder(monkeypatch):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    assert database_url_from_env("/srv/plaza/instance") == (
        "sqlite:////srv/plaza/instance/plaza.sqlite3"
    )


@pytest.mark.parametrize(
    "given, expected",
    [
        ("postgres://u@h/db", "postgresql+psycopg://u@h/db"),
        ("postgresql://u@h/db", "postgresql+psycopg://u@h/db"),
        ("postgresql+psycopg://u@h/db", "postgresql+psycopg://u@h/db"),
        ("sqlite:////tmp/p.db", "sqlite:////tmp/p.db"),
    ],
)
def test_database_url_from_environment(monkeypatch, given, expected):
    monkeypatch.setenv("DATABASE_URL", given)
    assert database_url_from_env("/unused") == expected


def test_wsgi_exposes_app(monkeypatch, tmp_path):
    monkeypatch.setenv("SECRET_KEY", "wsgi-test")
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path}/wsgi.db")
    import wsgi

    module = importlib.reload(wsgi)
    assert module.app.name == "app"
    assert module.app.config["SQLALCHEMY_DATABASE_URI"].endswith("wsgi.db")


def test_session_cookies_are_http_only_and_same_site(app):
    assert app.config["SESSION_COOKIE_HTTPONLY"] is True
    assert app.config["SESSION_COOKIE_SAMESITE"] == "Lax"


def test_tests_never_touch_the_development_database(app):
    uri = app.config["SQLALCHEMY_DATABASE_URI"]
    assert uri == os.environ.get("TEST_DATABASE_URL", uri)
    assert "plaza.sqlite3" not in uri
