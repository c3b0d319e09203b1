"""The keypad's check of an Azerbaijani phone number: what is accepted, what is
refused and why, and how a number is grouped to be read back."""

import pytest

from kiosk.core.phone import PhoneProblem, check_phone, grouped

ACCEPTED = {
    "0501234567": "0501234567",  # Azercell
    "0101234567": "0101234567",
    "0551234567": "0551234567",  # Bakcell
    "0991234567": "0991234567",
    "0701234567": "0701234567",  # Nar
    "0771234567": "0771234567",
    "0601234567": "0601234567",  # Naxtel
    "0121234567": "0121234567",  # Baku landline
    "0202012345": "0202012345",  # a regional landline (Bərdə)
    "0361234567": "0361234567",  # Naxçıvan
    "+994501234567": "0501234567",  # the same, typed with the country code
    "+994121234567": "0121234567",
}

REFUSED = {
    "": PhoneProblem.SHORT,
    "8": PhoneProblem.UNKNOWN,  # the bug report: "8" went to the hub
    "0": PhoneProblem.SHORT,
    "050": PhoneProblem.SHORT,
    "050123456": PhoneProblem.SHORT,
    "05012345678": PhoneProblem.LONG,
    "0301234567": PhoneProblem.UNKNOWN,  # no operator 30
    "0001234567": PhoneProblem.UNKNOWN,
    "501234567": PhoneProblem.UNKNOWN,  # the leading 0 missing
    "994501234567": PhoneProblem.UNKNOWN,  # the plus missing
    "+7": PhoneProblem.UNKNOWN,  # another country
    "+79161234567": PhoneProblem.UNKNOWN,
    "+994": PhoneProblem.SHORT,
    "+99450123456": PhoneProblem.SHORT,
    "+9945012345678": PhoneProblem.LONG,
    "+994301234567": PhoneProblem.UNKNOWN,
    "++994501234567": PhoneProblem.UNKNOWN,
}


@pytest.mark.parametrize("typed,dial", ACCEPTED.items())
def test_accepted_numbers_are_sent_as_a_volunteer_dials_them(typed, dial):
    check = check_phone(typed)
    assert check.ok and check.problem is None
    assert check.dial == dial


@pytest.mark.parametrize("typed,problem", REFUSED.items())
def test_refused_numbers_say_why_and_give_nothing_to_send(typed, problem):
    check = check_phone(typed)
    assert not check.ok
    assert check.problem is problem
    assert check.dial == ""


def test_every_refusal_has_a_keypad_string_in_every_language(bundle):
    for problem in PhoneProblem:
        text = bundle.strings[f"keypad.{problem.value}"]
        assert all(text.has(lang) for lang in ("az", "ru", "en"))


@pytest.mark.parametrize(
    "typed,shown",
    [
        ("", ""),
        ("05", "05"),
        ("0501", "050 1"),
        ("0501234567", "050 123 45 67"),
        ("+99450", "+994 50"),
        ("+994501234567", "+994 50 123 45 67"),
    ],
)
def test_numbers_are_grouped_as_people_say_them(typed, shown):
    assert grouped(typed) == shown
