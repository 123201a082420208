"""Security headers and abuse limits, applied to every response and the risky endpoints."""
from __future__ import annotations

import math
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlsplit

import sqlalchemy as sa
from flask import Flask, current_app, request, session
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address

from app.assets import cdn_sources
from app.config import DEFAULT_LIMITS


def _origin(url: str) -> str:
    parts = urlsplit(url.replace("{s}", "a").replace("{z}", "0").replace("{x}", "0").replace("{y}", "0"))
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else ""


def content_security_policy(config: dict) -> str:
    """Only Plaza itself, the exact Leaflet files it loads from the CDN and the tile server;
    no framing anywhere. The CDN's files are also checked by SRI; naming each of them here
    keeps every other script on that host out, whatever it serves."""
    cdn = cdn_sources(config)
    tiles = _origin(config["TILE_URL"])
    tile_hosts = tiles.replace("://a.", "://*.") if "{s}" in config["TILE_URL"] else tiles
    return "; ".join(filter(None, [
        "default-src 'self'",
        " ".join(["script-src 'self'", *cdn["js"]]),
        # Leaflet positions markers and clusters with inline styles.
        " ".join(["style-src 'self' 'unsafe-inline'", *cdn["css"]]),
        " ".join(filter(None, ["img-src 'self' data: blob:", tile_hosts, *cdn["img"]])),
        "connect-src 'self'",
        "worker-src 'self'",
        "font-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]))


def add_headers(response):
    """Security headers on every response, and no caching unless the view allows it.

    A page may hold a CSRF token, a voter's pair ids, a ballot or staff data, so nothing is
    stored by a browser or a proxy by default; public files (photos, Leaflet, the GeoJSON
    with its ETag) say how they may be cached themselves.
    """
    headers = response.headers
    headers.setdefault("Cache-Control", "no-store")
    headers.setdefault("Content-Security-Policy", current_app.extensions["plaza_csp"])
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
    headers.setdefault("Permissions-Policy", "geolocation=(self), camera=(), microphone=()")
    if request.is_secure or current_app.config["SESSION_COOKIE_SECURE"]:
        headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
    return response


def email_key() -> str:
    """Registration attempts per e-mail address, whatever the IP."""
    return "email:" + (request.form.get("email") or "").strip().lower()[:254]


def ip_email_key() -> str:
    """Failed logins per (IP, e-mail): strangers elsewhere cannot lock the owner out."""
    return f"{get_remote_address()}|{email_key()}"


def voter_key() -> str:
    """Anonymous voters by their cookie id; people without one by their IP."""
    return "voter:" + str(session.get("plaza_voter") or get_remote_address())


def user_key() -> str:
    from flask_login import current_user

    return f"user:{current_user.id}" if current_user.is_authenticated else get_remote_address()


def account_or_device_key() -> str:
    """An account by its id, else the browser by its device id (a client that drops its
    cookies to start afresh is held by the limit per IP)."""
    from flask_login import current_user
    return f"user:{current_user.id}" if current_user.is_authenticated else device_key()


def device_key() -> str:
    """A browser by the random id in its signed session cookie (set on first use), else its IP."""
    device = session.get("plaza_device")
    if not isinstance(device, str):
        device = session["plaza_device"] = secrets.token_urlsafe(12)
    return "device:" + device


def session_code_key() -> str:
    """A facilitated session by the join code in the address, however it is typed."""
    code = (request.view_args or {}).get("code", "")
    return "session:" + "".join(c for c in str(code).upper() if c.isalnum())[:12]


def roll_target_key() -> str:
    """A verification attempt by the person it names: the keyed hash of the roll's first
    value (the document number), whoever sends it and from wherever. Code attempts have no
    such target: the code itself is the secret."""
    from app.eligibility import hasher
    from app.extensions import db
    from app.models import Space

    slug = (request.view_args or {}).get("slug", "")
    payload = request.get_json(silent=True) if request.is_json else None
    if isinstance(payload, dict):
        fields = payload.get("fields")
        first_of = (lambda names: fields.get(names[0]) if isinstance(fields, dict) and names else None)
    else:
        first_of = (lambda names: request.form.get("field-0") if names else None)
    space = db.session.execute(sa.select(Space.id, Space.roll_fields).where(Space.slug == slug)).first()
    first = first_of(space.roll_fields or []) if space else None
    if not isinstance(first, str) or not first.strip():
        return "roll-target:none"  # not a roll attempt: not_a_roll_attempt() exempts it
    return "roll-target:" + hasher().roll_target(space.id, first)


def not_a_roll_attempt() -> bool:
    payload = request.get_json(silent=True) if request.is_json else None
    method = payload.get("method") if isinstance(payload, dict) else request.form.get("method")
    return method != "roll" or request.method != "POST"


def sync_votes() -> int:
    """What a kiosk's sync costs: one per vote it carries (at least one per request)."""
    payload = request.get_json(silent=True)
    items = payload.get("items") if isinstance(payload, dict) else None
    if not isinstance(items, list):
        return 1
    return max(1, sum(1 for item in items[:1000] if isinstance(item, dict) and item.get("kind") == "vote"))


def only_posts() -> bool:
    """Limits count submissions, not the page views before them."""
    return request.method != "POST"


def failed(response) -> bool:
    """A login the form refused (wrong password, unknown address): only these count."""
    return response.status_code == 422


def seconds_until_allowed() -> int | None:
    """How long the limit this request broke still holds, for the 429 message."""
    limit = current_app.extensions["plaza_limiter"].current_limit
    if limit is None or not limit.breached:
        return None
    return max(1, math.ceil(limit.window[0] - time.time()))


@dataclass(frozen=True)
class Rule:
    limit: str  # a key of PLAZA_LIMITS
    key: Callable[[], str]
    posts_only: bool = False
    deduct_when: Callable | None = None
    cost: Callable[[], int] | int = 1
    exempt_when: Callable[[], bool] | None = None


RULES = {
    "auth.login": [Rule("login_ip", get_remote_address, True, failed),
                   Rule("login_email", ip_email_key, True, failed)],
    "auth.register": [Rule("register_ip", get_remote_address, True),
                      Rule("register_email", email_key, True)],
    "api.post_vote": [Rule("vote_voter", voter_key), Rule("vote_ip", get_remote_address)],
    "api.get_pair": [Rule("pair_voter", voter_key)],
    "ideas.new": [Rule("idea_user", user_key, True)],
    "api.post_idea": [Rule("idea_user", user_key)],
    "ideas.flag": [Rule("flag_user", user_key)],
    "api.session_participants": [Rule("participant_ip", get_remote_address),
                                 Rule("participant_device", device_key),
                                 Rule("participant_session", session_code_key)],
    "api.session_sync": [Rule("session_votes_ip", get_remote_address, cost=sync_votes)],
    "sessions.kiosk_setup": [Rule("kiosk_pin_ip", get_remote_address, True, failed)],
    "auth.forgot": [Rule("reset_ip", get_remote_address, True), Rule("reset_email", email_key, True)],
    "auth.resend_confirmation": [Rule("confirm_resend_user", user_key)],
    # Only attempts that fail count; README "Verification limits" gives the arithmetic.
    "api.post_verification": [Rule("verify_ip", get_remote_address, deduct_when=failed),
                              Rule("verify_voter", account_or_device_key, deduct_when=failed),
                              Rule("verify_target", roll_target_key, deduct_when=failed,
                                   exempt_when=not_a_roll_attempt)],
    "eligibility.verify": [Rule("verify_ip", get_remote_address, True, failed),
                           Rule("verify_voter", account_or_device_key, True, failed),
                           Rule("verify_target", roll_target_key, deduct_when=failed,
                                exempt_when=not_a_roll_attempt)],
}


def register(app: Flask) -> None:
    app.extensions["plaza_csp"] = content_security_policy(app.config)
    app.after_request(add_headers)
    # One limiter per app, not one shared by every app of the process: Flask-Limiter keeps
    # "the storage is down" on the object, which leaked from one test app into the next.
    limiter = Limiter(key_func=get_remote_address, default_limits=[])
    limiter.init_app(app)
    app.extensions["plaza_limiter"] = limiter
    limits = {**DEFAULT_LIMITS, **app.config["PLAZA_LIMITS"]}  # a setting names only what it changes
    for endpoint, rules in RULES.items():
        view = app.view_functions[endpoint]
        for rule in rules:
            view = limiter.limit(limits[rule.limit], key_func=rule.key,
                                 exempt_when=rule.exempt_when or (only_posts if rule.posts_only else None),
                                 deduct_when=rule.deduct_when, cost=rule.cost,
                                 scope=f"{endpoint}:{rule.limit}")(view)
        app.view_functions[endpoint] = view
