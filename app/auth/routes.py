"""Views of the accounts area."""
from __future__ import annotations

from urllib.parse import urlsplit

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user
from sqlalchemy.exc import IntegrityError

from app.auth import bp, login_sessions
from app.auth.accounts import AccountError, authenticate, create_account, role_label
from app.auth.forms import EmptyForm, LoginForm, RegisterForm
from app.extensions import db, login_manager
from app.models import User


bp.add_app_template_filter(role_label, "role_label")


@login_manager.user_loader
def load_user(session_id: str) -> User | None:
    return login_sessions.load(session_id)


def safe_next(target: str | None) -> str | None:
    """Only local paths: `next` must never send someone to another site."""
    if not target or not target.startswith("/") or target.startswith("//"):
        return None
    if "\\" in target or any(ord(c) < 32 for c in target):
        return None
    parts = urlsplit(target)
    return target if not parts.scheme and not parts.netloc else None


def _after_login(form_next: str | None) -> str:
    return safe_next(form_next) or url_for("spaces.home")


@bp.route("/login", methods=["GET", "POST"])
def login():
    """Log in with e-mail and password, then go back where the person came from."""
    form = LoginForm(next=request.args.get("next", ""))
    if current_user.is_authenticated:
        return redirect(_after_login(form.next.data))
    if form.validate_on_submit():
        user = authenticate(form.email.data, form.password.data)
        if user is None:
            form.password.errors.append(_("The e-mail or password is not right."))
        else:
            login_sessions.start(user)
            db.session.commit()
            login_user(user, remember=form.remember.data)
            flash(_("Welcome back, %(name)s.", name=user.display_name), "success")
            return redirect(_after_login(form.next.data))
    status = 422 if form.is_submitted() else 200
    return render_template("auth/login.html", form=form), status


@bp.route("/register", methods=["GET", "POST"])
def register():
    """Create a resident account and log in straight away."""
    form = RegisterForm(next=request.args.get("next", ""))
    if current_user.is_authenticated:
        return redirect(url_for("spaces.home"))
    if form.validate_on_submit():
        try:
            user = create_account(form.email.data, form.password.data, form.display_name.data)
            db.session.flush()
            login_sessions.start(user)
            db.session.commit()
        except AccountError as exc:
            db.session.rollback()
            form.email.errors.append(str(exc))
        except IntegrityError:
            # Two registrations with one address at the same moment: the database decided.
            db.session.rollback()
            form.email.errors.append(_("An account with this e-mail already exists."))
        else:
            login_user(user)
            flash(_("Your account is ready."), "success")
            return redirect(_after_login(form.next.data))
    status = 422 if form.is_submitted() else 200
    return render_template("auth/register.html", form=form), status


@bp.post("/logout")
@login_required
def logout():
    """Log out; a POST with a CSRF token so another site cannot log people out."""
    if EmptyForm().validate_on_submit():
        login_sessions.end(current_user._get_current_object())
        db.session.commit()
        logout_user()
        flash(_("You are logged out."), "info")
    return redirect(url_for("spaces.home"))
