"""The service worker's source: the static files it keeps, and a version that changes with them.

The kiosk and phone pages must start without the network after one visit, so the worker
keeps their scripts, styles and Plaza's own copy of Leaflet. The version is a hash of those
files: a deploy that changes one of them makes the worker fetch them all again.
"""
from __future__ import annotations

import hashlib
import json
import os

from flask import current_app, url_for

from app.sessions.display import local_assets

STATIC_FILES = (
    "css/plaza.css",
    "css/sessions.css",
    "js/i18n.js",
    "js/assets.js",
    "js/geo.js",
    "js/kiosk-store.js",
    "js/kiosk-pin.js",
    "js/qv-rules.js",
    "js/kiosk-turn.js",
    "js/kiosk.js",
    "favicon.svg",
)
WORKER = "js/sw.js"


def precache_urls() -> list[str]:
    return [url_for("static", filename=f) for f in STATIC_FILES] + [a["local"] for a in local_assets()]


def _version() -> str:
    digest = hashlib.sha256()
    for name in STATIC_FILES + (WORKER,):
        with open(os.path.join(current_app.static_folder, name), "rb") as fh:
            digest.update(fh.read())
    digest.update("\n".join(precache_urls()).encode())
    return digest.hexdigest()[:16]


def service_worker_source() -> str:
    """The worker script with its settings on the first line."""
    with open(os.path.join(current_app.static_folder, WORKER), encoding="utf-8") as fh:
        worker = fh.read()
    settings = {"version": _version(), "precache": precache_urls(),
                "scope": url_for("sessions.index")}
    return f"self.PLAZA_SW = {json.dumps(settings)};\n{worker}"
