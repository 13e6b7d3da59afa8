"""Strip what identifies a person from free text before it is stored (anonymous consultations).

`clean(text, known_names=...)` replaces every CPR number, phone number, e-mail address, street
address, postcode with town, and known name with "[fjernet]", and says in Danish what it removed
(one finding per removal). The rules are regular expressions, deliberately simple and
predictable, so a professional can see why a word went:

- **CPR numbers**: six digits (optionally written in pairs with "." or "-" or a space) and four
  digits, with or without a dash or space between, also inside a longer number; any run of ten
  or more digits counts too. No
  modulus-11 check: numbers issued since 2007 need not pass it, and synthetic numbers (day + 60)
  must go as well.
- **Phone numbers**: eight digits, optionally after +45 or 0045, written together, in pairs or
  in fours (two four-digit years such as "2023 2024" are left alone).
- **E-mail addresses**.
- **Street addresses**: a word ending in a street suffix (vej, gade, allé, stræde, plads, ...;
  at least two letters before it, so "alle 3" stays) followed by a house number; and a
  four-digit postcode followed by a capitalised town name ("7700 Thisted").
- **Names**: a capitalised word (or hyphenated part, or with a genitive -s) that is a first or
  last name of a child of the unit (`known_names`) or one of Faker's common Danish first names.

`clean` repeats until the text no longer changes, so `clean(clean(x).text).text ==
clean(x).text`.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from faker.providers.person.da_DK import Provider as _DanishNames

REMOVED = "[fjernet]"

CPR, NAME, ADDRESS, PHONE, EMAIL = (
    "et CPR-nummer",
    "et navn",
    "en adresse",
    "et telefonnummer",
    "en e-mailadresse",
)
PLURALS = {
    CPR: "CPR-numre",
    NAME: "navne",
    ADDRESS: "adresser",
    PHONE: "telefonnumre",
    EMAIL: "e-mailadresser",
}

COMMON_FIRST_NAMES = frozenset(
    name.casefold() for name in (*_DanishNames.first_names_male, *_DanishNames.first_names_female)
)

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# DDMMYY-XXXX, also DD.MM.YY-XXXX and DD MM YY XXXX (the separators between the pairs agree),
# wherever it stands, also glued to other digits.
_CPR = re.compile(r"\d{2}([.\- ]?)\d{2}\1\d{2}[\-\u2013\u2014 ]?\d{4}")
_LONG_NUMBER = re.compile(r"\d{10,}")
_PHONE_PREFIXED = re.compile(
    r"(?:\+|(?<!\d)00)45[\s-]?(?:\d{2}[ -]?\d{2}[ -]?\d{2}[ -]?\d{2}|\d{4}[ -]?\d{4})(?!\d)"
)
_PHONE = re.compile(
    r"(?<!\d)(?!(?:19|20)\d\d[ -](?:19|20)\d\d(?!\d))"
    r"(?:\d{2}[ -]?\d{2}[ -]?\d{2}[ -]?\d{2}|\d{4}[ -]?\d{4})(?!\d)"
)
STREET_SUFFIXES = (
    "vej",
    "vejen",
    "gade",
    "gaden",
    "allé",
    "alle",
    "alléen",
    "stræde",
    "plads",
    "pladsen",
    "vænge",
    "vænget",
    "park",
    "parken",
    "bakke",
    "bakken",
    "have",
    "haven",
    "toft",
    "toften",
    "vang",
    "vangen",
    "engen",
    "højen",
    "løkke",
    "stien",
    "torv",
    "torvet",
    "boulevard",
    "kvarter",
    "kvarteret",
)
_SUFFIXES = "|".join(sorted(STREET_SUFFIXES, key=len, reverse=True))
_STREET = re.compile(
    rf"\b[^\W\d_]{{2,}}(?:{_SUFFIXES})\s+\d{{1,4}}(?:[A-Za-z]\b)?"
    r"(?:,?\s*\d{1,2}\.?\s*(?:th|tv|mf|sal)\b\.?)?",
    re.IGNORECASE,
)
_POSTCODE = re.compile(
    r"(?<![\d-])(?:DK-)?[1-9]\d{3}\s+[A-ZÆØÅ][a-zæøåé]+(?:\s[A-ZÆØÅ][a-zæøåé]+)?"
)
_WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")

# Order matters: e-mail before names (its local part may be a name); a phone number with +45
# before long numbers; a whole long number before a CPR number inside it; CPR before phones.
_PATTERNS = (
    (_EMAIL, EMAIL),
    (_PHONE_PREFIXED, PHONE),
    (_LONG_NUMBER, CPR),
    (_CPR, CPR),
    (_PHONE, PHONE),
    (_STREET, ADDRESS),
    (_POSTCODE, ADDRESS),
)
_MAX_ROUNDS = 5


@dataclass(frozen=True)
class Cleaned:
    text: str
    findings: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.findings)

    def summary(self) -> str:
        """The findings in one Danish phrase, e.g. "et CPR-nummer og 2 navne"."""
        counts = Counter(self.findings)
        parts = [
            kind if n == 1 else f"{n} {PLURALS[kind]}"
            for kind, n in sorted(counts.items(), key=lambda item: list(PLURALS).index(item[0]))
        ]
        if len(parts) <= 1:
            return "".join(parts)
        return ", ".join(parts[:-1]) + " og " + parts[-1]


def name_set(names: Iterable[str]) -> frozenset[str]:
    """The casefolded single words of `names` ("Anne-Sofie Nielsen" → anne, sofie, nielsen)."""
    words = set()
    for name in names:
        for word in re.split(r"[\s-]+", name or ""):
            if len(word) >= 2:
                words.add(word.casefold())
    return frozenset(words)


def clean(text: str, *, known_names: Iterable[str] = ()) -> Cleaned:
    """`text` with everything identifying replaced by "[fjernet]", and what was removed."""
    names = COMMON_FIRST_NAMES | name_set(known_names)
    findings: list[str] = []
    for _ in range(_MAX_ROUNDS):
        before = len(findings)
        text = _clean_once(text or "", names, findings)
        if len(findings) == before:
            break
    return Cleaned(text, findings)


def _clean_once(text: str, names: frozenset[str], findings: list[str]) -> str:
    for pattern, kind in _PATTERNS:
        text = _replace(pattern, kind, text, findings)

    def name(match: re.Match) -> str:
        word = match.group(0)
        if word[0].isupper() and _is_name(word, names):
            findings.append(NAME)
            return REMOVED
        return word

    return _WORD.sub(name, text)


def _is_name(word: str, names: frozenset[str]) -> bool:
    for part in word.split("-"):
        folded = part.casefold()
        if folded in names or (folded.endswith("s") and folded[:-1] in names):
            return True
    return False


def _replace(pattern: re.Pattern, kind: str, text: str, findings: list[str]) -> str:
    def sub(_match: re.Match) -> str:
        findings.append(kind)
        return REMOVED

    return pattern.sub(sub, text)
