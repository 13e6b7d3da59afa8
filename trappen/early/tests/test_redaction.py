"""The cleaning of free text in anonymous consultations (trappen/early/redaction.py)."""

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from trappen.core import cpr
from trappen.early.redaction import ADDRESS, CPR, EMAIL, NAME, PHONE, REMOVED, clean


@pytest.mark.parametrize(
    "number",
    [
        "140315-1234",
        "1403151234",
        "140315 1234",
        "140315\u20131234",  # en dash
        "740315-1234",  # synthetic: day of month + 60
        "14.03.15-1234",
        "14-03-15-1234",
        "311299-0000",  # fails modulus 11, still removed
    ],
)
def test_cpr_numbers_are_removed_in_every_form(number):
    result = clean(f"Barnet har nr. {number} i journalen.")

    assert result.text == f"Barnet har nr. {REMOVED} i journalen."
    assert result.findings == [CPR]


def test_a_run_of_ten_or_more_digits_counts_as_a_cpr_number():
    assert clean("id 123456789012").findings == [CPR]


def test_a_cpr_number_glued_to_other_digits_is_removed():
    result = clean("nr 9140315-1234")

    assert result.text == f"nr 9{REMOVED}"
    assert result.findings == [CPR]


@pytest.mark.parametrize(
    "number",
    ["12345678", "12 34 56 78", "1234 5678", "+45 12 34 56 78", "+4512345678", "0045 1234 5678"],
)
def test_danish_phone_numbers_are_removed(number):
    result = clean(f"Ring på {number} efter kl. 15.")

    assert result.text == f"Ring på {REMOVED} efter kl. 15."
    assert result.findings == [PHONE]


def test_years_clock_times_and_small_numbers_stay():
    text = "Skoleåret 2023 2024 gik fint. Hun er 7 år og går i 1. klasse kl. 8.15."
    assert clean(text) == clean(text)
    assert clean(text).text == text
    assert clean(text).findings == []


def test_email_addresses_are_removed():
    result = clean("Skriv til far.mor@eksempel.dk, tak.")

    assert result.text == f"Skriv til {REMOVED}, tak."
    assert result.findings == [EMAIL]


@pytest.mark.parametrize(
    "address",
    ["Søndergade 12", "Kastanjeallé 3B", "Rosenvænget 4, 2. th", "Bøgevej 117", "7700 Thisted"],
)
def test_street_addresses_and_postcodes_are_removed(address):
    result = clean(f"Familien bor på {address} nu.")

    assert result.text == f"Familien bor på {REMOVED} nu."
    assert result.findings == [ADDRESS]


def test_ordinary_words_before_numbers_are_not_addresses():
    text = "Der er alle 3 børn, og de skal have 2 timer om ugen på vej 1 til skole."
    assert clean(text).findings == []


def test_names_of_the_units_children_are_removed_when_capitalised():
    known = ["Zorbalina", "Kvistgaard"]

    result = clean("Zorbalina Kvistgaard og kvistgaard-stien.", known_names=known)

    # a lower-case word is not taken for a name (predictable: capitalised words only)
    assert result.text == f"{REMOVED} {REMOVED} og kvistgaard-stien."
    assert result.findings == [NAME, NAME]


def test_common_danish_first_names_genitive_and_hyphenated_names_are_removed():
    result = clean("Mette sagde, at Annes bror og Anne-Sofie leger.")

    assert result.text == f"{REMOVED} sagde, at {REMOVED} bror og {REMOVED} leger."
    assert result.findings == [NAME, NAME, NAME]


def test_a_name_only_in_another_units_list_is_not_known():
    assert clean("Kvistgaard kom for sent.").findings == []
    assert clean("Kvistgaard kom for sent.", known_names=["Kvistgaard"]).findings == [NAME]


def test_the_summary_counts_in_danish():
    result = clean("Mette og Ole, 140315-1234, Søndergade 12, mor@x.dk, 12345678 og 87654321")

    assert result.summary() == (
        "et CPR-nummer, 2 navne, en adresse, 2 telefonnumre og en e-mailadresse"
    )
    assert clean("Mette").summary() == "et navn"


def test_text_without_anything_identifying_is_unchanged():
    text = "Drengen virker trist og træt om morgenen, og madpakken mangler tit."
    result = clean(text)

    assert result.text == text
    assert not result.changed


CPR_LIKE = re.compile(r"\d{10}")


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_no_cpr_like_run_survives_for_any_text(text):
    cleaned = clean(text).text

    assert not CPR_LIKE.search(cleaned)
    assert not cpr.CPR_PATTERN.search(cleaned)


@settings(max_examples=300, deadline=None)
@given(
    st.text(alphabet=st.characters(codec="utf-8"), max_size=40),
    st.from_regex(r"\d{6}[- ]?\d{4}", fullmatch=True),
    st.text(max_size=40),
)
def test_an_embedded_cpr_number_never_survives(before, number, after):
    cleaned = clean(before + number + after).text

    assert number not in cleaned
    assert not cpr.CPR_PATTERN.search(cleaned)


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_cleaning_twice_changes_nothing_more(text):
    once = clean(text, known_names=["Kvistgaard"])
    twice = clean(once.text, known_names=["Kvistgaard"])

    assert twice.text == once.text
    assert twice.findings == []
