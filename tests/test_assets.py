"""Leaflet comes from the CDN with SRI, or from the local copy of the same release."""
import base64
import hashlib
import os

import pytest
import xstatic.pkg.leaflet as xs_leaflet

from app.assets import map_assets

# Published by leafletjs.com for Leaflet 1.9.3: proves the local copy is the CDN's file.
LEAFLET_193_SHA256 = {
    "leaflet.js": "sha256-WBkoXOwTeyKclOHuWtc+i2uENFpDZ9YPdf5Hf+D7ewM=",
    "leaflet.css": "sha256-kLaT2GOSpHechhsozzB+flnD+zUyjE2LlfWPgU04xyI=",
}


@pytest.mark.parametrize("filename", sorted(LEAFLET_193_SHA256))
def test_local_leaflet_is_the_published_release(filename):
    with open(os.path.join(xs_leaflet.BASE_DIR, filename), "rb") as fh:
        digest = base64.b64encode(hashlib.sha256(fh.read()).digest()).decode()
    assert f"sha256-{digest}" == LEAFLET_193_SHA256[filename]


def test_assets_name_cdn_local_and_integrity(app):
    with app.test_request_context():
        assets = map_assets()
    names = [a["local"].rsplit("/", 1)[1] for a in assets]
    assert names.index("leaflet.js") < names.index("leaflet.markercluster.js")
    js = next(a for a in assets if a["local"].endswith("/leaflet.js"))
    assert js["cdn"] == "https://unpkg.com/leaflet@1.9.3/dist/leaflet.js"
    assert js["local"] == "/vendor/leaflet/leaflet.js"
    assert all(a["integrity"].startswith("sha384-") for a in assets)


def test_offline_assets_skip_the_cdn(app):
    app.config["PLAZA_OFFLINE_ASSETS"] = True
    with app.test_request_context():
        assert all(a["cdn"] is None for a in map_assets())


def test_local_copies_are_served(client):
    for path in ("/vendor/leaflet/leaflet.js", "/vendor/leaflet/images/marker-icon.png",
                 "/vendor/markercluster/leaflet.markercluster.js"):
        response = client.get(path)
        assert response.status_code == 200, path
        response.close()


@pytest.mark.parametrize("path", ["/vendor/other/x.js", "/vendor/leaflet/../__init__.py",
                                  "/vendor/leaflet/missing.js"])
def test_vendor_refuses_anything_else(client, path):
    assert client.get(path).status_code == 404
