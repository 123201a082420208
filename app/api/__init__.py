"""JSON API: every answer is JSON, every refusal is {"error": "..."} with a 4xx."""
from flask import Blueprint

bp = Blueprint("api", __name__)

from app.api import ideas, qv, spaces  # noqa: E402,F401
