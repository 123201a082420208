"""Fuzzing every form and API endpoint: profiles, input strategies, and the database checks.

Hypothesis runs many examples inside one test function, so they share that test's app,
database and client: each example compares the whole database before and after its request,
and refused requests (4xx) must leave it exactly as it was.

Profiles: "ci" (the default, 25 derandomized examples per test so CI is fast and
repeatable) and "deep" (500 random examples each, failures kept in .hypothesis/, which
hypothesis gitignores itself): `HYPOTHESIS_PROFILE=deep .venv/bin/pytest tests/fuzz`.
"""
from __future__ import annotations

import functools
import math
import operator
import os
from urllib.parse import quote, unquote, urlsplit

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, event, settings
from hypothesis import strategies as st
from werkzeug.security import generate_password_hash

from app import jobs
from app.extensions import db
from app.models import DEFAULT_CATEGORIES
from app.sessions.pins import hash_pin

# Shared fixtures (app, client) run once per test, not per example: that is intended here.
FIXTURE_CHECKS = [HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                  HealthCheck.data_too_large]
settings.register_profile("ci", max_examples=25, deadline=None, derandomize=True, database=None,
                          suppress_health_check=FIXTURE_CHECKS, print_blob=True)
settings.register_profile("deep", max_examples=500, deadline=None,
                          suppress_health_check=FIXTURE_CHECKS, print_blob=True)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))
# Reporting a failing example of 10,000 characters warns; under `filterwarnings = error` that
# warning would replace the failure it reports.
FUZZ_WARNINGS = pytest.mark.filterwarnings("ignore:Generating overly large repr")


@pytest.fixture
def app_config(app_config):
    # No background refits (their threads would outlive an example); a fixed pair seed.
    # Abuse limits stay off as in every test: one fuzz test sends hundreds of requests.
    return {**app_config, "PLAZA_REFIT_EVERY_VOTES": 10**9, "PLAZA_REFIT_EVERY_SECONDS": 10**9,
            "PLAZA_PAIR_SEED": 1234, "RATELIMIT_ENABLED": False}


@pytest.fixture
def crowded_space(make_space):
    """The Zócalo, voting, with 12 votable ideas (66 pairs: a fresh voter per example never
    runs out) and one idea hidden by staff, which no answer may show."""
    ideas = [{"title": f"Idea number {n}", "category": DEFAULT_CATEGORIES[n % 9]} for n in range(12)]
    hidden = {"title": "Hidden by staff", "status": "hidden"}
    return make_space(slug="zocalo", name="Zócalo", ideas=[*ideas, hidden])


@pytest.fixture
def workshop_space(make_space):
    """Alameda Central, voting without moderation, with six ideas (15 pairs) in six categories:
    the space of the fuzzed sessions."""
    return make_space(slug="alameda", name="Alameda Central", ideas=[
        {"title": f"Idea number {n}", "category": DEFAULT_CATEGORIES[n]} for n in range(6)])


@pytest.fixture(autouse=True)
def cheap_password_hashes(monkeypatch):
    """scrypt takes ~0.3 s per hash here, a kiosk PIN ~0.1 s; fuzz tests hash hundreds of times."""
    monkeypatch.setattr("app.models.user.generate_password_hash",
                        functools.partial(generate_password_hash, method="pbkdf2:sha256:1000"))
    monkeypatch.setattr("app.sessions.service.hash_pin", functools.partial(hash_pin, iterations=1000))


# ---------------------------------------------------------------------------------------
# Strategies

#: Inputs people and scripts really send that parsers trip over.
TRICKY_TEXT = [
    "", " ", "\x00", "a\x00b", "\r\n", "\t", "\u200b", "\ufeff", "\u202e", "nan", "NaN", "inf",
    "-Infinity", "1e999", "-1e999", "1e-999", "-0", "0x10", "1_000", "19,43", "١٩٫٤٣", "９",
    "' OR 1=1 --", "<script>alert(1)</script>", "{{ 7*7 }}", "%s%n", "../../etc/passwd",
    "//evil.example", "/\\evil.example", "https://evil.example/", "Zócalo", "🌳" * 40,
    "[" * 50, "{}", "null", "true",
]

#: Any unicode but surrogates (they cannot be encoded in UTF-8), control characters included.
short_text = st.text(max_size=40)
long_text = st.builds(operator.mul, st.text(min_size=1, max_size=4), st.integers(50, 3000))
fuzz_text = st.one_of(short_text, short_text, long_text, st.sampled_from(TRICKY_TEXT))

#: Text a valid form may hold: any unicode but NUL, which is refused at the door (a 400).
plain_text = st.text(st.characters(codec="utf-8", exclude_categories=["Cs"], exclude_characters="\x00"),
                     max_size=40)


def words(min_size: int, max_size: int) -> st.SearchStrategy[str]:
    """A title or a name that passes its form as typed: no NUL, nothing that stripping removes,
    so its length is what the form counts."""
    return st.text(st.characters(codec="utf-8", exclude_categories=["Cs", "Cc", "Zs", "Zl", "Zp"]),
                   min_size=min_size, max_size=max_size)

#: Numbers as a form field carries them: floats (nan/inf too), huge ints, odd spellings.
number_text = st.one_of(
    st.floats().map(repr),
    st.floats(min_value=-200, max_value=200).map(str),
    st.integers(min_value=-(10**40), max_value=10**40).map(str),
    st.integers(min_value=-(2**63) - 1, max_value=2**63).map(str),
    # Past a float's range (about 1e308): WTForms' NumberRange once raised OverflowError.
    st.integers(min_value=10**308, max_value=10**420).map(str),
    st.sampled_from(["nan", "inf", "-inf", "Infinity", "1e309", "-1e309", "1e-400", "1" * 5000,
                     "9" * 30, "9" * 400, "-" + "9" * 400, " 19.43 ", "19.43.1", "0x13", "1_9", "٣", "", " "]),
    fuzz_text,
)

#: Numbers as JSON carries them (Flask reads NaN and Infinity, so they are sent too).
json_numbers = st.one_of(st.integers(min_value=-(2**70), max_value=2**70), st.floats(),
                         st.sampled_from([10**30, -(10**30), 2**63, 2**63 - 1, 2**31]))
json_scalars = st.one_of(st.none(), st.booleans(), json_numbers, fuzz_text)
json_values = st.recursive(
    json_scalars,
    lambda children: st.one_of(st.lists(children, max_size=4),
                               st.dictionaries(short_text, children, max_size=4)),
    max_leaves=12,
)

#: Bodies that are not JSON a client library would write: parsers must refuse them cleanly.
raw_bodies = st.one_of(
    st.binary(max_size=200),
    fuzz_text.map(lambda s: s.encode("utf-8")),
    st.integers(1, 5000).map(lambda n: b"[" * n),
    st.integers(1, 5000).map(lambda n: b'{"a":' * n),
    st.just(b'{"lat": 1' + b"0" * 5000 + b"}"),
    st.just(b"\xff\xfe{\x00}"),
)


def path_segment(text: str) -> str:
    """Text as one URL path segment, every reserved character escaped."""
    return quote(text, safe="")


# ---------------------------------------------------------------------------------------
# Checks


#: What the jobs derive from the votes and ballots: a read may bring them up to date.
DERIVED_TABLES = {"stored_fits", "stored_standings"}


def snapshot() -> dict[str, list]:
    """Every row of every table, read on a connection of its own so only committed data counts
    (once the jobs an earlier example started have finished: they write notices of their own)."""
    jobs.wait()
    with db.engine.connect() as connection:
        return {
            table.name: [tuple(row) for row in connection.execute(
                sa.select(table).order_by(*table.primary_key.columns))]
            for table in db.metadata.sorted_tables if table.name not in DERIVED_TABLES
        }


def counts(state: dict[str, list]) -> dict[str, int]:
    return {name: len(rows) for name, rows in state.items()}


def changed_tables(before: dict[str, list], after: dict[str, list]) -> list[str]:
    return [name for name in before if before[name] != after[name]]


def assert_no_server_error(response) -> None:
    """Never a 5xx, whatever was sent."""
    assert response.status_code < 500, response.get_data(as_text=True)[:2000]


def assert_refusal_left_database(response, before: dict[str, list]) -> None:
    """A 4xx answer must leave every table exactly as it was."""
    if 400 <= response.status_code < 500:
        after = snapshot()
        assert not changed_tables(before, after), (
            f"{response.status_code} refusal changed {changed_tables(before, after)}")


def assert_json_answer(response) -> dict | list:
    """API answers are JSON, and every refusal says why in "error"."""
    assert_no_server_error(response)
    assert response.is_json, (response.status_code, response.get_data(as_text=True)[:500])
    body = response.get_json()
    if response.status_code >= 400:
        assert isinstance(body, dict) and isinstance(body.get("error"), str) and body["error"]
    return body


def assert_local_redirect(response) -> None:
    """A redirect never leaves Plaza, whatever `next` said."""
    if 300 <= response.status_code < 400:
        target = urlsplit(response.headers["Location"])
        assert target.netloc in ("", "localhost") and not target.path.startswith("//"), target


def is_finite_number(text: str) -> bool:
    try:
        return math.isfinite(float(text))
    except (TypeError, ValueError):
        return False


class Form(dict):
    """A drawn form that remembers which fields were fuzzed or left out (`changes`)."""

    changes: tuple[str, ...] = ()


def unmutated(form: object) -> bool:
    """Whether `form` is a valid form exactly as drawn: such an example must be accepted."""
    return isinstance(form, Form) and not form.changes


@st.composite
def mutated(draw, valid: dict | st.SearchStrategy[dict], fuzz: dict, max_changes: int = 3) -> Form:
    """A form valid but for up to `max_changes` fields, each fuzzed or left out.

    Mostly-valid forms reach the deep checks (and sometimes the database) that a form of
    random text would never pass; the examples with no change at all must be accepted
    (`unmutated`). `valid` is a strategy per field, or one strategy of whole valid forms
    when fields depend on each other.
    """
    form = Form(draw(valid if isinstance(valid, st.SearchStrategy) else st.fixed_dictionaries(valid)))
    names = draw(st.lists(st.sampled_from(sorted(fuzz)), max_size=max_changes, unique=True))
    for name in names:
        value = draw(st.one_of(st.none(), fuzz[name]), label=name)
        if value is None:
            form.pop(name, None)
        else:
            form[name] = value
    form.changes = tuple(names)
    return form


class Acceptances:
    """The valid examples of one fuzz test, each checked to be accepted."""

    def __init__(self) -> None:
        self.checked = 0

    def check(self, response, status: int) -> None:
        """A valid request must get `status`: a test that only checks refusals stays green
        with the action switched off."""
        self.checked += 1
        event("valid example")
        assert response.status_code == status, (
            f"a valid request got {response.status_code}, not {status}: "
            f"{response.get_data(as_text=True)[:2000]}")


@pytest.fixture
def valid_examples():
    """Check acceptance of valid examples; a test that drew none of them fails."""
    acceptances = Acceptances()
    yield acceptances
    assert acceptances.checked, "no valid example was drawn, so acceptance was never checked"


def mostly(strategy, other, share: float = 0.75):
    """`strategy` about `share` of the time, else `other`; one_of would weigh them equally."""
    return st.integers(0, 99).flatmap(lambda n: strategy if n < share * 100 else other)


def typed(value: str) -> set[str]:
    """What a text field may store for `value`: trimmed, with or without its NUL characters
    (which PostgreSQL cannot store, so the app may drop them)."""
    return {value.strip(), value.replace("\x00", "").strip()}


def has_nul(value) -> bool:
    """Whether a NUL character hides anywhere in `value` (text, bytes, lists, dicts)."""
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, bytes):
        return b"\x00" in value or b"\\u0000" in value.lower()
    if isinstance(value, dict):
        return any(has_nul(k) or has_nul(v) for k, v in value.items())
    if isinstance(value, (list, tuple)):
        return any(has_nul(v) for v in value)
    return False


def merged_slashes(response) -> bool:
    """werkzeug answers a path with "//" (after decoding) with a 308 to the merged path."""
    return response.status_code == 308 and "//" in unquote(response.request.path)
