"""The staff page that imports a space's roll: upload, preview the counts, then import.

The same import as `flask voters import-roll`, for staff without a shell. Nothing of the
file is shown back but its column names and counts.
"""
from __future__ import annotations

import io

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.auth.forms import EmptyForm
from app.eligibility import hasher
from app.eligibility.roll import RollError, preview_roll, roll_summary
from app.eligibility.roll_uploads import import_upload, keep_upload, pending_upload, roll_of
from app.extensions import db
from app.lookups import get_space_or_404
from app.staff import bp
from app.staff.forms import RollUploadForm, column_names


def _text_of(upload) -> io.StringIO:
    """The uploaded file as text; RollError unless it is UTF-8 (what the CLI reads too)."""
    try:
        return io.StringIO(upload.read().decode("utf-8-sig"), newline="")
    except UnicodeDecodeError as exc:
        raise RollError(_("The file is not UTF-8 text. Save it as “CSV UTF-8” and upload it again.")) from exc


@bp.route("/spaces/<slug>/roll", methods=["GET", "POST"])
def roll_upload(slug: str):
    """Upload the roll's CSV and name its columns; a valid file goes on to its preview."""
    space = get_space_or_404(slug)
    form = RollUploadForm()
    if request.method == "GET":
        form.id_columns.data = ", ".join(space.roll_fields)
    if form.validate_on_submit():
        try:
            upload = keep_upload(hasher(), space, current_user.id, _text_of(form.roll.data),
                                 column_names(form.id_columns.data), form.district_column.data or None)
        except RollError as exc:
            db.session.rollback()
            form.roll.errors.append(str(exc))
        else:
            db.session.commit()
            return redirect(url_for("staff.roll_preview", slug=space.slug, upload_id=upload.id))
    return _upload_page(space, form, 422 if form.errors else 200)


@bp.route("/spaces/<slug>/roll/<int:upload_id>", methods=["GET", "POST"])
def roll_preview(slug: str, upload_id: int):
    """What the import would change, in counts; importing it takes one more press."""
    space = get_space_or_404(slug)
    upload = pending_upload(space, upload_id)
    if upload is None:
        form = RollUploadForm(formdata=None, id_columns=", ".join(space.roll_fields))
        form.roll.errors = [_("This upload has expired or was imported already: upload the file again.")]
        return _upload_page(space, form, 404)
    confirm = EmptyForm()
    if confirm.validate_on_submit():
        report = import_upload(space, upload, current_user.id)
        db.session.commit()
        flash(_("Roll imported: %(listed)s people listed (%(added)s new, %(unlisted)s no longer listed); "
                "%(claimed)s of them verified already.", listed=report.listed, added=report.added,
                unlisted=report.unlisted, claimed=report.claimed), "success")
        return redirect(url_for("staff.roll_upload", slug=space.slug))
    report = preview_roll(space.id, roll_of(upload))
    report.duplicates = upload.duplicates
    return render_template("staff/roll_preview.html", space=space, upload=upload, report=report,
                           confirm=confirm)


def _upload_page(space, form: RollUploadForm, status: int):
    return render_template("staff/roll_upload.html", space=space, form=form, roll=roll_summary(space.id)), status
