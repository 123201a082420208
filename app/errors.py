"""Error handlers in one place: styled pages for people, JSON for API clients."""
from __future__ import annotations

import math

from flask import Flask, flash, jsonify, make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import DataError, OperationalError
from werkzeug.exceptions import HTTPException

from app.core.errors import Conflict, DomainError, Invalid, LoginNeeded, Malformed, NotFound, Refused
from app.eligibility.rules import NotEligible
from app.extensions import db, login_manager
from app.security import seconds_until_allowed
from app.text import N_

# Marked here, translated when a response is made: the language is the request's.
MESSAGES = {
    400: N_("The request could not be understood."),
    401: N_("Please log in first."),
    403: N_("You do not have access to this page."),
    404: N_("There is nothing at this address."),
    405: N_("This address does not accept that kind of request."),
    413: N_("What you sent is too large."),
    429: N_("Too many attempts in a short time; please wait a minute and try again."),
    500: N_("Something went wrong on our side. Nothing you entered was saved half-way; please try again."),
}
# Werkzeug's names of the other errors, the fallback message: the same English, in Spanish too.
NAMES = {
    406: N_("Not Acceptable"),
    408: N_("Request Timeout"),
    409: N_("Conflict"),
    410: N_("Gone"),
    411: N_("Length Required"),
    412: N_("Precondition Failed"),
    414: N_("Request URI Too Long"),
    415: N_("Unsupported Media Type"),
    416: N_("Requested Range Not Satisfiable"),
    422: N_("Unprocessable Entity"),
    428: N_("Precondition Required"),
    431: N_("Request Header Fields Too Large"),
    501: N_("Not Implemented"),
    502: N_("Bad Gateway"),
    503: N_("Service Unavailable"),
    504: N_("Gateway Timeout"),
}
CSRF_MESSAGE = N_(
    "This form expired or was sent without its security token. "
    "Go back, reload the page and send it again."
)


def wants_json() -> bool:
    return request.path.startswith("/api/")


def error_response(code: int, message: str):
    message = str(message)  # a lazy string from a form or module constant
    if wants_json():
        return make_response(jsonify(error=message), code)
    return make_response(render_template("errors/error.html", code=code, message=message), code)


def handle_http(exc: HTTPException):
    """Also receives unhandled errors as a 500 (Flask has logged them): roll back first."""
    code = exc.code or 500
    if code >= 500:
        db.session.rollback()
    default = exc.__class__.description
    message = exc.description if exc.description and exc.description != default else None
    if code == 429:  # the limiter describes the limit ("10 per 1 minute"), not what to do
        return too_many()
    if message:
        return error_response(code, message)
    if code in MESSAGES:
        return error_response(code, _(MESSAGES[code]))
    return error_response(code, _(NAMES[code]) if code in NAMES else exc.name)


def too_many():
    """429 with the real wait: "15 minutes" when the lock-out lasts 15, never "a minute"."""
    seconds = seconds_until_allowed()
    if seconds is None:
        response = error_response(429, _(MESSAGES[429]))
    else:
        minutes = math.ceil(seconds / 60)
        message = (ngettext("Too many attempts in a short time; please wait %(num)s second and try again.",
                            "Too many attempts in a short time; please wait %(num)s seconds and try again.",
                            seconds) if seconds < 60 else
                   ngettext("Too many attempts in a short time; please wait %(num)s minute and try again.",
                            "Too many attempts in a short time; please wait %(num)s minutes and try again.",
                            minutes))
        response = error_response(429, message)
        response.headers["Retry-After"] = str(seconds)
    return response


def handle_data_error(exc: DataError):
    """Input the database cannot store (a safety net behind the forms' own checks)."""
    db.session.rollback()
    return error_response(400, _("Some of what was sent cannot be stored; check the text and numbers."))


# Seconds a client waits before sending again after the database went away mid-request.
RETRY_AFTER_S = 2


def handle_database_unavailable(exc: OperationalError):
    """The database connection died (a restart, a failover, a killed backend) or refused to
    go on (a serialization failure): nothing of the request was committed, so the client
    may simply send it again. 503 with Retry-After, never a bare 500."""
    db.session.rollback()
    response = error_response(503, _("The database is busy or restarting; nothing was saved. "
                                     "Please try again in a moment."))
    response.headers["Retry-After"] = str(RETRY_AFTER_S)
    return response


# The one map from a command's refusal to an HTTP answer (app/core/errors.py).
DOMAIN_STATUS = {Malformed: 400, LoginNeeded: 401, Refused: 403, NotFound: 404, Conflict: 409, Invalid: 422}


def handle_domain_error(exc: DomainError):
    """A refusal no view handled itself: the status of its kind, the command's message,
    and for the API the message of each field."""
    db.session.rollback()
    status = next(code for kind, code in DOMAIN_STATUS.items() if isinstance(exc, kind))
    if wants_json() and isinstance(exc, Invalid) and exc.fields:
        return make_response(jsonify(error=exc.message, fields=exc.fields), status)
    if isinstance(exc, NotEligible):
        return not_eligible(exc, status)
    return error_response(status, exc.message)


def not_eligible(exc: NotEligible, status: int):
    """The rule and where to meet it: the API names the eligibility and verification
    addresses, a page links to them."""
    links = {"eligibility": url_for("api.get_eligibility", slug=exc.space_slug),
             "verify_url": url_for("eligibility.verify", slug=exc.space_slug)}
    if wants_json():
        return make_response(jsonify(error=exc.message, **links), status)
    return make_response(render_template("errors/error.html", code=status, message=exc.message,
                                         verify_url=links["verify_url"]), status)


def handle_csrf(exc: CSRFError):
    return error_response(400, _(CSRF_MESSAGE))


def unauthorized():
    """API clients get 401 JSON; people get the login page with a way back."""
    if wants_json():
        return jsonify(error=_(MESSAGES[401])), 401
    flash(_("Please log in to continue."), "info")
    return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))


def register(app: Flask) -> None:
    app.register_error_handler(CSRFError, handle_csrf)
    app.register_error_handler(DataError, handle_data_error)
    app.register_error_handler(DomainError, handle_domain_error)
    app.register_error_handler(OperationalError, handle_database_unavailable)
    app.register_error_handler(HTTPException, handle_http)
    login_manager.unauthorized_handler(unauthorized)
