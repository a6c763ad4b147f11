"""Partial dates: what is accepted, what is refused, and how keys order."""

import pytest
from django.core.exceptions import ValidationError

from registry import partial_dates


@pytest.mark.parametrize(
    "text,canonical,first,last",
    [
        ("1956", "1956", 19560101, 19561231),
        ("1956-3", "1956-03", 19560301, 19560331),
        ("2024-02", "2024-02", 20240201, 20240229),
        ("1956-03-01", "1956-03-01", 19560301, 19560301),
        ("-484", "-0484", -4840000 + 101, -4840000 + 1231),
        (" 2005 ", "2005", 20050101, 20051231),
    ],
)
def test_accepted_forms(text, canonical, first, last):
    parsed = partial_dates.parse(text)
    assert str(parsed) == canonical
    assert (parsed.first_key, parsed.last_key) == (first, last)


@pytest.mark.parametrize(
    "text,fragment",
    [
        ("1956-02-30", "not a real date"),
        ("2023-02-29", "not a real date"),
        ("1956-13", "month 13"),
        ("0", "out of range"),
        ("5000", "out of range"),
        ("yesterday", "is not a date"),
        ("1956/03/01", "is not a date"),
    ],
)
def test_impossible_dates_are_refused_with_a_reason(text, fragment):
    with pytest.raises(ValidationError) as exc:
        partial_dates.parse(text)
    assert fragment in " ".join(str(m) for m in exc.value.messages)


def test_keys_order_across_the_era_boundary():
    keys = [partial_dates.parse(t).first_key for t in ("-0484", "-0001", "0001", "1956", "1956-03-01")]
    assert keys == sorted(keys)


def test_empty_is_none():
    assert partial_dates.parse("") is None
    assert partial_dates.normalize(None) == ""
