"""The sign-up password check (SEC-PASSWORD).

The dictionary and the common-password list are zxcvbn's frequency lists (the
``passwords`` extra), loaded on first use and kept for the life of the process.

A password is decided by the verb pair: :func:`check` answers with one violation of
SEC-PASSWORD per problem :func:`password_problems` finds (empty when the password is
acceptable), :func:`apply` raises the first or returns the password.

>>> check("beatlesfan28")
()
>>> for violation in check("bamboo"):
...     print(violation)  # doctest: +ELLIPSIS
SEC-PASSWORD: This is one of the most common passwords, ...
SEC-PASSWORD: This is a single dictionary word: ...
SEC-PASSWORD: Mix letters and digits ...
>>> apply("thebestboss")
'thebestboss'
>>> apply("bamboo 28")  # doctest: +ELLIPSIS
Traceback (most recent call last):
...
tradeassure.errors.RuleViolation: SEC-PASSWORD: Leave out the spaces: a password has no spaces.
"""

from __future__ import annotations

import enum
import unicodedata
from collections.abc import Iterator
from datetime import date
from functools import cache, lru_cache
from typing import final

import attrs

from tradeassure._checks import (
    member,
    of_type,
    optional_text,
    plain_date,
    registered_field,
    text_field,
)
from tradeassure.errors import InvalidInput, RuleViolation
from tradeassure.verification.policy import DEFAULT_IDENTITY, IdentityPolicy

__all__ = ["PasswordCode", "PasswordProblem", "apply", "check", "password_problems"]

_EXTRA_MISSING = (
    "the password check needs zxcvbn's word and password lists: "
    "pip install 'tradeassure[passwords]'"
)
# The dictionary: zxcvbn's English lists (30,000 words from Wikipedia, 19,160 from film
# and television subtitles) and the all-letter entries of its password list. zxcvbn keeps
# each word in one list only, the one where it ranks highest, so "bamboo", "horse" and
# "beatles" are found among the passwords and nowhere else. Names are not dictionary words.
_DICTIONARY_LISTS = ("english_wikipedia", "us_tv_and_film", "passwords")
# Separators people put between the parts of a phone number or a date.
_PHONE_SEPARATORS = frozenset(" +-().\\/\u00a0\t")
_DATE_SEPARATORS = frozenset(" -./,_'\\\u00a0\t")
_MONTHS = (
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
)


@final
class PasswordCode(enum.Enum):
    """What is wrong with a password (SEC-PASSWORD); the values are stable strings."""

    EMPTY = "empty"
    CONTAINS_SPACE = "contains_space"
    COMMON_PASSWORD = "common_password"
    DICTIONARY_WORD = "dictionary_word"
    CONTAINS_NAME = "contains_name"
    CONTAINS_EMAIL = "contains_email"
    CONTAINS_PHONE = "contains_phone"
    CONTAINS_BIRTH_DATE = "contains_birth_date"
    NO_MIX = "no_mix"


@final
@attrs.frozen
class PasswordProblem:
    """One reason a password is refused at sign-up.

    Attributes:
        code: what is wrong, stable for programs.
        message: a sentence a sign-up form can show the member as it is.
        rule: the rule that asks for it, always ``SEC-PASSWORD``.
    """

    code: PasswordCode = attrs.field(validator=member(PasswordCode))
    message: str = attrs.field(validator=text_field)
    rule: str = attrs.field(default="SEC-PASSWORD", validator=registered_field)


_MESSAGES = {
    PasswordCode.EMPTY: "Choose a password: it cannot be empty.",
    PasswordCode.CONTAINS_SPACE: "Leave out the spaces: a password has no spaces.",
    PasswordCode.COMMON_PASSWORD: "This is one of the most common passwords, among the first "
    "anyone would try: choose something of your own.",
    PasswordCode.DICTIONARY_WORD: "This is a single dictionary word: run several words "
    "together, or mix letters and digits, e.g. 'beatlesfan28'.",
    PasswordCode.CONTAINS_NAME: "Leave your name out of your password: others can guess it.",
    PasswordCode.CONTAINS_EMAIL: "Leave your e-mail address out of your password: others "
    "can see it.",
    PasswordCode.CONTAINS_PHONE: "Leave your phone number out of your password: others can "
    "find it.",
    PasswordCode.CONTAINS_BIRTH_DATE: "Leave your birth date out of your password: others "
    "can find it.",
    PasswordCode.NO_MIX: "Mix letters and digits (e.g. 'beatlesfan28') or run several words "
    "together (e.g. 'thebestboss').",
}
_PATTERN_MESSAGE = (
    "This is a simple run of keys or characters (like 'abcdef', 'qwerty' or '111111'), "
    "among the first anyone would try: choose something of your own."
)


# -- word lists ------------------------------------------------------------------------


@cache
def _frequency_lists() -> tuple[frozenset[str], frozenset[str]]:
    """(dictionary words, common passwords), lower-case, from zxcvbn."""
    try:
        from zxcvbn.frequency_lists import FREQUENCY_LISTS  # type: ignore[import-untyped]
    except ImportError as exc:
        raise ImportError(_EXTRA_MISSING) from exc
    words = frozenset(w for name in _DICTIONARY_LISTS for w in FREQUENCY_LISTS[name] if w.isalpha())
    return words, frozenset(FREQUENCY_LISTS["passwords"])


# Keyed by a policy figure, so bounded: a few policies in use at once keep theirs.
@lru_cache(maxsize=8)
def _segmentation_words(min_length: int) -> tuple[frozenset[str], int]:
    """Dictionary words at least ``min_length`` long, and the longest one's length."""
    words = frozenset(w for w in _frequency_lists()[0] if len(w) >= max(min_length, 1))
    return words, max(map(len, words), default=0)


def _most_words(letters: str, min_length: int) -> int:
    """The most dictionary words ``letters`` splits into exactly, or -1 if it does not."""
    words, longest = _segmentation_words(min_length)
    most = [-1] * (len(letters) + 1)
    most[0] = 0
    for end in range(1, len(letters) + 1):
        for start in range(max(0, end - longest), end):
            if most[start] < 0 or most[start] + 1 <= most[end]:
                continue
            piece = letters[start:end]
            if piece in words and not _is_run_word(piece):
                most[end] = most[start] + 1
    return most[-1]


@cache
def _is_run_word(word: str) -> bool:
    """A dictionary entry that is a keyboard run ("qwerty", "asdf"): no word to run
    together with others. Cached by dictionary word only, never by password."""
    return _is_keyboard_or_sequence(word)


def _is_keyboard_or_sequence(password: str) -> bool:
    """True when one run of keyboard-adjacent keys, one alphabet or digit sequence, or one
    repeated chunk makes up the whole password (zxcvbn's matchers)."""
    from zxcvbn import matching  # type: ignore[import-untyped]

    last = len(password) - 1
    for match in (
        *matching.sequence_match(password),
        *matching.spatial_match(password),
        *matching.repeat_match(password),
    ):
        if match["i"] == 0 and match["j"] == last:
            return True
    return False


# -- normal forms ----------------------------------------------------------------------
# Each form maps a string character by character, so a password that contains a detail
# still contains it after both are put in the same form: the containment tests below
# cannot be dodged by case or by separators.


def _fold(text: str) -> str:
    # upper() then casefold(): both are context-free, unlike lower() (final sigma), and
    # together they identify letters whose case pairs are not symmetric (ı, ſ, ß).
    return text.upper().casefold()


def _alnum(text: str) -> str:
    return "".join(c for c in _fold(text) if c.isalnum())


def _digit(c: str) -> str:
    value = unicodedata.decimal(c, None)
    return c if value is None else str(value)


def _without(text: str, separators: frozenset[str]) -> str:
    return "".join(_digit(c) for c in _fold(text) if c not in separators)


# -- personal details ------------------------------------------------------------------


def _detail(value: object, what: str, expected: str) -> str | None:
    """A personal detail: None when not known, else a non-blank string."""
    return optional_text(value, what, must=f"be {expected}, or None when it is not known")


def _name_forms(name: str, min_length: int) -> Iterator[str]:
    yield _fold(name)
    yield _alnum(name)
    part = ""
    for c in _fold(name) + " ":
        if c.isalnum():
            part += c
        else:
            if len(part) >= max(min_length, 1):
                yield part
            part = ""


def _email_forms(email: str, min_length: int) -> Iterator[str]:
    local, at, domain = email.rpartition("@")
    if not at or not local.strip() or not domain.strip() or any(c.isspace() for c in email):
        raise InvalidInput(
            f"email {email!r} is not an e-mail address: expected e.g. 'li.wei@example.com'"
        )
    yield _fold(email)
    yield _alnum(email)
    yield _fold(local)
    if len(_alnum(local)) >= max(min_length, 1):
        yield _alnum(local)


def _phone_forms(phone: str, tail_digits: int) -> Iterator[str]:
    digits = _without(phone, _PHONE_SEPARATORS)
    if not digits or not digits.isdecimal():
        raise InvalidInput(
            f"phone {phone!r} is not a phone number: expected digits with optional spaces, "
            "'+', '-', '.', '/' and brackets, e.g. '+86 138 0013 8000'"
        )
    yield digits
    if 0 < tail_digits < len(digits):
        yield digits[-tail_digits:]


def _birth_date_forms(born: date) -> Iterator[str]:
    """The usual written forms of a date, without separators: numeric in ISO, European and
    US order with a 4- or 2-digit year, padded or not; the same with the English month
    name or its three-letter abbreviation; and day and month alone as four digits."""
    years = (f"{born.year:04d}", f"{born.year % 100:02d}")
    days = (f"{born.day:02d}", str(born.day))
    months = (f"{born.month:02d}", str(born.month))
    name = _MONTHS[born.month - 1]
    for year in years:
        for padded in (True, False):
            d, m = (days[0], months[0]) if padded else (days[1], months[1])
            yield year + m + d
            yield d + m + year
            yield m + d + year
        for d in days:
            for month in (name, name[:3]):
                yield d + month + year
                yield month + d + year
                yield year + month + d
    yield days[0] + months[0]
    yield months[0] + days[0]


def _without_end_symbols(text: str) -> str:
    """``text`` from its first letter or digit to its last (empty when it has none)."""
    kept = [i for i, c in enumerate(text) if c.isalnum()]
    return text[kept[0] : kept[-1] + 1] if kept else ""


def _contains(haystack: str, needles: Iterator[str]) -> bool:
    return any(needle and needle in haystack for needle in needles)


# -- the check -------------------------------------------------------------------------


def password_problems(
    password: str,
    *,
    name: str | None = None,
    email: str | None = None,
    phone: str | None = None,
    birth_date: date | None = None,
    policy: IdentityPolicy = DEFAULT_IDENTITY,
) -> tuple[PasswordProblem, ...]:
    """Decide whether ``password`` is acceptable at sign-up (SEC-PASSWORD); return every
    problem found, in a fixed order, or an empty tuple when it is acceptable.

    A password is refused when it:

    - is empty or contains a space (any whitespace);
    - is a common password (zxcvbn's list of 30,000), whatever its case, or is wholly one
      run of keyboard keys, one alphabet or digit sequence or one repeated chunk
      (``qwerty``, ``ABCDEF``, ``aaaaaa``);
    - is a single dictionary word, whatever its case, also with symbols at its ends
      (``Manager``, ``bamboo!``). A word with digits (``sunflower7``, ``kiwi19900517``)
      is the combination of letters and numbers the source advises, refused only when
      the whole is a common password (``manager1``) or it holds a personal detail;
    - contains the member's name (whole, without its spaces and punctuation, or any part
      of ``policy.password_personal_min_length`` letters or more), e-mail address or its
      local part, phone number (whole or its last ``policy.password_phone_tail_digits``
      digits, separators ignored) or birth date in a usual written form;
    - neither mixes letters and digits nor runs ``2`` or more dictionary words of
      ``policy.password_word_min_length`` letters or more together.

    Name, e-mail and phone are matched without regard to case. The dictionary is
    English (zxcvbn's Wikipedia and film-subtitle lists).

    Raises ``InvalidInput`` for a personal detail that is blank or malformed (a
    ``datetime`` for ``birth_date`` included), and ``ImportError`` when the
    ``passwords`` extra (zxcvbn) is not installed.
    """
    of_type(password, "password", str)
    policy = of_type(policy, "policy", IdentityPolicy)
    personal: list[tuple[PasswordCode, list[str]]] = []
    minimum = policy.password_personal_min_length
    if (text := _detail(name, "name", "the member's name")) is not None:
        personal.append((PasswordCode.CONTAINS_NAME, list(_name_forms(text, minimum))))
    if (text := _detail(email, "email", "an e-mail address")) is not None:
        personal.append((PasswordCode.CONTAINS_EMAIL, list(_email_forms(text, minimum))))
    if (text := _detail(phone, "phone", "a phone number")) is not None:
        tail = policy.password_phone_tail_digits
        personal.append((PasswordCode.CONTAINS_PHONE, list(_phone_forms(text, tail))))
    if birth_date is not None:
        born = plain_date(birth_date, "birth_date")
        personal.append((PasswordCode.CONTAINS_BIRTH_DATE, list(_birth_date_forms(born))))
    if not password:
        return (PasswordProblem(PasswordCode.EMPTY, _MESSAGES[PasswordCode.EMPTY]),)

    words, common = _frequency_lists()
    folded = _fold(password)
    found: list[PasswordProblem] = []

    def problem(code: PasswordCode, message: str | None = None) -> None:
        found.append(PasswordProblem(code, message or _MESSAGES[code]))

    if any(c.isspace() for c in password):
        problem(PasswordCode.CONTAINS_SPACE)
    if folded in common:
        problem(PasswordCode.COMMON_PASSWORD)
    elif _is_keyboard_or_sequence(password):
        problem(PasswordCode.COMMON_PASSWORD, _PATTERN_MESSAGE)
    letter_positions = [i for i, c in enumerate(folded) if c.isalpha()]
    # The password itself, symbols at its ends aside ("Manager!"), is one word: with a
    # digit it is a combination of letters and numbers, which the source recommends
    # ("sunflower7", "beatlesfan28"). A keyboard run such as "qwerty" is in the password
    # list but is no word.
    core = _without_end_symbols(folded)
    if core in words and not _is_run_word(core):
        problem(PasswordCode.DICTIONARY_WORD)
    for code, forms in personal:
        if code is PasswordCode.CONTAINS_PHONE:
            haystack = _without(password, _PHONE_SEPARATORS)
        elif code is PasswordCode.CONTAINS_BIRTH_DATE:
            haystack = _without(password, _DATE_SEPARATORS)
        else:
            haystack = folded
        if _contains(haystack, iter(forms)) or _contains(_alnum(password), iter(forms)):
            problem(code)
    has_digit = any(c.isdecimal() for c in password)
    letters = "".join(folded[i] for i in letter_positions)
    if not (letters and has_digit) and _most_words(letters, policy.password_word_min_length) < 2:
        problem(PasswordCode.NO_MIX)
    return tuple(found)


def check(
    password: str,
    *,
    name: str | None = None,
    email: str | None = None,
    phone: str | None = None,
    birth_date: date | None = None,
    policy: IdentityPolicy = DEFAULT_IDENTITY,
) -> tuple[RuleViolation, ...]:
    """One SEC-PASSWORD violation per problem :func:`password_problems` finds, in its
    order, each with the problem's message; empty when the password is acceptable.
    Raises as :func:`password_problems` does for a malformed personal detail."""
    problems = password_problems(
        password, name=name, email=email, phone=phone, birth_date=birth_date, policy=policy
    )
    return tuple(RuleViolation(p.rule, p.message) for p in problems)


def apply(
    password: str,
    *,
    name: str | None = None,
    email: str | None = None,
    phone: str | None = None,
    birth_date: date | None = None,
    policy: IdentityPolicy = DEFAULT_IDENTITY,
) -> str:
    """``password``, acceptable at sign-up; raises the first of :func:`check`'s
    violations as ``RuleViolation`` (SEC-PASSWORD) when it is not."""
    found = check(
        password, name=name, email=email, phone=phone, birth_date=birth_date, policy=policy
    )
    if found:
        raise found[0]
    return password
