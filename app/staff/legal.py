"""Staff write the city's terms of use and privacy notice, one language at a time."""
from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_login import current_user

from app.core.errors import Invalid
from app.extensions import db
from app.legal.texts import default_text, save_text, stored, title
from app.models import LEGAL_KINDS
from app.models.user import LANGUAGES
from app.staff import bp
from app.staff.forms import LegalTextForm


@bp.get("/legal")
def legal_texts():
    """Each text in each language: the city's own (and when it changed) or Plaza's default."""
    rows = [(kind, language, stored(kind, language)) for kind in LEGAL_KINDS for language in LANGUAGES]
    return render_template("staff/legal_texts.html", rows=rows, title=title)


@bp.route("/legal/<kind>/<language>", methods=["GET", "POST"])
def edit_legal_text(kind: str, language: str):
    """Starts from the text readers see now in that language, so staff adapt rather than retype."""
    current = stored(kind, language)
    form = LegalTextForm()
    form.body.render_kw = {"rows": 20, "lang": language}
    if form.validate_on_submit():
        try:
            save_text(kind, language, form.body.data, current_user.id)
        except Invalid as exc:
            form.show(exc.fields)
        else:
            db.session.commit()
            flash(_("Published. Readers see the new text now."), "success")
            return redirect(url_for("staff.legal_texts"))
    elif not form.is_submitted():
        if current is not None:
            form.body.data = current.body
        else:
            with force_locale(language):
                form.body.data = default_text(kind)
    return render_template("staff/legal_edit.html", form=form, kind=kind, language=language,
                           current=current, title=title), 422 if form.errors else 200
