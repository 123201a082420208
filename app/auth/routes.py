"""Views of the accounts area."""
from __future__ import annotations

from authlib.integrations.base_client.errors import OAuthError
from flask import abort, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user
from sqlalchemy.exc import IntegrityError

from app.auth import bp, login_sessions, self_service
from app.auth.accounts import AccountError, authenticate, role_label
from app.auth.identities import IdentityRefused, account_for
from app.auth.sso import provider
from app.auth.forms import EmailForm, EmptyForm, LoginForm, NewPasswordForm, RegisterForm
from app.auth.tokens import LinkError
from app.core.errors import Invalid
from app.i18n import current_language
from app.extensions import db, login_manager
from app.models import User
from app.models.user import normalize_email
from app.web.redirects import safe_next


bp.add_app_template_filter(role_label, "role_label")


@login_manager.user_loader
def load_user(session_id: str) -> User | None:
    return login_sessions.load(session_id)


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
    return render_template("auth/login.html", form=form, next_url=safe_next(form.next.data)), status


@bp.route("/register", methods=["GET", "POST"])
def register():
    """Sign up; the answer is the same whether or not the address has an account already,
    so the page tells nobody who is registered here."""
    form = RegisterForm(next=request.args.get("next", ""))
    if current_user.is_authenticated:
        return redirect(url_for("spaces.home"))
    if form.validate_on_submit():
        try:
            self_service.sign_up(form.email.data, form.password.data, form.display_name.data,
                                 language=current_language(), next_url=safe_next(form.next.data),
                                 accepted_terms=form.accept_terms.data)
        except AccountError as exc:
            db.session.rollback()
            form.email.errors.append(str(exc))
        except Invalid as exc:
            form.show(exc.fields)
        except IntegrityError:  # the same address signing up twice at once: the first one won
            db.session.rollback()
            session["plaza_signed_up"] = normalize_email(form.email.data)
            return redirect(url_for("auth.check_inbox"))
        else:
            db.session.commit()
            session["plaza_signed_up"] = normalize_email(form.email.data)
            return redirect(url_for("auth.check_inbox"))
    status = 422 if form.is_submitted() else 200
    return render_template("auth/register.html", form=form, next_url=safe_next(form.next.data)), status


@bp.get("/check-your-inbox")
def check_inbox():
    return render_template("auth/check_inbox.html", email=session.get("plaza_signed_up"))


@bp.get("/confirm/<token>")
def confirm(token: str):
    """The link in the confirmation e-mail: the address is confirmed and the person is in."""
    try:
        user, next_url = self_service.confirm(token)
    except LinkError as exc:
        return link_problem(exc, "confirm")
    if not (current_user.is_authenticated and current_user.id == user.id):
        login_sessions.start(user)
    db.session.commit()
    if user.session_token:
        login_user(user)
    flash(_("Thank you, your address is confirmed."), "success")
    return redirect(safe_next(next_url) or url_for("spaces.home"))


@bp.post("/confirm/again")
def resend_confirmation():
    """A new confirmation link: for the logged-in account, or for an address typed on the
    page of an expired link (which answers the same whether it has an account or not)."""
    form = EmailForm()
    if current_user.is_authenticated:
        self_service.resend_confirmation(current_user._get_current_object())
    elif form.validate_on_submit():
        user = db.session.scalar(User.by_email(form.email.data))
        if user is not None and user.deleted_at is None:
            self_service.resend_confirmation(user)
    else:
        return render_template("auth/link_problem.html", form=form, kind="confirm", expired=True), 422
    db.session.commit()
    flash(_("If the address has an account that still needs confirming, a new link is on its way."), "info")
    return redirect(url_for("spaces.home"))


@bp.route("/forgot", methods=["GET", "POST"])
def forgot():
    """Ask for a reset link; the same answer whether or not the address has an account."""
    form = EmailForm()
    if form.validate_on_submit():
        self_service.request_reset(form.email.data)
        db.session.commit()
        flash(_("If %(email)s has a Plaza account, a link to choose a new password is on its way. "
                "It works for one hour.", email=normalize_email(form.email.data)), "info")
        return redirect(url_for("auth.login"))
    return render_template("auth/forgot.html", form=form), 422 if form.is_submitted() else 200


@bp.route("/reset/<token>", methods=["GET", "POST"])
def reset(token: str):
    """Choose a new password from the link; every login of the account ends, this one starts."""
    try:
        user = self_service.check_reset(token)
    except LinkError as exc:
        return link_problem(exc, "reset")
    form = NewPasswordForm(known=(user.email, user.display_name))
    if form.validate_on_submit():
        self_service.reset_password(token, form.password.data)
        login_sessions.start(user)
        db.session.commit()
        login_user(user)
        flash(_("Your new password is saved; you are logged in, and logged out everywhere else."), "success")
        return redirect(url_for("spaces.home"))
    return render_template("auth/reset.html", form=form), 422 if form.is_submitted() else 200


def link_problem(error: LinkError, kind: str):
    """An expired, used or damaged link: say which, and offer a new one."""
    return render_template("auth/link_problem.html", form=EmailForm(), kind=kind,
                           expired=error.expired), 400


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


@bp.get("/sso")
def sso_login():
    """Off to the city's identity provider; it sends the person back to `sso_callback`."""
    client = provider()
    if client is None:
        abort(404)
    session["plaza_sso_next"] = safe_next(request.args.get("next")) or ""
    return client.authorize_redirect(url_for("auth.sso_callback", _external=True))


@bp.get("/sso/callback")
def sso_callback():
    """The provider's answer: log the person in, with the account it vouches for."""
    client = provider()
    if client is None:
        abort(404)
    try:
        token = client.authorize_access_token()
        user = account_for(current_app.config["OIDC_ISSUER"], token.get("userinfo") or {},
                           verifies=current_app.config["OIDC_VERIFIES"])
    except IdentityRefused as exc:
        db.session.rollback()
        flash(str(exc), "error")
        return redirect(url_for("auth.login"))
    except OAuthError as exc:
        db.session.rollback()
        flash(_("The identity provider did not log you in (%(reason)s). Try again, or log in with your password.",
                reason=exc.description or exc.error), "error")
        return redirect(url_for("auth.login"))
    login_sessions.start(user)
    db.session.commit()
    login_user(user)
    flash(_("Welcome back, %(name)s.", name=user.display_name), "success")
    return redirect(session.pop("plaza_sso_next", "") or url_for("spaces.home"))
