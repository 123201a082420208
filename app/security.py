"""Security headers and abuse limits, applied to every response and the risky endpoints."""
from __future__ import annotations

from urllib.parse import urlsplit

from flask import Flask, request, session
from flask_limiter.util import get_remote_address

from app.assets import cdn_sources
from app.extensions import limiter


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
    from flask import current_app

    headers = response.headers
    headers.setdefault("Content-Security-Policy", current_app.extensions["plaza_csp"])
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
    headers.setdefault("Permissions-Policy", "geolocation=(self), camera=(), microphone=()")
    if request.is_secure or current_app.config["SESSION_COOKIE_SECURE"]:
        headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
    return response


def email_key() -> str:
    """Login and registration attempts per e-mail address, whatever the IP."""
    return "email:" + (request.form.get("email") or "").strip().lower()[:254]


def voter_key() -> str:
    """Anonymous voters by their cookie id; people without one by their IP."""
    return "voter:" + str(session.get("plaza_voter") or get_remote_address())


def user_key() -> str:
    from flask_login import current_user

    return f"user:{current_user.id}" if current_user.is_authenticated else get_remote_address()


def only_posts() -> bool:
    """Limits count submissions, not the page views before them."""
    return request.method != "POST"


def register(app: Flask) -> None:
    app.extensions["plaza_csp"] = content_security_policy(app.config)
    app.after_request(add_headers)
    limiter.init_app(app)
    limits = app.config["PLAZA_LIMITS"]
    targets = {
        "auth.login": [(limits["login_ip"], get_remote_address), (limits["login_email"], email_key)],
        "auth.register": [(limits["register_ip"], get_remote_address), (limits["register_email"], email_key)],
        "api.post_vote": [(limits["vote_voter"], voter_key), (limits["vote_ip"], get_remote_address)],
        "api.get_pair": [(limits["pair_voter"], voter_key)],
        "ideas.new": [(limits["idea_user"], user_key)],
        "api.post_idea": [(limits["idea_user"], user_key)],
        "ideas.flag": [(limits["flag_user"], user_key)],
    }
    for endpoint, rules in targets.items():
        view = app.view_functions[endpoint]
        for limit, key in rules:
            view = limiter.limit(limit, key_func=key, exempt_when=only_posts
                                 if endpoint in ("auth.login", "auth.register", "ideas.new") else None,
                                 scope=f"{endpoint}:{key.__name__}")(view)
        app.view_functions[endpoint] = view
