"""Company registration numbers: whether one has a valid format and check digit, where a
maintained validator exists (python-stdnum, the ``stdnum`` extra). A verification
agency's check of REGISTRATION_NUMBER counts toward ID-VERIFIED only for a well-formed
number, so a malformed one is a violation of ID-VERIFIED.

The verb pair: :func:`check` answers with the violation (empty for a well-formed
number), :func:`apply` raises it or returns the number.

>>> check("91110000600037341L", "CN")
()
>>> apply("91110000600037341L", "CN")
'91110000600037341L'
>>> apply("91110000600037341M", "CN")  # doctest: +ELLIPSIS
Traceback (most recent call last):
...
tradeassure.errors.RuleViolation: ID-VERIFIED: '91110000600037341M' is not a valid CN ...
"""

from __future__ import annotations

import importlib
from collections.abc import Mapping
from types import MappingProxyType
from typing import Final

from tradeassure._checks import of_type
from tradeassure.errors import PolicyError, RuleViolation

__all__ = ["REGISTRATION_COUNTRIES", "apply", "check", "registration_number_problems"]

# Country -> (python-stdnum module, the number's name). Company or business register
# identifiers only, not personal or VAT-only numbers, where stdnum has one.
_REGISTRATION_VALIDATORS: Final[Mapping[str, tuple[str, str]]] = MappingProxyType(
    {
        "AT": ("stdnum.at.businessid", "company register number (Firmenbuchnummer)"),
        "AU": ("stdnum.au.acn", "Australian Company Number"),
        "BE": ("stdnum.be.vat", "enterprise number (ondernemingsnummer)"),
        "BR": ("stdnum.br.cnpj", "CNPJ"),
        "CA": ("stdnum.ca.bn", "Business Number"),
        "CH": ("stdnum.ch.uid", "UID business identifier"),
        "CN": ("stdnum.cn.uscc", "Unified Social Credit Code"),
        "DK": ("stdnum.dk.cvr", "CVR number"),
        "EE": ("stdnum.ee.registrikood", "registry code (registrikood)"),
        "ES": ("stdnum.es.cif", "CIF"),
        "FI": ("stdnum.fi.ytunnus", "business ID (Y-tunnus)"),
        "FR": ("stdnum.fr.siren", "SIREN"),
        "IL": ("stdnum.il.hp", "company number"),
        "JP": ("stdnum.jp.cn", "Corporate Number"),
        "KR": ("stdnum.kr.brn", "Business Registration Number"),
        "MD": ("stdnum.md.idno", "IDNO"),
        "MX": ("stdnum.mx.rfc", "RFC"),
        "NO": ("stdnum.no.orgnr", "organisation number"),
        "PL": ("stdnum.pl.regon", "REGON"),
        "RO": ("stdnum.ro.onrc", "trade register number (ONRC)"),
        "RU": ("stdnum.ru.ogrn", "OGRN"),
        "SE": ("stdnum.se.orgnr", "organisation number"),
        "SG": ("stdnum.sg.uen", "Unique Entity Number"),
        "SI": ("stdnum.si.maticna", "company registration number (matična številka)"),
        "TW": ("stdnum.tw.ubn", "Unified Business Number"),
        "UA": ("stdnum.ua.edrpou", "EDRPOU code"),
        "US": ("stdnum.us.ein", "Employer Identification Number"),
    }
)
#: ISO 3166 alpha-2 codes whose company registration numbers can be checked.
REGISTRATION_COUNTRIES: Final = frozenset(_REGISTRATION_VALIDATORS)


def check(number: str, country: str) -> tuple[RuleViolation, ...]:
    """What is wrong with a company registration number's format or check digit, as an
    ID-VERIFIED violation; empty when it is well-formed. Run it on a verification
    agency's input before its check of REGISTRATION_NUMBER counts toward ID-VERIFIED.

    ``country`` is an ISO 3166 alpha-2 code from :data:`REGISTRATION_COUNTRIES` (China's
    18-character Unified Social Credit Code among them); another raises ``PolicyError``
    (no maintained validator: check the number by other means). A well-formed number may
    still not be registered: only the register can say. Needs the ``stdnum`` extra.
    """
    of_type(number, "number", str)
    code = of_type(country, "country", str).strip().upper()
    if code not in _REGISTRATION_VALIDATORS:
        raise PolicyError(
            f"no maintained validator for company registration numbers of {country!r}: "
            "check the number by other means; supported: "
            + ", ".join(sorted(REGISTRATION_COUNTRIES))
        )
    module_name, label = _REGISTRATION_VALIDATORS[code]
    try:
        from stdnum.exceptions import ValidationError

        module = importlib.import_module(module_name)
    except ImportError as exc:
        raise ImportError(
            "checking registration numbers needs python-stdnum: pip install 'tradeassure[stdnum]'"
        ) from exc
    try:
        module.validate(number)
    except ValidationError as exc:
        return (RuleViolation("ID-VERIFIED", f"{number!r} is not a valid {code} {label}: {exc}"),)
    return ()


def apply(number: str, country: str) -> str:
    """``number``, a well-formed registration number of ``country``; raises
    :func:`check`'s violation as ``RuleViolation`` (ID-VERIFIED) when it is not."""
    found = check(number, country)
    if found:
        raise found[0]
    return number


def registration_number_problems(number: str, country: str) -> tuple[str, ...]:
    """:func:`check`'s violations as sentences: what is wrong with the number's format or
    check digit, empty when it is well-formed."""
    return tuple(v.message for v in check(number, country))
