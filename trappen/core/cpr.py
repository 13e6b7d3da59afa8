"""CPR numbers: validation, the synthetic form, encryption at rest and the keyed look-up hash.

A synthetic number has the day of month + 60 (the form of a replacement number, never an issued
CPR number). Outside production only synthetic numbers are accepted, so no real person's number
can enter a demo or test database.
"""

from __future__ import annotations

import base64
import datetime
import hashlib
import hmac
import re
from dataclasses import dataclass
from functools import lru_cache

from cryptography.fernet import Fernet, MultiFernet
from django.conf import settings
from django.core.exceptions import ValidationError
from stdnum.dk import cpr as stdnum_cpr
from stdnum.exceptions import ValidationError as StdnumError

SYNTHETIC_DAY_OFFSET = 60
# Ten digits, optionally split 6-4 by a dash (or en dash) or space; not part of a longer number.
CPR_PATTERN = re.compile(r"(?<!\d)(\d{6})[-\u2013 ]?(\d{4})(?!\d)")
# Exactly ten ASCII digits (str.isdigit() also accepts e.g. superscripts, which int() refuses).
TEN_DIGITS = re.compile(r"[0-9]{10}")


@dataclass(frozen=True)
class CprNumber:
    digits: str
    birth_date: datetime.date
    synthetic: bool

    def __str__(self) -> str:  # never print the number itself by accident
        return "CPR-nummer"


def _compact(value: str) -> str:
    return re.sub(r"[\s-]", "", value or "")


def parse(value: str, *, allow_real: bool | None = None) -> CprNumber:
    """Validate a CPR number and return its parts; raise a Danish ValidationError if invalid."""
    digits = _compact(value)
    if not TEN_DIGITS.fullmatch(digits):
        raise ValidationError("CPR-nummeret skal have 10 cifre, fx 010190-1234.", code="cpr_format")
    day = int(digits[:2])
    synthetic = day > SYNTHETIC_DAY_OFFSET
    real_form = f"{day - SYNTHETIC_DAY_OFFSET:02d}{digits[2:]}" if synthetic else digits
    try:
        stdnum_cpr.validate(real_form)
        birth_date = stdnum_cpr.get_birth_date(real_form)
    except StdnumError as exc:
        raise ValidationError(
            "CPR-nummeret indeholder ikke en gyldig fødselsdato.", code="cpr_date"
        ) from exc
    if allow_real is None:
        allow_real = settings.TRAPPEN_ALLOW_REAL_CPR
    if not synthetic and not allow_real:
        raise ValidationError(
            "Her må kun bruges fiktive CPR-numre (dag i måneden + 60, fx 610190-1234).",
            code="cpr_not_synthetic",
        )
    return CprNumber(digits=digits, birth_date=birth_date, synthetic=synthetic)


def synthetic_number(birth_date: datetime.date, serial: int) -> str:
    """A synthetic CPR number for a birth date, distinct for each `serial` below
    `synthetic_capacity(birth_date.year)` (4,000-6,000 for years 1900-2036; larger serials
    repeat the numbers of smaller ones).

    The 7th digit encodes the century the way real numbers do, so the birth date parses back;
    `serial` chooses among the 7th digits valid for the year and the last three digits.
    """
    if serial < 0:
        raise ValueError("serial must not be negative")
    sevenths = _seventh_digits(birth_date.year)
    if not sevenths:
        raise ValueError("CPR numbers encode birth years 1858-2057 only")
    first = sevenths[(serial // 1000) % len(sevenths)]
    day = birth_date.day + SYNTHETIC_DAY_OFFSET
    return f"{day:02d}{birth_date.month:02d}{birth_date.year % 100:02d}{first}{serial % 1000:03d}"


def synthetic_capacity(year: int) -> int:
    """How many distinct synthetic numbers `synthetic_number` makes for one birth date."""
    return 1000 * len(_seventh_digits(year))


@lru_cache(maxsize=256)
def _seventh_digits(year: int) -> str:
    """The 7th digits that decode to `year` (by python-stdnum's century rule)."""
    yy = year % 100
    return "".join(
        d for d in "0123456789" if stdnum_cpr.get_birth_date(f"0101{yy:02d}{d}000").year == year
    )


def redact(text: str) -> str:
    """Replace anything that looks like a CPR number with a placeholder."""
    return CPR_PATTERN.sub("[CPR]", text)


@lru_cache(maxsize=4)
def _fernet(keys: tuple[str, ...]) -> MultiFernet:
    return MultiFernet([Fernet(_as_fernet_key(k)) for k in keys])


def _as_fernet_key(key: str) -> bytes:
    try:
        if len(base64.urlsafe_b64decode(key.encode())) == 32:
            return key.encode()
    except ValueError:
        pass
    # Accept any secret string by deriving a 32-byte key from it.
    return base64.urlsafe_b64encode(hashlib.sha256(key.encode()).digest())


def encrypt(digits: str) -> bytes:
    return _fernet(tuple(settings.TRAPPEN_FIELD_KEYS)).encrypt(digits.encode())


def decrypt(token: bytes) -> str:
    return _fernet(tuple(settings.TRAPPEN_FIELD_KEYS)).decrypt(token).decode()


def lookup_hash(digits: str) -> str:
    """A keyed hash (HMAC-SHA256) of the compact number, for search without decryption."""
    key = settings.TRAPPEN_LOOKUP_KEY.encode()
    return hmac.new(key, _compact(digits).encode(), hashlib.sha256).hexdigest()
