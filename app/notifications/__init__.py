"""Telling people what happened: follows, notices, digests, and their settings pages."""
from flask import Blueprint

bp = Blueprint("notifications", __name__)
