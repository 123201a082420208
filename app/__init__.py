"""Plaza: residents propose improvements for a public space, rank them and see them adopted."""
from __future__ import annotations

import importlib
import os
from typing import Any

from flask import Flask

from app.config import base_config, check_config, derive_config
from app.extensions import csrf, db, login_manager, migrate


def create_app(config: dict[str, Any] | None = None) -> Flask:
    """Build the app; tests pass their own settings in `config`."""
    from app.requests import PlazaRequest, RowId, refuse_nul_characters

    app = Flask(__name__, instance_relative_config=True)
    app.request_class = PlazaRequest
    app.url_map.converters["int"] = RowId
    app.before_request(refuse_nul_characters)
    os.makedirs(app.instance_path, exist_ok=True)
    app.config.from_mapping(base_config(app.instance_path))
    app.config.update(config or {})
    derive_config(app.config)
    check_config(app.config)
    trust_proxies(app)
    register_extensions(app)
    register_i18n(app)
    register_blueprints(app)
    register_errorhandlers(app)
    register_commands(app)
    register_template_helpers(app)
    register_security(app)
    return app


def trust_proxies(app: Flask) -> None:
    """Behind N proxies, the client's address and scheme are the ones the Nth proxy saw.

    Without this every request seems to come from the proxy, and each per-IP limit becomes
    one limit for the whole city.
    """
    hops = app.config["PLAZA_TRUSTED_PROXIES"]
    if hops:
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops, x_port=hops)


def register_extensions(app: Flask) -> None:
    from app import models  # noqa: F401  (tables must be known to Alembic and create_all)
    from app.connections import ping_after_idle
    from app import jobs, mail
    from app.pairwise.refits import register as register_refits
    from app.auth.sso import init_oidc

    db.init_app(app)
    with app.app_context():
        for engine in db.engines.values():
            ping_after_idle(engine, app.config["PLAZA_DB_PING_AFTER_IDLE_S"])
    migrate.init_app(app, db, directory=os.path.join(os.path.dirname(app.root_path), "migrations"))
    login_manager.init_app(app)
    csrf.init_app(app)
    register_refits(app)
    jobs.init_app(app)
    mail.init_app(app)
    init_oidc(app)
    for module in SUBSCRIBER_MODULES:
        importlib.import_module(module)


# Modules that subscribe to domain events (app/core/events.py): imported once at start-up.
SUBSCRIBER_MODULES = ("app.audit.subscribers", "app.pairwise.refits", "app.notifications.events",
                      "app.auth.self_service")

# Modules whose views attach to their area's blueprint; imported here, once the app exists,
# so that domain modules inside an area can be imported without pulling in its views.
VIEW_MODULES = (
    "app.auth.routes",
    "app.account.routes",
    "app.notifications.routes",
    "app.spaces.routes",
    "app.ideas.routes",
    "app.pairwise.routes",
    "app.results.routes",
    "app.qv.routes",
    "app.sessions.routes",
    "app.staff.routes",
    "app.staff.outreach",
    "app.staff.accounts",
    "app.staff.merges",
    "app.staff.legal",
    "app.staff.roll",
    "app.legal.routes",
    "app.api.spaces",
    "app.api.ideas",
    "app.api.pairwise",
    "app.api.rankings",
    "app.api.qv",
    "app.api.sessions",
    "app.api.eligibility",
    "app.eligibility.routes",
)


def register_blueprints(app: Flask) -> None:
    for module in VIEW_MODULES:
        importlib.import_module(module)
    from app.notifications.routes import unsubscribe

    csrf.exempt(unsubscribe)  # RFC 8058: the mail program posts it, with no page and no token
    from app.account import bp as account_bp
    from app.api import bp as api_bp
    from app.notifications import bp as notifications_bp
    from app.auth import bp as auth_bp
    from app.ideas import bp as ideas_bp
    from app.legal import bp as legal_bp
    from app.qv import bp as qv_bp
    from app.sessions import bp as sessions_bp
    from app.spaces import bp as spaces_bp
    from app.staff import bp as staff_bp
    from app.pairwise import bp as pairwise_bp
    from app.results import bp as results_bp
    from app.health import bp as health_bp
    from app.eligibility import bp as eligibility_bp

    app.register_blueprint(spaces_bp)
    app.register_blueprint(account_bp)
    app.register_blueprint(notifications_bp)
    app.register_blueprint(ideas_bp)
    app.register_blueprint(legal_bp)
    app.register_blueprint(qv_bp)
    app.register_blueprint(sessions_bp)
    app.register_blueprint(pairwise_bp)
    app.register_blueprint(results_bp)
    app.register_blueprint(health_bp)
    app.register_blueprint(eligibility_bp)
    app.register_blueprint(staff_bp, url_prefix="/staff")
    app.register_blueprint(auth_bp, url_prefix="/auth")
    app.register_blueprint(api_bp, url_prefix="/api")


def register_i18n(app: Flask) -> None:
    from app.i18n import register

    register(app)


def register_errorhandlers(app: Flask) -> None:
    from app.errors import register

    register(app)


def register_commands(app: Flask) -> None:
    from app.cli import create_user, export_command, import_pairwise_command, seed_demo, translations_command

    app.cli.add_command(seed_demo)
    app.cli.add_command(create_user)
    app.cli.add_command(import_pairwise_command)
    app.cli.add_command(export_command)
    app.cli.add_command(translations_command)
    from app.notifications.cli import notices_command
    from app.eligibility.cli import voters_command
    from app.pairwise.cli import refit_command

    app.cli.add_command(notices_command)
    app.cli.add_command(voters_command)
    app.cli.add_command(refit_command)


def register_security(app: Flask) -> None:
    """After the blueprints: limits wrap the views they guard."""
    from app.security import register

    register(app)


def register_template_helpers(app: Flask) -> None:
    from app.assets import register as register_assets
    from app.web.permissions import register as register_permissions
    from app.ideas.display import category_colors, category_label, status_label

    register_assets(app)
    register_permissions(app)
    from app.web.eligibility import eligibility_of

    app.jinja_env.globals.update(category_colors=category_colors, eligibility_of=eligibility_of)
    app.jinja_env.filters["status_label"] = status_label
    app.jinja_env.filters["category_label"] = category_label
