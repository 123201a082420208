"""JSON API: every answer is JSON, every refusal is {"error": "..."} with a 4xx."""
from flask import Blueprint

bp = Blueprint("api", __name__)
