"""Configuration classes; every value an operator sets comes from the environment."""
from __future__ import annotations

import os


class ConfigError(RuntimeError):
    """Raised at start-up when the environment cannot run Plaza safely."""


# Generous for a room of people behind one IP (a community centre), tight for one account.
DEFAULT_LIMITS = {
    # Only failed logins count: the owner logging in from their usual place never uses these up.
    "login_ip": "30 per minute",
    "login_email": "10 per 15 minutes",  # per (IP, e-mail): strangers elsewhere cannot lock it
    "register_ip": "20 per hour",
    "register_email": "5 per hour",
    "vote_voter": "60 per minute",
    "vote_ip": "1200 per minute",
    "pair_voter": "120 per minute",
    "idea_user": "10 per hour",
    "flag_user": "30 per hour",
    # Facilitated sessions: the join code is on the projector, so anyone may call these.
    # A real room never meets the limits: one phone is one participant (its cookie), a kiosk
    # starts one person at a time, a room behind one community-centre IP is a few hundred.
    "participant_ip": "300 per hour",
    "participant_device": "60 per 10 minutes",
    "participant_session": "1000 per hour",
    "session_votes_ip": "5000 per hour",  # each vote of a kiosk's sync counts
    "kiosk_pin_ip": "20 per 10 minutes",  # wrong PINs only
    "reset_ip": "10 per hour",  # "forgot my password" requests
    "reset_email": "3 per hour",
    "confirm_resend_user": "5 per hour",
    # Failed verifications (issue 15). A document number plus a birth date leaves ~36,500
    # dates to guess: at 10 a day per person targeted, half of them takes five years.
    "verify_ip": "30 per hour",
    "verify_voter": "10 per hour",
    "verify_target": "10 per day",
}


def _flag(name: str, default: str = "0") -> bool:
    return os.environ.get(name, default).strip().lower() in {"1", "true", "yes", "on"}


def database_url_from_env(instance_path: str) -> str:
    """Return DATABASE_URL, or a SQLite file in the instance folder for zero set-up."""
    url = os.environ.get("DATABASE_URL", "").strip()
    if not url:
        return "sqlite:///" + os.path.join(instance_path, "plaza.sqlite3")
    # Hosting platforms hand out postgres:// URLs; SQLAlchemy needs the driver named.
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


def base_config(instance_path: str) -> dict:
    """Settings read from the environment at factory time, never at import time."""
    return {
        "SECRET_KEY": os.environ.get("SECRET_KEY") or None,
        "SQLALCHEMY_DATABASE_URI": database_url_from_env(instance_path),
        "PLAZA_DB_PING_AFTER_IDLE_S": 1.0,  # app/connections.py
        "PLAZA_OFFLINE_ASSETS": _flag("PLAZA_OFFLINE_ASSETS"),
        "LEAFLET_CDN": os.environ.get("LEAFLET_CDN", "https://unpkg.com"),
        "TILE_URL": os.environ.get(
            "TILE_URL", "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
        ),
        # Unset: OpenStreetMap's credit line in the reader's language (app/assets.py).
        "TILE_ATTRIBUTION": os.environ.get("TILE_ATTRIBUTION"),
        "BABEL_DEFAULT_LOCALE": os.environ.get("PLAZA_DEFAULT_LANGUAGE", "en"),
        "BABEL_DEFAULT_TIMEZONE": os.environ.get("PLAZA_TIMEZONE", "UTC"),
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": _flag("SESSION_COOKIE_SECURE"),
        "PLAZA_TRUSTED_PROXIES": _int_env("PLAZA_TRUSTED_PROXIES", 0),
        "WTF_CSRF_TIME_LIMIT": 8 * 3600,
        "RATELIMIT_ENABLED": _flag("RATELIMIT_ENABLED", "1"),
        "RATELIMIT_STORAGE_URI": os.environ.get("RATELIMIT_STORAGE_URI", "memory://"),
        # A moving window: a fixed one lets twice the limit through across its boundary, and
        # resets whenever the clock's minute turns, whatever was tried a second before.
        "RATELIMIT_STRATEGY": "moving-window",
        # While Redis is down each worker counts on its own, rather than refusing every request.
        "RATELIMIT_IN_MEMORY_FALLBACK_ENABLED": True,
        "RATELIMIT_HEADERS_ENABLED": True,
        "PLAZA_LIMITS": dict(DEFAULT_LIMITS),
        # The job queue (app/jobs/): without a broker, jobs run in the web process after commit.
        "CELERY_BROKER_URL": os.environ.get("CELERY_BROKER_URL", "").strip() or None,
        "CELERY_QUEUE": os.environ.get("PLAZA_CELERY_QUEUE", "plaza"),
        # The refit job (app/pairwise/refit_job.py): beat's interval, and how long a claim of a
        # job that died holds before another job may refit the space.
        "PLAZA_REFIT_EVERY_SECONDS": _int_env("PLAZA_REFIT_EVERY_SECONDS", 10),
        "PLAZA_REFIT_LOCK_SECONDS": _int_env("PLAZA_REFIT_LOCK_SECONDS", 300),
        # Single sign-on with the city's identity provider (OpenID Connect, app/auth/identities.py).
        "OIDC_ISSUER": os.environ.get("OIDC_ISSUER", "").strip().rstrip("/") or None,
        "OIDC_CLIENT_ID": os.environ.get("OIDC_CLIENT_ID", "").strip() or None,
        "OIDC_CLIENT_SECRET": os.environ.get("OIDC_CLIENT_SECRET", "").strip() or None,
        "OIDC_VERIFIES": _flag("OIDC_VERIFIES", "1"),
        "OIDC_NAME": os.environ.get("OIDC_NAME", "").strip() or None,
        # E-mail (app/mail/): without MAIL_SERVER, messages are written to instance/outbox/.
        "MAIL_SERVER": os.environ.get("MAIL_SERVER", "").strip() or None,
        "MAIL_PORT": _int_env("MAIL_PORT", 25),
        "MAIL_USE_TLS": _flag("MAIL_USE_TLS"),
        "MAIL_USE_SSL": _flag("MAIL_USE_SSL"),
        "MAIL_USERNAME": os.environ.get("MAIL_USERNAME") or None,
        "MAIL_PASSWORD": os.environ.get("MAIL_PASSWORD") or None,
        "MAIL_DEFAULT_SENDER": os.environ.get("MAIL_DEFAULT_SENDER", "Plaza <no-reply@plaza.example>"),
        "MAIL_TIMEOUT": 10,
        "PLAZA_OUTBOX": os.environ.get("PLAZA_OUTBOX") or os.path.join(instance_path, "outbox"),
        # The address people reach Plaza at, for links in e-mails (sent outside any request).
        "PLAZA_BASE_URL": os.environ.get("PLAZA_BASE_URL", "http://127.0.0.1:5000").rstrip("/"),
        # Digests go out at this local hour (PLAZA_TIMEZONE); weekly ones on this weekday (0 = Monday).
        "PLAZA_DIGEST_HOUR": _int_env("PLAZA_DIGEST_HOUR", 8),
        "PLAZA_DIGEST_WEEKDAY": _int_env("PLAZA_DIGEST_WEEKDAY", 0),
        # Above the 5 MB photo limit, so an oversized photo gets its message in the form
        # (with everything else kept) instead of a bare 413.
        "MAX_CONTENT_LENGTH": 25 * 1024 * 1024,
    }


def _int_env(name: str, default: int) -> int:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    if not raw.isascii() or not raw.isdigit():
        raise ConfigError(f"{name} must be a whole number, not {raw!r}.")
    return int(raw)


def derive_config(config: dict) -> None:
    """Settings that follow others, after the test or operator settings are in.

    The remember-me cookie is a one-year credential: it gets the session cookie's flags.
    """
    config.setdefault("REMEMBER_COOKIE_SECURE", config["SESSION_COOKIE_SECURE"])
    config.setdefault("REMEMBER_COOKIE_HTTPONLY", True)
    config.setdefault("REMEMBER_COOKIE_SAMESITE", config["SESSION_COOKIE_SAMESITE"])


def check_config(config: dict) -> None:
    """Refuse to start without a real secret outside debug and testing."""
    if config.get("TESTING") or config.get("DEBUG"):
        if not config.get("SECRET_KEY"):
            config["SECRET_KEY"] = "dev-only-not-secret"
        return
    if not config.get("SECRET_KEY"):
        raise ConfigError(
            "SECRET_KEY is not set. Plaza signs sessions and voter cookies with it; "
            "set SECRET_KEY to a long random value (e.g. `python -c 'import secrets; "
            "print(secrets.token_hex(32))'`), or FLASK_DEBUG=1 for local development."
        )
