"""The bare Flask app the load benchmark measures Plaza against: same server, no work.

Served like Plaza: `gunicorn -w 2 -b 127.0.0.1:PORT 'benchmarks.load_app:create_app()'`.
"""
from __future__ import annotations

from flask import Flask, jsonify, request


def create_app() -> Flask:
    """One JSON endpoint: GET answers a small object, POST echoes the JSON it was sent."""
    app = Flask(__name__)

    @app.route("/ping", methods=["GET", "POST"])
    def ping():
        if request.method == "POST":
            return jsonify(ok=True, echo=request.get_json(silent=True)), 201
        return jsonify(ok=True)

    return app
