"""Error handlers in one place: styled pages for people, JSON for API clients."""
from __future__ import annotations

from flask import Flask, flash, jsonify, redirect, render_template, request, url_for
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import DataError
from werkzeug.exceptions import HTTPException

from app.extensions import db, login_manager

MESSAGES = {
    400: "The request could not be understood.",
    401: "Please log in first.",
    403: "You do not have access to this page.",
    404: "There is nothing at this address.",
    405: "This address does not accept that kind of request.",
    413: "What you sent is too large.",
    429: "Too many attempts in a short time; please wait a minute and try again.",
    500: "Something went wrong on our side. Nothing you entered was saved half-way; please try again.",
}
CSRF_MESSAGE = (
    "This form expired or was sent without its security token. "
    "Go back, reload the page and send it again."
)


def wants_json() -> bool:
    return request.path.startswith("/api/")


def error_response(code: int, message: str):
    if wants_json():
        return jsonify(error=message), code
    return render_template("errors/error.html", code=code, message=message), code


def handle_http(exc: HTTPException):
    """Also receives unhandled errors as a 500 (Flask has logged them): roll back first."""
    code = exc.code or 500
    if code >= 500:
        db.session.rollback()
    default = exc.__class__.description
    message = exc.description if exc.description and exc.description != default else None
    if code == 429:  # the limiter describes the limit ("10 per 1 minute"), not what to do
        message = None
    return error_response(code, message or MESSAGES.get(code, exc.name))


def handle_data_error(exc: DataError):
    """Input the database cannot store (a safety net behind the forms' own checks)."""
    db.session.rollback()
    return error_response(400, "Some of what was sent cannot be stored; check the text and numbers.")


def handle_csrf(exc: CSRFError):
    return error_response(400, CSRF_MESSAGE)


def unauthorized():
    """API clients get 401 JSON; people get the login page with a way back."""
    if wants_json():
        return jsonify(error=MESSAGES[401]), 401
    flash("Please log in to continue.", "info")
    return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))


def register(app: Flask) -> None:
    app.register_error_handler(CSRFError, handle_csrf)
    app.register_error_handler(DataError, handle_data_error)
    app.register_error_handler(HTTPException, handle_http)
    login_manager.unauthorized_handler(unauthorized)
