"""Facilitated in-person sessions: kiosk tablets passed from hand to hand, room results."""
from flask import Blueprint

bp = Blueprint("sessions", __name__)
