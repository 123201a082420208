"""Staff pages for e-mail: announce a space's outcome, and see deliveries that failed."""
from __future__ import annotations

import sqlalchemy as sa
from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.auth.forms import EmptyForm
from app.core.errors import Invalid
from app.extensions import db
from app.lookups import get_space_or_404
from app.models import Notice, User
from app.notifications.announcements import announce, recipient_count
from app.staff import bp
from app.staff.forms import AnnouncementForm


@bp.route("/spaces/<slug>/announce", methods=["GET", "POST"])
def announcement(slug: str):
    """Write, preview with the count of recipients, then send through the queue."""
    space = get_space_or_404(slug)
    form = AnnouncementForm()
    count = recipient_count(space.id)
    if form.validate_on_submit() and request.form.get("confirmed") == "yes":
        try:
            sent_to = announce(space, form.subject.data, form.body.data, current_user.id)
        except Invalid as exc:
            form.show(exc.fields)
        else:
            db.session.commit()
            flash(_("The message is on its way to %(num)s people.", num=sent_to), "success")
            return redirect(url_for("staff.deliveries", slug=space.slug))
    preview = form.is_submitted() and not form.errors and form.subject.data and form.body.data
    return render_template("staff/announce.html", space=space, form=form, count=count, preview=preview), \
        422 if form.errors else 200


@bp.route("/spaces/<slug>/deliveries", methods=["GET", "POST"])
def deliveries(slug: str):
    """How the space's e-mails fared, and the failed ones (which staff may send again)."""
    space = get_space_or_404(slug)
    if request.method == "POST" and EmptyForm().validate_on_submit():
        retried = db.session.execute(sa.update(Notice).where(Notice.space_id == space.id, Notice.status == "failed")
                                     .values(status="pending", attempts=0, delivery="immediately")).rowcount
        db.session.commit()
        flash(_("%(num)s failed messages will be sent again within a minute.", num=retried), "info")
        return redirect(url_for("staff.deliveries", slug=space.slug))
    counts = dict(db.session.execute(sa.select(Notice.status, sa.func.count(Notice.id))
                                     .where(Notice.space_id == space.id).group_by(Notice.status)).all())
    failed = db.session.execute(sa.select(Notice, User.email).join(User, User.id == Notice.user_id)
                                .where(Notice.space_id == space.id, Notice.status == "failed")
                                .order_by(Notice.id.desc()).limit(200)).all()
    return render_template("staff/deliveries.html", space=space, counts=counts, failed=failed,
                           action_form=EmptyForm())
