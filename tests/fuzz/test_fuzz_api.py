"""Every JSON API endpoint fed arbitrary JSON shapes, numbers, unicode and broken bodies.

Answers are always JSON, every refusal is a 4xx with "error", never a 5xx; a refusal leaves
the database exactly as it was, an acceptance stores exactly what it acknowledged.
"""
from __future__ import annotations

import pytest
import sqlalchemy as sa
from hypothesis import event, given
from hypothesis import strategies as st

from app.extensions import db
from app.models import (
    DEFAULT_CATEGORIES,
    SKIP_REASONS,
    Idea,
    PairwiseVote,
    QVAllocation,
    QVBallot,
    Voter,
)
from tests.conftest import PASSWORD, csrf_token
from tests.fuzz.conftest import (
    FUZZ_WARNINGS,
    TRICKY_TEXT,
    assert_json_answer,
    assert_refusal_left_database,
    changed_tables,
    counts,
    fuzz_text,
    has_nul,
    json_numbers,
    json_values,
    merged_slashes,
    mostly,
    mutated,
    number_text,
    path_segment,
    plain_text,
    raw_bodies,
    snapshot,
    typed,
    unmutated,
    words,
)

pytestmark = FUZZ_WARNINGS
VALID = "<the session's token>"
PAIR, OTHERS_PAIR, TAMPERED_PAIR = "<pair>", "<someone else's pair>", "<tampered pair>"
# Header values must be Latin-1 without line breaks to be sent at all.
header_junk = st.text(st.characters(max_codepoint=255, exclude_characters="\r\n"), max_size=120)
csrf_values = st.integers(0, 9).flatmap(
    lambda n: st.just(VALID) if n < 8 else st.none() if n == 8 else header_junk)
#: A body: JSON the client library writes, or raw bytes sent as JSON or as something else.
bodies = st.one_of(
    json_values.map(lambda v: ("json", v)),
    st.tuples(st.just("raw"), raw_bodies,
              st.sampled_from(["application/json", "text/plain", "application/x-www-form-urlencoded"])),
)
inside_lat = st.floats(19.4317, 19.4335)
inside_lng = st.floats(-99.1341, -99.1322)
good_titles = words(5, 120)


def send(client, method: str, path: str, body, csrf=VALID):
    """Send `body` (("json", value) or ("raw", bytes, content type)) with the CSRF header."""
    headers = {}
    if csrf == VALID:
        headers["X-CSRFToken"] = csrf_token(client)
    elif csrf is not None:
        headers["X-CSRFToken"] = csrf
    if body[0] == "json":
        return client.open(path, method=method, json=body[1], headers=headers)
    return client.open(path, method=method, data=body[1], content_type=body[2], headers=headers)


def idea_ids(space, visible_only: bool = True) -> list[int]:
    query = sa.select(Idea.id).where(Idea.space_id == space.id).order_by(Idea.id)
    if visible_only:
        query = query.where(Idea.status != "hidden")
    return list(db.session.scalars(query))


@pytest.fixture
def resident(make_user, login):
    user = make_user(email="rosa@example.org", display_name="Rosa")
    login(user)
    return user


# ---------------------------------------------------------------------------------------
# Ideas

idea_payloads = mostly(
    mutated(
        valid={"title": good_titles, "body": st.one_of(st.just(""), plain_text),
               "category": st.sampled_from(DEFAULT_CATEGORIES), "lat": inside_lat, "lng": inside_lng},
        fuzz={name: st.one_of(json_values, number_text) for name in ("title", "body", "category", "lat", "lng")},
    ).map(lambda form: ("json", form)),
    bodies,
)


@given(body=idea_payloads, csrf=csrf_values)
def test_post_idea(client, crowded_space, resident, valid_examples, body, csrf):
    before = snapshot()
    response = send(client, "POST", "/api/spaces/zocalo/ideas", body, csrf)
    answer = assert_json_answer(response)
    event(f"HTTP {response.status_code}")
    assert response.status_code in (201, 400, 422)
    if unmutated(body[1]) and csrf == VALID:
        valid_examples.check(response, 201)
    assert_refusal_left_database(response, before)
    if response.status_code == 422 and "fields" in answer:
        assert answer["fields"] and all(isinstance(m, str) for m in answer["fields"].values())
    if response.status_code == 201:
        sent = body[1]
        assert counts(snapshot())["ideas"] == counts(before)["ideas"] + 1
        idea = db.session.get(Idea, answer["id"])
        assert idea.title == answer["title"] and idea.title in typed(str(sent["title"]))
        assert idea.category == sent["category"] and idea.author_id == resident.id
        assert (idea.lat, idea.lng) == (float(str(sent["lat"])), float(str(sent["lng"])))
        assert answer["url"] == f"/spaces/zocalo/ideas/{idea.id}"


@given(query=st.fixed_dictionaries({}, optional={"q": fuzz_text, "body": fuzz_text}))
def test_similar(client, crowded_space, query):
    before = snapshot()
    response = client.get("/api/spaces/zocalo/similar", query_string=query)
    answer = assert_json_answer(response)
    if response.status_code == 400:  # a NUL character may be refused at the door
        assert any("\x00" in value for value in query.values())
        return
    assert response.status_code == 200 and len(answer["ideas"]) <= 3
    assert {i["id"] for i in answer["ideas"]} <= set(idea_ids(crowded_space))
    assert not changed_tables(before, snapshot())


@given(data=st.data(), slug=mostly(st.just("zocalo"), fuzz_text))
def test_get_idea(client, crowded_space, data, slug):
    idea_id = data.draw(st.one_of(st.sampled_from(idea_ids(crowded_space, visible_only=False)),
                                  st.integers(min_value=0, max_value=10**30)), label="idea_id")
    before = snapshot()
    response = client.get(f"/api/spaces/{path_segment(slug)}/ideas/{idea_id}")
    event(f"HTTP {response.status_code}")
    if merged_slashes(response):
        return
    answer = assert_json_answer(response)
    visible = slug == "zocalo" and idea_id in idea_ids(crowded_space)
    assert response.status_code == (200 if visible else 400 if has_nul(slug) else 404)
    if visible:
        assert answer["id"] == idea_id and answer["space"] == "zocalo"
    assert not changed_tables(before, snapshot())


@given(method=st.one_of(st.sampled_from(["pairwise", "quadratic"]), fuzz_text))
def test_ranking(client, crowded_space, method):
    before = snapshot()
    response = client.get("/api/spaces/zocalo/ranking", query_string={"method": method})
    answer = assert_json_answer(response)
    refusal = 400 if "\x00" in method else 422  # a NUL character may be refused at the door
    assert response.status_code in ((200,) if method in ("pairwise", "quadratic") else (refusal, 422))
    if response.status_code == 200:
        assert answer["method"] == method and len(answer["ideas"]) == 12
    assert not changed_tables(before, snapshot())


# ---------------------------------------------------------------------------------------
# Pairwise voting


@given(data=st.data())
def test_pair(client, app, crowded_space, data):
    """`pending` takes any text; a real pending pair of this voter is not offered again."""
    own = client.get("/api/spaces/zocalo/pair").get_json()["pair_id"]
    stranger = app.test_client().get("/api/spaces/zocalo/pair").get_json()["pair_id"]
    pending = data.draw(st.lists(st.one_of(fuzz_text, st.sampled_from([own, stranger, own[:-3]])),
                                 max_size=7), label="pending")
    before = snapshot()
    response = client.get("/api/spaces/zocalo/pair", query_string={"pending": pending})
    answer = assert_json_answer(response)
    if has_nul(pending):  # refused at the door
        assert response.status_code == 400
        return
    assert response.status_code == 200
    assert answer["left"]["id"] != answer["right"]["id"]
    assert {answer["left"]["id"], answer["right"]["id"]} <= set(idea_ids(crowded_space))
    if own in pending[:5]:
        shown = client.get("/api/spaces/zocalo/pair", query_string={"pending": [own]}).get_json()
        assert answer["pair_id"] != own and shown["pair_id"] != own
    assert not changed_tables(before, snapshot())  # the voter was created by the first request


vote_payloads = mostly(
    mutated(
        valid={"pair_id": st.just(PAIR), "choice": st.sampled_from(["left", "right", "tie", "skip"])},
        fuzz={"pair_id": st.one_of(st.sampled_from([OTHERS_PAIR, TAMPERED_PAIR]), json_values),
              "choice": st.one_of(st.sampled_from(["LEFT", "left ", "skip"]), json_values),
              "reason": st.one_of(st.sampled_from(SKIP_REASONS), json_values)},
    ).map(lambda form: ("json", form)),
    bodies,
)


def with_pairs(body, own: str, others: str):
    """Put real pair ids where the strategy left placeholders."""
    if body[0] != "json" or not isinstance(body[1], dict):
        return body
    real = {PAIR: own, OTHERS_PAIR: others, TAMPERED_PAIR: own[:-2] + ("AA" if own[-2:] != "AA" else "BB")}
    return ("json", {k: real.get(v, v) if isinstance(v, str) else v for k, v in body[1].items()})


@given(body=vote_payloads, logged_in=st.booleans(), replay=st.booleans(), csrf=csrf_values)
def test_pairwise_vote(app, crowded_space, make_user, body, logged_in, replay, csrf):
    voter = app.test_client()  # one voter per example: each has 66 pairs to answer
    if logged_in:
        user = make_user()
        token = csrf_token(voter)
        voter.post("/auth/login", data={"email": user.email, "password": PASSWORD,
                                        "csrf_token": token})
    pair = voter.get("/api/spaces/zocalo/pair").get_json()
    others = app.test_client().get("/api/spaces/zocalo/pair").get_json()["pair_id"]
    body = with_pairs(body, pair["pair_id"], others)
    before = snapshot()
    response = send(voter, "POST", "/api/spaces/zocalo/pairwise-votes", body, csrf)
    answer = assert_json_answer(response)
    event(f"HTTP {response.status_code}")
    assert response.status_code in (201, 400, 403, 409, 422)
    assert_refusal_left_database(response, before)
    if response.status_code != 201:
        return
    sent = body[1]
    vote = db.session.get(PairwiseVote, answer["id"])
    assert counts(snapshot())["pairwise_votes"] == counts(before)["pairwise_votes"] + 1
    assert (vote.choice, vote.skip_reason) == (sent["choice"], sent.get("reason"))
    assert (vote.left_idea_id, vote.right_idea_id) == (pair["left"]["id"], pair["right"]["id"])
    assert answer["your_votes"] == 1
    if replay:  # the same pair id again: the original vote, never counted twice
        again = send(voter, "POST", "/api/spaces/zocalo/pairwise-votes", body)
        assert again.status_code == 200 and again.get_json()["id"] == vote.id
        assert db.session.scalar(sa.select(sa.func.count()).select_from(PairwiseVote)
                                 .where(PairwiseVote.pair_key == vote.pair_key)) == 1


# ---------------------------------------------------------------------------------------
# Quadratic ballots


def stored_ballot(user_id: int) -> dict[int, int]:
    voter = db.session.scalar(sa.select(Voter.id).where(Voter.user_id == user_id))
    rows = db.session.execute(
        sa.select(QVAllocation.idea_id, QVAllocation.votes).join(QVBallot)
        .where(QVBallot.voter_id == voter)).all()
    return dict(rows)


@given(data=st.data(), csrf=csrf_values)
def test_qv_ballot(client, crowded_space, resident, data, csrf):
    ids = [str(i) for i in idea_ids(crowded_space, visible_only=False)]
    keys = st.one_of(st.sampled_from(ids), st.sampled_from(ids), number_text, st.sampled_from(TRICKY_TEXT))
    votes = st.one_of(st.integers(-11, 11), st.integers(0, 5), json_numbers, json_values)
    allocations = st.one_of(st.dictionaries(keys, votes, max_size=6), json_values)
    body = data.draw(mostly(st.fixed_dictionaries({"allocations": allocations}).map(lambda v: ("json", v)),
                            bodies), label="body")
    before, ballot_before = snapshot(), stored_ballot(resident.id)
    response = send(client, "PUT", "/api/spaces/zocalo/qv-ballot", body, csrf)
    answer = assert_json_answer(response)
    event(f"HTTP {response.status_code}")
    assert response.status_code in (200, 400, 422)
    assert_refusal_left_database(response, before)
    if response.status_code != 200:
        assert stored_ballot(resident.id) == ballot_before
        return
    sent = {int(k): v for k, v in body[1]["allocations"].items() if v != 0}
    assert stored_ballot(resident.id) == sent
    assert answer["allocations"] == {str(k): v for k, v in sent.items()}
    assert answer["credits_used"] == sum(v * v for v in sent.values()) <= answer["budget"] == 100
    assert client.get("/api/spaces/zocalo/qv-ballot").get_json() == answer


# ---------------------------------------------------------------------------------------
# Any endpoint, any space address

ENDPOINTS = [("GET", "/api/spaces/{}/ideas.geojson"), ("GET", "/api/spaces/{}/ideas/1"),
             ("POST", "/api/spaces/{}/ideas"), ("GET", "/api/spaces/{}/similar?q=trees"),
             ("GET", "/api/spaces/{}/pair"), ("POST", "/api/spaces/{}/pairwise-votes"),
             ("GET", "/api/spaces/{}/qv-ballot"), ("PUT", "/api/spaces/{}/qv-ballot"),
             ("GET", "/api/spaces/{}/ranking")]


@given(endpoint=st.sampled_from(ENDPOINTS), slug=fuzz_text.filter(lambda s: s != "zocalo"), body=bodies,
       csrf=csrf_values)
def test_unknown_space(client, crowded_space, resident, endpoint, slug, body, csrf):
    method, template = endpoint
    path = template.format(path_segment(slug))
    before = snapshot()
    if method == "GET":
        response = client.get(path)
    else:
        response = send(client, method, path, body, csrf)
    event(f"{method} HTTP {response.status_code}")
    if merged_slashes(response):
        return
    assert_json_answer(response)
    assert response.status_code in (400, 404, 405)
    assert not changed_tables(before, snapshot())


# ---------------------------------------------------------------------------------------
# Regressions: the smallest failing examples the fuzzer found, kept as plain tests.


def test_deeply_nested_json_is_a_400(client, crowded_space, resident):
    """Regression: json.loads raises RecursionError (not ValueError) past ~1000 levels, a 500."""
    before = snapshot()
    response = send(client, "PUT", "/api/spaces/zocalo/qv-ballot", ("raw", b"[" * 5000, "application/json"))
    assert response.status_code == 400 and "error" in response.get_json()
    assert not changed_tables(before, snapshot())


@pytest.mark.parametrize("path", ["/api/spaces/zo%00calo/ranking", "/api/spaces/zocalo/ideas/2147483648",
                                  "/api/spaces/zocalo/ideas/9223372036854775808"])
def test_odd_addresses_are_refused_as_json(client, crowded_space, path):
    """Regression: on PostgreSQL a NUL in the slug (DataError) and an id past INTEGER were 500s."""
    response = client.get(path)
    assert response.status_code in (400, 404) and "error" in response.get_json()


def test_nul_character_in_json_text_is_refused(client, crowded_space, resident):
    """Regression: PostgreSQL refuses NUL in text, which was a 500 after the form had passed.
    Both databases refuse it at the door, so SQLite does not store what PostgreSQL cannot."""
    before = snapshot()
    body = {"title": "Shade\x00trees", "body": "", "category": "greenery", "lat": 19.4326, "lng": -99.1332}
    response = send(client, "POST", "/api/spaces/zocalo/ideas", ("json", body))
    assert response.status_code == 400
    assert response.get_json() == {"error": "Text cannot contain NUL characters."}
    assert not changed_tables(before, snapshot())


def test_refused_ballot_leaves_no_voter(client, crowded_space, resident):
    """On SQLite the voter made in a SAVEPOINT was committed although the ballot was refused."""
    before = snapshot()
    response = send(client, "PUT", "/api/spaces/zocalo/qv-ballot", ("json", {"allocations": {"1": 99}}))
    assert response.status_code == 422
    assert not changed_tables(before, snapshot())
