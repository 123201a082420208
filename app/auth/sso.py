"""The city's identity provider as an Authlib OpenID Connect client, one per app."""
from __future__ import annotations

from authlib.integrations.flask_client import OAuth
from flask import Flask, current_app


def init_oidc(app: Flask) -> None:
    """Register the provider when OIDC_ISSUER is set; its metadata is read on first use."""
    if not app.config["OIDC_ISSUER"]:
        return
    oauth = OAuth(app)
    oauth.register(
        "city", client_id=app.config["OIDC_CLIENT_ID"], client_secret=app.config["OIDC_CLIENT_SECRET"],
        server_metadata_url=f"{app.config['OIDC_ISSUER']}/.well-known/openid-configuration",
        client_kwargs={"scope": "openid email profile"})
    app.extensions["plaza_oidc"] = oauth.city


def provider():
    """The registered client, or None when no provider is configured."""
    return current_app.extensions.get("plaza_oidc")
