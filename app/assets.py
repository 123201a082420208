"""Leaflet and its marker-cluster plugin: from a CDN with SRI, or from the local copy.

The local copy comes from the xstatic PyPI packages, so no vendored file is committed and the
version we serve offline is the version whose hash we send to the CDN.
"""
from __future__ import annotations

import base64
import hashlib
import os
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from functools import cache

import xstatic.pkg.leaflet as xs_leaflet
import xstatic.pkg.leaflet_markercluster as xs_cluster
from flask import Blueprint, Flask, abort, current_app, send_from_directory, url_for
from flask_babel import gettext as _

PACKAGES = {
    "leaflet": (xs_leaflet.BASE_DIR, f"leaflet@{xs_leaflet.VERSION}/dist"),
    "markercluster": (
        xs_cluster.BASE_DIR,
        f"leaflet.markercluster@{xs_cluster.VERSION}/dist",
    ),
}
# Load order matters: the plugin extends the L that Leaflet defines.
MAP_ASSETS = (
    ("leaflet", "leaflet.css"),
    ("markercluster", "MarkerCluster.css"),
    ("markercluster", "MarkerCluster.Default.css"),
    ("leaflet", "leaflet.js"),
    ("markercluster", "leaflet.markercluster.js"),
)

vendor = Blueprint("vendor", __name__)


@dataclass(frozen=True)
class Asset:
    kind: str
    local: str
    cdn: str | None
    integrity: str


@cache
def sri(path: str) -> str:
    """Subresource-integrity hash of a local file (identical to the CDN's copy)."""
    with open(path, "rb") as fh:
        digest = hashlib.sha384(fh.read()).digest()
    return "sha384-" + base64.b64encode(digest).decode()


def kind(filename: str) -> str:
    return "css" if filename.endswith(".css") else "js"


def cdn_url(config: Mapping, package: str, filename: str) -> str | None:
    """The CDN's address of one file of a package, or None when Plaza serves Leaflet itself."""
    if config["PLAZA_OFFLINE_ASSETS"]:
        return None
    return f"{config['LEAFLET_CDN'].rstrip('/')}/{PACKAGES[package][1]}/{filename}"


def cdn_sources(config: Mapping) -> dict[str, list[str]]:
    """What pages may load from the CDN, for the Content-Security-Policy: each script and
    stylesheet by its full address, and the folder of the images leaflet.css names (the
    marker icons Leaflet finds through it). Nothing when Plaza serves Leaflet itself."""
    sources: dict[str, list[str]] = {"js": [], "css": [], "img": []}
    if config["PLAZA_OFFLINE_ASSETS"]:
        return sources
    for package, filename in MAP_ASSETS:
        sources[kind(filename)].append(cdn_url(config, package, filename))
    sources["img"].append(cdn_url(config, "leaflet", "images/"))
    return sources


def map_assets() -> list[dict]:
    """What the page loader needs for each file: both addresses and the hash."""
    assets = []
    for package, filename in MAP_ASSETS:
        assets.append(
            Asset(
                kind=kind(filename),
                local=url_for("vendor.file", package=package, filename=filename),
                cdn=cdn_url(current_app.config, package, filename),
                integrity=sri(os.path.join(PACKAGES[package][0], filename)),
            )
        )
    return [asdict(a) for a in assets]


@vendor.get("/vendor/<package>/<path:filename>")
def file(package: str, filename: str):
    """The local copy, used when the CDN is unreachable or PLAZA_OFFLINE_ASSETS=1."""
    if package not in PACKAGES:
        abort(404)
    return send_from_directory(PACKAGES[package][0], filename, max_age=7 * 24 * 3600)


def map_settings() -> dict:
    return {
        "tileUrl": current_app.config["TILE_URL"],
        "attribution": current_app.config["TILE_ATTRIBUTION"] or openstreetmap_credit(),
    }


def openstreetmap_credit() -> str:
    """The credit OpenStreetMap's licence asks for, in the reader's language. A city that sets
    TILE_ATTRIBUTION for other tiles writes it in the words its provider asks for."""
    return _('&copy; <a href="%(url)s">OpenStreetMap</a> contributors',
             url="https://www.openstreetmap.org/copyright")


def register(app: Flask) -> None:
    app.register_blueprint(vendor)
    app.jinja_env.globals.update(map_assets=map_assets, map_settings=map_settings)
