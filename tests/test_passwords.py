"""The sign-up password check (SEC-PASSWORD)."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tradeassure.errors import InvalidInput
from tradeassure.verification import PasswordCode, PasswordProblem, password_problems

_LETTERS = "abcdefghijklmnopqrstuvwxyzàéöß"


def _codes(password: str, **personal: object) -> set[PasswordCode]:
    return {p.code for p in password_problems(password, **personal)}  # type: ignore[arg-type]


def _any_case(draw: st.DrawFn, text: str) -> str:
    return "".join(c.upper() if draw(st.booleans()) else c for c in text)


@pytest.mark.parametrize("password", ["beatlesfan28", "thebestboss", "correcthorsebattery"])
def test_the_sources_good_examples_pass(password: str) -> None:
    assert password_problems(password) == ()


@pytest.mark.parametrize(
    ("password", "code"),
    [
        ("manager", PasswordCode.DICTIONARY_WORD),
        ("Manager", PasswordCode.DICTIONARY_WORD),
        ("Manager!", PasswordCode.DICTIONARY_WORD),
        ("manager1", PasswordCode.COMMON_PASSWORD),
        ("bamboo", PasswordCode.DICTIONARY_WORD),
        ("bamboo", PasswordCode.COMMON_PASSWORD),
        ("123456", PasswordCode.COMMON_PASSWORD),
        ("ABCDEF", PasswordCode.COMMON_PASSWORD),
        ("QWERTY", PasswordCode.COMMON_PASSWORD),
        ("zzzzzzzz", PasswordCode.COMMON_PASSWORD),
        ("beatles fan28", PasswordCode.CONTAINS_SPACE),
        ("thebest\tboss", PasswordCode.CONTAINS_SPACE),
        ("xkqjvbnmzt", PasswordCode.NO_MIX),
        ("84736251904", PasswordCode.NO_MIX),
        ("", PasswordCode.EMPTY),
    ],
)
def test_the_sources_bad_examples_fail_for_the_stated_reason(
    password: str, code: PasswordCode
) -> None:
    assert code in _codes(password)


def test_the_sources_bad_examples_all_fail() -> None:
    for password in ("manager", "bamboo", "123456", "ABCDEF"):
        assert password_problems(password), password


# -- a word with digits is a combination of letters and numbers ---------------------------
# The source: "Use a combination of letters or numbers – e.g. beatlesfan28" and "Never use
# single words that can be found in any dictionary – e.g. manager or bamboo". A password
# that is one word is refused; one that holds a word beside digits is the advised mix.


@pytest.mark.parametrize("password", ["sunflower7", "kiwi19900517", "manager28", "7Bamboo"])
def test_a_word_with_digits_passes(password: str) -> None:
    assert password_problems(password) == ()


@pytest.mark.parametrize("password", ["manager1", "password1", "monkey12"])
def test_a_word_with_digits_that_is_a_common_password_as_a_whole_is_refused(
    password: str,
) -> None:
    assert _codes(password) == {PasswordCode.COMMON_PASSWORD}


@pytest.mark.parametrize(
    ("password", "personal", "code"),
    [
        # 19900517 is a date, but refused only when it is the member's own birth date.
        ("kiwi19900517", {"birth_date": date(1990, 5, 17)}, PasswordCode.CONTAINS_BIRTH_DATE),
        ("sunflower7", {"name": "Sunflower Trading"}, PasswordCode.CONTAINS_NAME),
        ("sunflower7", {"email": "sunflower@example.com"}, PasswordCode.CONTAINS_EMAIL),
        ("kiwi13800138000", {"phone": "+86 138 0013 8000"}, PasswordCode.CONTAINS_PHONE),
    ],
)
def test_a_word_with_digits_that_holds_personal_information_is_refused(
    password: str, personal: dict[str, object], code: PasswordCode
) -> None:
    assert _codes(password, **personal) == {code}


def test_a_date_that_is_not_the_members_birth_date_is_no_personal_information() -> None:
    assert _codes("kiwi19900517", birth_date=date(1990, 5, 18)) == set()


_WORDS = ("manager", "bamboo", "sunflower", "kiwi", "garden", "xylophone")


@given(
    word=st.sampled_from(_WORDS),
    digits=st.from_regex(r"[0-9]{1,8}", fullmatch=True),
    before=st.booleans(),
    data=st.data(),
)
def test_a_word_is_refused_alone_and_never_called_one_beside_digits(
    word: str, digits: str, before: bool, data: st.DataObject
) -> None:
    cased = _any_case(data.draw, word)
    assert PasswordCode.DICTIONARY_WORD in _codes(cased)
    mixed = digits + cased if before else cased + digits
    # At most the whole is a common password ("manager1"): no other reason applies.
    assert _codes(mixed) <= {PasswordCode.COMMON_PASSWORD}


def test_a_keyboard_run_is_common_but_not_called_a_dictionary_word() -> None:
    assert _codes("qwerty") == {PasswordCode.COMMON_PASSWORD, PasswordCode.NO_MIX}


def test_two_keyboard_runs_are_not_several_words() -> None:
    assert PasswordCode.NO_MIX in _codes("qwertyasdf")


def test_every_problem_names_sec_password_and_carries_a_sentence() -> None:
    for problem in password_problems("manager"):
        assert problem.rule == "SEC-PASSWORD"
        assert problem.message.endswith(".")


def test_the_members_name_is_refused_in_any_case_and_without_its_space() -> None:
    assert PasswordCode.CONTAINS_NAME in _codes("LIWEI2024x", name="Li Wei")
    assert PasswordCode.CONTAINS_NAME in _codes("x9weibo", name="Li Wei")
    assert PasswordCode.CONTAINS_NAME not in _codes("applied42", name="Li Wei")


def test_the_email_address_and_its_local_part_are_refused() -> None:
    email = "li.wei@example.com"
    assert PasswordCode.CONTAINS_EMAIL in _codes("li.wei@example.com", email=email)
    assert PasswordCode.CONTAINS_EMAIL in _codes("LiWei88", email=email)
    assert PasswordCode.CONTAINS_EMAIL not in _codes("beatlesfan28", email=email)


def test_the_phone_number_is_refused_whole_or_without_its_country_code() -> None:
    phone = "+86 138-0013-8000"
    assert PasswordCode.CONTAINS_PHONE in _codes("x8613800138000", phone=phone)
    assert PasswordCode.CONTAINS_PHONE in _codes("fan13800138000", phone=phone)
    assert PasswordCode.CONTAINS_PHONE in _codes("fan0013.8000", phone=phone)
    assert PasswordCode.CONTAINS_PHONE not in _codes("fan013800", phone=phone)


@pytest.mark.parametrize(
    "written",
    [
        "1990-07-04",
        "04/07/1990",
        "07/04/1990",
        "4.7.1990",
        "040790",
        "19900704",
        "4jul1990",
        "July41990",
        "0407",
    ],
)
def test_the_birth_date_is_refused_in_its_usual_written_forms(written: str) -> None:
    codes = _codes(f"fan{written}x", birth_date=date(1990, 7, 4))
    assert PasswordCode.CONTAINS_BIRTH_DATE in codes


def test_another_date_is_not_taken_for_the_birth_date() -> None:
    assert _codes("beatlesfan28", birth_date=date(1990, 7, 4)) == set()


@pytest.mark.parametrize(
    ("detail", "value"),
    [("name", ""), ("email", "not-an-address"), ("phone", "call me"), ("email", "a b@x.com")],
)
def test_a_blank_or_malformed_personal_detail_is_refused(detail: str, value: str) -> None:
    with pytest.raises(InvalidInput, match=detail):
        password_problems("beatlesfan28", **{detail: value})  # type: ignore[arg-type]


def test_a_policy_of_the_wrong_type_is_refused() -> None:
    with pytest.raises(InvalidInput, match="policy must be an IdentityPolicy"):
        password_problems("beatlesfan28", policy=None)  # type: ignore[arg-type]


def test_a_datetime_birth_date_is_refused() -> None:
    with pytest.raises(InvalidInput, match="birth_date must be a date"):
        password_problems("beatlesfan28", birth_date=datetime(1990, 7, 4))


def test_a_problem_is_a_value_with_a_registered_rule() -> None:
    with pytest.raises(InvalidInput, match="registered rule id"):
        PasswordProblem(PasswordCode.NO_MIX, "Mix letters and digits.", rule="NOPE")


_names = st.text(_LETTERS, min_size=1, max_size=12)
_affix = st.text("abcxyz0123456789!", max_size=6)


@given(st.data(), _names, _affix, _affix)
def test_a_password_containing_the_name_is_never_accepted(
    data: st.DataObject, name: str, prefix: str, suffix: str
) -> None:
    password = prefix + _any_case(data.draw, name) + suffix
    assert PasswordCode.CONTAINS_NAME in _codes(password, name=name)


@given(st.data(), _names, st.text(_LETTERS, min_size=1, max_size=8), _affix, _affix)
def test_a_password_containing_the_email_is_never_accepted(
    data: st.DataObject, local: str, domain: str, prefix: str, suffix: str
) -> None:
    email = f"{local}@{domain}.com"
    password = prefix + _any_case(data.draw, email) + suffix
    assert PasswordCode.CONTAINS_EMAIL in _codes(password, email=email)


@given(st.from_regex(r"\+?[0-9][0-9 ()\-]{3,15}[0-9]", fullmatch=True), _affix, _affix)
def test_a_password_containing_the_phone_number_is_never_accepted(
    phone: str, prefix: str, suffix: str
) -> None:
    assert PasswordCode.CONTAINS_PHONE in _codes(prefix + phone + suffix, phone=phone)


@given(st.dates(date(1900, 1, 1), date(2030, 12, 31)), _affix, _affix)
def test_a_password_containing_the_iso_birth_date_is_never_accepted(
    born: date, prefix: str, suffix: str
) -> None:
    password = prefix + born.isoformat() + suffix
    assert PasswordCode.CONTAINS_BIRTH_DATE in _codes(password, birth_date=born)


_WORDS = ("the", "best", "boss", "correct", "horse", "battery", "garden", "river", "market")


@given(st.lists(st.sampled_from(_WORDS), min_size=2, max_size=4))
def test_several_dictionary_words_run_together_count_as_a_mix(words: list[str]) -> None:
    assert PasswordCode.NO_MIX not in _codes("".join(words))


@given(st.text(min_size=1, max_size=30))
def test_every_problem_code_appears_at_most_once(password: str) -> None:
    codes = [p.code for p in password_problems(password)]
    assert len(codes) == len(set(codes))
    if any(c.isspace() for c in password):
        assert PasswordCode.CONTAINS_SPACE in codes
