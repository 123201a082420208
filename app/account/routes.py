"""Views of "My Plaza": what I did and follow, and my account's settings."""
from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, logout_user

from app.account import bp
from app.account.queries import followed_ideas, my_ideas, my_participation
from app.auth import self_service
from app.auth.forms import DeleteAccountForm, EmailChangeForm, PasswordChangeForm
from app.auth.tokens import LinkError
from app.core.errors import Conflict, Invalid
from app.extensions import db
from app.notifications.forms import NotifyForm


@bp.get("/me")
@login_required
def me():
    """My ideas with the city's answers, the ideas I follow, where I voted."""
    user_id = current_user.id
    return render_template("account/me.html", ideas=db.session.execute(my_ideas(user_id)).all(),
                           followed=db.session.execute(followed_ideas(user_id)).all(),
                           participation=db.session.execute(my_participation(user_id)).all())


def settings_page(status: int = 200, **forms):
    user = current_user._get_current_object()
    values = {"notify_form": NotifyForm(frequency=user.notify), "email_form": EmailChangeForm(),
              "password_form": PasswordChangeForm(known=(user.email, user.display_name)),
              **forms}
    return render_template("account/settings.html", **values), status


@bp.get("/me/settings")
@login_required
def settings():
    return settings_page()


@bp.post("/me/email")
@login_required
def change_email():
    """A confirmation goes to the new address and a notice to the old; nothing changes yet."""
    form = EmailChangeForm()
    if form.validate_on_submit():
        try:
            self_service.request_email_change(current_user._get_current_object(), form.email.data, form.password.data)
        except Invalid as exc:
            for name, message in exc.fields.items():
                getattr(form, name).errors.append(message)
        else:
            db.session.commit()
            flash(_("We sent a link to %(email)s; your address changes once you follow it.",
                    email=form.email.data.strip().lower()), "info")
            return redirect(url_for("account.settings"))
    return settings_page(422, email_form=form)


@bp.get("/me/email/<token>")
def confirm_email_change(token: str):
    try:
        self_service.apply_email_change(token)
    except LinkError as exc:
        return render_template("auth/link_problem.html", form=EmailChangeForm(), kind="email",
                               expired=exc.expired), 400
    except Conflict as exc:
        db.session.rollback()
        flash(exc.message, "error")
        return redirect(url_for("spaces.home"))
    db.session.commit()
    flash(_("Your e-mail address is changed."), "success")
    return redirect(url_for("account.settings") if current_user.is_authenticated else url_for("auth.login"))


@bp.post("/me/password")
@login_required
def change_password():
    """A new password; this login stays, every other one ends."""
    user = current_user._get_current_object()
    form = PasswordChangeForm(known=(user.email, user.display_name))
    if form.validate_on_submit():
        try:
            self_service.change_own_password(user, form.current_password.data, form.password.data)
        except Invalid as exc:
            for name, message in exc.fields.items():
                getattr(form, name).errors.append(message)
        else:
            db.session.commit()
            flash(_("Your new password is saved. You are logged out on every other device."), "success")
            return redirect(url_for("account.settings"))
    return settings_page(422, password_form=form)


@bp.route("/me/delete", methods=["GET", "POST"])
@login_required
def delete():
    """Delete my account: name and address go, votes and ideas stay anonymous."""
    form = DeleteAccountForm()
    if form.validate_on_submit():
        try:
            self_service.delete_account(current_user._get_current_object(), form.password.data)
        except Invalid as exc:
            form.password.errors.append(exc.fields["password"])
        else:
            db.session.commit()
            logout_user()
            flash(_("Your account is deleted. Your votes and ideas stay, without your name."), "info")
            return redirect(url_for("spaces.home"))
    return render_template("account/delete.html", form=form), 422 if form.is_submitted() else 200
