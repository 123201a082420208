"""The city's terms of use and privacy notice: public pages, and the texts staff edit."""
from flask import Blueprint

bp = Blueprint("legal", __name__)
