"""CPR numbers (trappen/core/cpr.py): parsing, the synthetic form, encryption, look-up, redaction.

Only synthetic numbers (day of month + 60) appear here, except where a test checks that a
number of the real form is refused; those use 1 January 1990, which says nothing about anyone.
"""

import datetime as dt

import pytest
from cryptography.fernet import Fernet
from django.conf import settings as django_settings
from django.core.exceptions import ValidationError
from django.test import override_settings
from hypothesis import given, settings
from hypothesis import strategies as st

from trappen.core import cpr

D = dt.date
PROPERTY = settings(deadline=None, max_examples=200)
TODAY = dt.date.today()  # noqa: DTZ011  stdnum compares birth dates with the local date


def _error(value: str, **kwargs) -> ValidationError:
    with pytest.raises(ValidationError) as info:
        cpr.parse(value, **kwargs)
    return info.value


# --- parse ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "birth_date"),
    [
        ("610190-1234", D(1990, 1, 1)),  # 7th digit 1: 1900s
        ("6101901234", D(1990, 1, 1)),
        (" 610190 1234 ", D(1990, 1, 1)),
        ("880290-4123", D(1990, 2, 28)),  # 7th digit 4 and year >= 37: 1900s
        ("610115-4123", D(2015, 1, 1)),  # 7th digit 4 and year <= 36: 2000s
        ("610115-0123", D(1915, 1, 1)),  # 7th digit 0: 1900s
        ("610190-9123", D(1990, 1, 1)),  # 7th digit 9 and year >= 37: 1900s
        ("610120-9123", D(2020, 1, 1)),  # 7th digit 9 and year <= 36: 2000s
        ("910324-5000", D(2024, 3, 31)),  # 7th digit 5 and year < 58: 2000s
    ],
)
def test_synthetic_numbers_parse_with_birth_date_and_century(value, birth_date):
    number = cpr.parse(value)
    assert number.synthetic is True
    assert number.birth_date == birth_date
    assert number.digits == value.replace("-", "").replace(" ", "")


def test_a_leap_day_parses():
    assert cpr.parse("890224-4000").birth_date == D(2024, 2, 29)
    assert _error("890223-4000").code == "cpr_date"  # 29 February 2023 does not exist


def test_the_parsed_number_never_prints_its_digits():
    number = cpr.parse("610190-1234")
    assert "1234" not in str(number)
    assert str(number) == "CPR-nummer"


def test_a_real_form_number_is_refused_outside_production_in_danish():
    error = _error("010190-1234")
    assert error.code == "cpr_not_synthetic"
    assert error.messages == [
        "Her må kun bruges fiktive CPR-numre (dag i måneden + 60, fx 610190-1234)."
    ]


def test_a_real_form_number_is_accepted_with_allow_real():
    number = cpr.parse("010190-1234", allow_real=True)
    assert number.synthetic is False
    assert number.birth_date == D(1990, 1, 1)


@override_settings(TRAPPEN_ALLOW_REAL_CPR=True)
def test_production_setting_accepts_real_form_numbers():
    assert cpr.parse("010190-1234").synthetic is False


FORMAT = "CPR-nummeret skal have 10 cifre, fx 010190-1234."
DATE = "CPR-nummeret indeholder ikke en gyldig fødselsdato."


@pytest.mark.parametrize(
    ("value", "code", "message"),
    [
        ("", "cpr_format", FORMAT),
        ("abcdefghij", "cpr_format", FORMAT),
        ("61019O-1234", "cpr_format", FORMAT),  # letter O
        ("610190-123", "cpr_format", FORMAT),  # 9 digits
        ("610190-12345", "cpr_format", FORMAT),  # 11 digits
        ("610190/1234", "cpr_format", FORMAT),
        ("\u00b2" * 10, "cpr_format", FORMAT),  # superscript twos: isdigit() but not digits
        ("\u0666\u0661\u0660\u0661\u0669\u0660\u0661\u0662\u0663\u0664", "cpr_format", FORMAT),
        ("920190-1234", "cpr_date", DATE),  # day 92 - 60 = 32
        ("990190-1234", "cpr_date", DATE),
        ("611390-1234", "cpr_date", DATE),  # month 13
        ("610090-1234", "cpr_date", DATE),  # month 0
        ("910490-1234", "cpr_date", DATE),  # 31 April
        ("600190-1234", "cpr_date", DATE),  # day 60 is neither real nor synthetic
        ("000190-1234", "cpr_date", DATE),  # day 0
        ("610135-4123", "cpr_date", DATE),  # 1 January 2035: not born yet
    ],
)
def test_malformed_input_gets_a_danish_validation_error(value, code, message):
    error = _error(value)
    assert error.code == code
    assert error.messages == [message]


def test_a_future_birth_date_is_refused():
    tomorrow = TODAY + dt.timedelta(days=1)
    assert _error(cpr.synthetic_number(tomorrow, 1)).code == "cpr_date"


ANY_TEXT = st.one_of(
    st.text(max_size=30),
    st.text(alphabet="0123456789- \u00b2\u0660\u0661", max_size=14),
    st.from_regex(r"\A[0-9]{6}-?[0-9]{4}\Z"),
)


@PROPERTY
@given(value=ANY_TEXT)
def test_parse_only_ever_raises_validation_error(value):
    try:
        number = cpr.parse(value)
    except ValidationError as error:
        assert error.code in {"cpr_format", "cpr_date", "cpr_not_synthetic"}
        assert error.messages[0].startswith(("CPR-nummeret", "Her må kun"))
    else:
        assert number.synthetic
        assert len(number.digits) == 10


# --- synthetic numbers ------------------------------------------------------------------------

BIRTH_DATES = st.dates(min_value=D(1990, 1, 1), max_value=min(D(2026, 12, 31), TODAY))


@PROPERTY
@given(birth_date=BIRTH_DATES, serial=st.integers(min_value=0, max_value=9999))
def test_synthetic_numbers_parse_back_as_synthetic_with_the_same_birth_date(birth_date, serial):
    value = cpr.synthetic_number(birth_date, serial)
    assert len(value) == 10 and value.isascii() and value.isdigit()
    assert int(value[:2]) > 60  # the replacement-number form, never an issued number
    number = cpr.parse(value)
    assert number.synthetic is True
    assert number.birth_date == birth_date
    assert number.digits == value


@pytest.mark.parametrize("birth_date", [D(1915, 6, 1), D(1990, 1, 1), D(2015, 3, 4), D(2026, 1, 1)])
def test_distinct_serials_give_distinct_numbers(birth_date):
    capacity = cpr.synthetic_capacity(birth_date.year)
    assert capacity >= 4000
    numbers = {cpr.synthetic_number(birth_date, serial) for serial in range(capacity)}
    assert len(numbers) == capacity


def test_synthetic_number_refuses_a_negative_serial():
    with pytest.raises(ValueError):
        cpr.synthetic_number(D(1990, 1, 1), -1)


# --- encryption and look-up -------------------------------------------------------------------


@PROPERTY
@given(birth_date=BIRTH_DATES, serial=st.integers(min_value=0, max_value=9999))
def test_encryption_round_trips_and_hides_the_digits(birth_date, serial):
    digits = cpr.synthetic_number(birth_date, serial)
    token = cpr.encrypt(digits)
    assert isinstance(token, bytes)
    assert digits.encode() not in token
    assert digits[:6].encode() not in token
    assert cpr.decrypt(token) == digits


def test_encrypting_twice_gives_different_tokens():
    first, second = cpr.encrypt("6101901234"), cpr.encrypt("6101901234")
    assert first != second
    assert cpr.decrypt(first) == cpr.decrypt(second) == "6101901234"


def test_old_tokens_decrypt_after_key_rotation():
    token = cpr.encrypt("6101901234")
    new_key = Fernet.generate_key().decode()
    with override_settings(TRAPPEN_FIELD_KEYS=[new_key, *django_settings.TRAPPEN_FIELD_KEYS]):
        assert cpr.decrypt(token) == "6101901234"
        rotated = cpr.encrypt("6101901234")
    with override_settings(TRAPPEN_FIELD_KEYS=[new_key]):
        assert cpr.decrypt(rotated) == "6101901234"


def test_lookup_hash_is_stable_and_ignores_the_dash():
    first = cpr.lookup_hash("6101901234")
    assert first == cpr.lookup_hash("6101901234")
    assert first == cpr.lookup_hash("610190-1234")
    assert len(first) == 64 and set(first) <= set("0123456789abcdef")
    assert "6101901234" not in first


def test_lookup_hash_differs_for_different_numbers_and_keys():
    assert cpr.lookup_hash("6101901234") != cpr.lookup_hash("6101901235")
    base = cpr.lookup_hash("6101901234")
    with override_settings(TRAPPEN_LOOKUP_KEY="another-lookup-key"):
        assert cpr.lookup_hash("6101901234") != base


@PROPERTY
@given(a=st.integers(min_value=0, max_value=9999), b=st.integers(min_value=0, max_value=9999))
def test_lookup_hash_separates_serials(a, b):
    day = D(2012, 5, 17)
    x, y = cpr.synthetic_number(day, a), cpr.synthetic_number(day, b)
    assert (cpr.lookup_hash(x) == cpr.lookup_hash(y)) == (x == y)


# --- redaction --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("CPR 610190-1234 oplyst", "CPR [CPR] oplyst"),
        ("cpr:6101901234.", "cpr:[CPR]."),
        ("610190 1234", "[CPR]"),
        ("610190\u20131234 (tankestreg)", "[CPR] (tankestreg)"),
        ("to: 610190-1234 og 6203155678", "to: [CPR] og [CPR]"),
    ],
)
def test_redact_removes_cpr_like_numbers(text, expected):
    assert cpr.redact(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Ring til mor på 12345678 eller +45 12 34 56 78",
        "Født i 1990, underretning i 2024, sag 2024-0815",
        "Kontonummer 12345678901 (11 cifre)",
        "Postnummer 8000 og klokken 15:59",
    ],
)
def test_redact_leaves_other_numbers_alone(text):
    assert cpr.redact(text) == text


@PROPERTY
@given(
    before=st.text(alphabet="abc æøå.,:", max_size=20),
    after=st.text(alphabet="abc æøå.,:", max_size=20),
    birth_date=BIRTH_DATES,
    serial=st.integers(min_value=0, max_value=9999),
    dash=st.sampled_from(["", "-", " "]),
)
def test_redact_hides_any_embedded_number(before, after, birth_date, serial, dash):
    digits = cpr.synthetic_number(birth_date, serial)
    text = f"{before}{digits[:6]}{dash}{digits[6:]}{after}"
    redacted = cpr.redact(text)
    assert redacted == f"{before}[CPR]{after}"
