"""Quadratic voting: a credit budget per voter, n votes on an idea cost n² credits."""
from flask import Blueprint

bp = Blueprint("qv", __name__)
