"""`GET /healthz` for the load balancer: is the database there, and the broker if one is set.

200 when everything configured answers, 503 naming what is down, so a machine whose
database connection is gone is taken out of rotation instead of answering 500s.
"""
from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, current_app, jsonify

from app.extensions import db

bp = Blueprint("health", __name__)
BROKER_TIMEOUT_S = 2.0


def _database_answers() -> bool:
    try:
        db.session.execute(sa.text("SELECT 1"))
        db.session.rollback()
        return True
    except sa.exc.SQLAlchemyError:
        db.session.rollback()
        return False


def _broker_answers() -> bool:
    """Through the Celery app's own connection settings (app/jobs), the ones jobs are sent with."""
    try:
        with current_app.extensions["celery"].connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=BROKER_TIMEOUT_S)
        return True
    except Exception:  # any failure to reach it is "down", whatever the transport raises
        return False


@bp.get("/healthz")
def healthz():
    broker = current_app.config["CELERY_BROKER_URL"]
    checks = {"database": "ok" if _database_answers() else "down",
              "broker": ("ok" if _broker_answers() else "down") if broker else "not configured"}
    down = [name for name, state in checks.items() if state == "down"]
    if down:
        return jsonify(error=f"Down: {', '.join(down)}.", down=down, checks=checks), 503
    return jsonify(checks=checks), 200
