"""Staff page of accounts: who has confirmed an address, so a count of voices can be trusted."""
from __future__ import annotations

import sqlalchemy as sa
from flask import render_template, request

from app.extensions import db
from app.models import User
from app.staff import bp

ACCOUNTS_PER_PAGE = 50
CONFIRMED_FILTERS = ("", "yes", "no")


def accounts_query(search: str, confirmed: str) -> sa.Select:
    """Accounts whose address or name holds `search`, newest first; deleted ones are left out
    (they have no address left to confirm)."""
    query = sa.select(User).where(User.deleted_at.is_(None))
    if search:
        query = query.where(sa.or_(User.email.icontains(search, autoescape=True),
                                   User.display_name.icontains(search, autoescape=True)))
    if confirmed == "yes":
        query = query.where(User.email_confirmed_at.is_not(None))
    elif confirmed == "no":
        query = query.where(User.email_confirmed_at.is_(None))
    return query.order_by(User.created_at.desc(), User.id.desc())


@bp.get("/accounts")
def accounts():
    """Every account with its role and whether its address is confirmed; search and filter."""
    search = request.args.get("q", "").strip()[:254]
    confirmed = request.args.get("confirmed", "")
    if confirmed not in CONFIRMED_FILTERS:
        confirmed = ""
    page = db.paginate(accounts_query(search, confirmed), per_page=ACCOUNTS_PER_PAGE,
                       max_per_page=ACCOUNTS_PER_PAGE, error_out=False)
    totals = db.session.execute(sa.select(
        sa.func.count(User.id), sa.func.count(User.email_confirmed_at)).where(User.deleted_at.is_(None))).one()
    return render_template("staff/accounts.html", page=page, search=search, confirmed=confirmed,
                           total=totals[0], total_confirmed=totals[1])
