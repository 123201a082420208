"""Ideas: submit and pin them, browse them on the map, flag and moderate them."""
from flask import Blueprint

bp = Blueprint("ideas", __name__)
