"""Pure rules of sessions: join codes, PINs and time windows."""
from datetime import datetime, timedelta, timezone
from itertools import cycle

import pytest

from app.sessions.codes import (
    ALPHABET,
    CODE_LENGTH,
    CodeError,
    format_code,
    generate_code,
    normalize_code,
)
from app.sessions.pins import (
    FREE_ATTEMPTS,
    LOCKOUT_MAX,
    PinError,
    check_pin_format,
    hash_pin,
    locked_until,
    lockout,
    parse_stored,
    verify_pin,
)
from app.sessions.windows import (
    MAX_DURATION,
    SETUP_LEAD,
    SYNC_GRACE,
    WindowError,
    WindowState,
    check_window,
    likely_zones,
    local_to_utc,
    takes_participants,
    takes_submissions,
    utc_to_local,
    window_state,
)

NOW = datetime(2026, 6, 13, 16, 0, tzinfo=timezone.utc)


# --- join codes ---------------------------------------------------------------------------
def test_alphabet_has_no_ambiguous_characters():
    assert not set("01ILOU") & set(ALPHABET)
    assert len(set(ALPHABET)) == len(ALPHABET) == 30


def test_generated_codes_use_the_alphabet_and_differ():
    codes = {generate_code() for _ in range(500)}
    assert len(codes) == 500
    assert all(len(c) == CODE_LENGTH and set(c) <= set(ALPHABET) for c in codes)


def test_generation_is_driven_by_the_choice_function():
    letters = cycle("AB2")
    assert generate_code(lambda alphabet: next(letters)) == "AB2AB2"
    with pytest.raises(ValueError):
        generate_code(length=3)


@pytest.mark.parametrize("typed", ["k7p2qx", "K7P-2QX", " k7p 2qx ", "K7P_2QX", "k7p.2qx"])
def test_typed_codes_are_normalized(typed):
    assert normalize_code(typed) == "K7P2QX"


@pytest.mark.parametrize("typed, message", [
    ("", "Type the code"),
    (None, "Type the code"),
    ("K7P2Q", "6 characters"),
    ("K7P2QXA", "6 characters"),
    ("K0P2QX", "no 0, 1, I, L, O or U"),
    ("KIP2QX", "'I'"),
    ("K7P2Q!", "'!'"),
])
def test_bad_codes_say_what_is_wrong(typed, message):
    with pytest.raises(CodeError, match=message):
        normalize_code(typed)


def test_codes_are_shown_in_two_groups():
    assert format_code("K7P2QX") == "K7P-2QX"


# --- PINs ---------------------------------------------------------------------------------
@pytest.mark.parametrize("pin", ["2580", "73914", "19283746"])
def test_good_pins_pass(pin):
    assert check_pin_format(pin) == pin


@pytest.mark.parametrize("pin, message", [
    ("", "digits"), ("12a4", "digits"), ("123", "4 to 8"), ("123456789", "4 to 8"),
    ("0000", "repeated"), ("1234", "run"), ("9876", "run"), ("٣٣٤٥", "digits"), (None, "digits"),
])
def test_weak_or_malformed_pins_are_refused(pin, message):
    with pytest.raises(PinError, match=message):
        check_pin_format(pin)


def test_pin_hash_round_trip_and_salt():
    stored = hash_pin("2580", iterations=1000)
    assert verify_pin("2580", stored)
    assert not verify_pin("2581", stored)
    assert not verify_pin("", stored)
    assert not verify_pin(2580, stored)
    assert not verify_pin("2" * 100, stored)
    assert hash_pin("2580", iterations=1000) != stored  # a fresh salt each time


def test_pin_hash_matches_pbkdf2_reference():
    # RFC 6070-style reference computed independently with hashlib for this salt.
    import hashlib
    salt = bytes(range(16))
    stored = hash_pin("2580", salt=salt, iterations=1000)
    verifier = parse_stored(stored)
    assert verifier.iterations == 1000 and verifier.salt == salt.hex()
    assert verifier.hash == hashlib.pbkdf2_hmac("sha256", b"2580", salt, 1000).hex()


def test_lockout_doubles_and_is_capped():
    assert [lockout(n) for n in range(FREE_ATTEMPTS)] == [None] * FREE_ATTEMPTS
    assert lockout(FREE_ATTEMPTS) == timedelta(seconds=30)
    assert lockout(FREE_ATTEMPTS + 1) == timedelta(seconds=60)
    assert lockout(FREE_ATTEMPTS + 40) == LOCKOUT_MAX
    assert locked_until(FREE_ATTEMPTS, NOW) == NOW + timedelta(seconds=30)
    assert locked_until(2, NOW) is None and locked_until(9, None) is None


# --- time windows ---------------------------------------------------------------------------
def test_window_states():
    start, end = NOW, NOW + timedelta(hours=2)
    assert window_state(start, end, NOW - timedelta(seconds=1)) is WindowState.UPCOMING
    assert window_state(start, end, NOW) is WindowState.OPEN
    assert window_state(start, end, end - timedelta(seconds=1)) is WindowState.OPEN
    assert window_state(start, end, end) is WindowState.ENDED


def test_naive_times_from_sqlite_are_read_as_utc():
    naive_start = NOW.replace(tzinfo=None)
    assert window_state(naive_start, naive_start + timedelta(hours=1), NOW) is WindowState.OPEN


def test_participants_from_setup_lead_until_end_and_submissions_with_grace():
    start, end = NOW, NOW + timedelta(hours=2)
    assert not takes_participants(start, end, start - SETUP_LEAD - timedelta(seconds=1))
    assert takes_participants(start, end, start - SETUP_LEAD)
    assert not takes_participants(start, end, end)
    assert takes_submissions(start, end, end + SYNC_GRACE - timedelta(seconds=1))
    assert not takes_submissions(start, end, end + SYNC_GRACE)


@pytest.mark.parametrize("start, end, message", [
    (NOW + timedelta(hours=1), NOW + timedelta(hours=1), "after the start"),
    (NOW + timedelta(hours=2), NOW + timedelta(hours=1), "after the start"),
    (NOW + timedelta(hours=1), NOW + timedelta(hours=1, minutes=5), "at least 10 minutes"),
    (NOW, NOW + MAX_DURATION + timedelta(minutes=1), "at most 12 hours"),
    (NOW - timedelta(hours=3), NOW - timedelta(hours=1), "already over"),
])
def test_bad_windows_are_refused(start, end, message):
    with pytest.raises(WindowError, match=message):
        check_window(start, end, NOW)


def test_window_that_started_but_has_not_ended_is_fine():
    check_window(NOW - timedelta(hours=1), NOW + timedelta(hours=1), NOW)


def test_local_times_at_the_place_become_utc():
    assert local_to_utc(datetime(2026, 6, 13, 10, 0), "America/Mexico_City") == NOW
    assert utc_to_local(NOW, "Europe/Berlin").hour == 18
    assert utc_to_local(NOW.replace(tzinfo=None), "UTC").hour == 16


def test_a_time_the_clocks_skip_is_refused():
    # Berlin skips 02:00-03:00 on 29 March 2026.
    with pytest.raises(WindowError, match="does not exist"):
        local_to_utc(datetime(2026, 3, 29, 2, 30), "Europe/Berlin")


@pytest.mark.parametrize("name", ["", "Mars/Olympus", "../etc/passwd", None, "x" * 100])
def test_unknown_time_zones_are_refused(name):
    with pytest.raises(WindowError):
        local_to_utc(datetime(2026, 6, 13, 10, 0), name)


def test_likely_zones_put_the_given_ones_first_then_their_country():
    zones = likely_zones(["America/Mexico_City", "Mars/Olympus", "Europe/Madrid", "America/Mexico_City"])
    assert zones[:2] == ["America/Mexico_City", "Europe/Madrid"]
    assert {"America/Cancun", "America/Tijuana", "America/Monterrey"} <= set(zones[2:])
    assert "Europe/Paris" not in zones and len(zones) == len(set(zones))
    assert likely_zones([]) == [] and likely_zones(["UTC"]) == ["UTC"]
