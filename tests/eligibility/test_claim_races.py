"""Eight accounts claiming one roll entry (or one letter code) at the same moment: exactly one
wins. Runs on PostgreSQL, where the requests really overlap; the unique indexes on
`verifications` decide."""
import sqlalchemy as sa

from app.eligibility.verification import CLAIM_REFUSED
from app.extensions import db
from app.models import AuditEntry, Verification
from tests.conftest import csrf_token, run_threads
from tests.eligibility.conftest import ANA

ACCOUNTS = 8


def claim_at_once(app, make_user, client_of, body: dict) -> list[int]:
    browsers = [client_of(make_user()) for _ in range(ACCOUNTS)]
    tokens = [csrf_token(browser) for browser in browsers]

    def claim(k: int) -> int:
        response = browsers[k].post("/api/spaces/centro/verification", json=body,
                                    headers={"X-CSRFToken": tokens[k]})
        return response.status_code

    return run_threads(app, claim, ACCOUNTS)


def test_eight_accounts_one_roll_entry(postgresql, app, centro, make_user, client_of):
    statuses = claim_at_once(app, make_user, client_of, {"method": "roll", "fields": ANA})
    assert sorted(statuses) == [200] + [422] * (ACCOUNTS - 1)
    db.session.expire_all()
    assert db.session.scalar(sa.select(sa.func.count(Verification.id))) == 1
    refused = db.session.scalar(sa.select(sa.func.count(AuditEntry.id)).where(AuditEntry.action == CLAIM_REFUSED))
    assert refused == ACCOUNTS - 1


def test_eight_accounts_one_letter_code(postgresql, app, centro, letter_codes, make_user, client_of):
    statuses = claim_at_once(app, make_user, client_of, {"method": "code", "code": letter_codes[0]})
    assert sorted(statuses) == [200] + [422] * (ACCOUNTS - 1)
    db.session.expire_all()
    assert db.session.scalar(sa.select(sa.func.count(Verification.id))) == 1
