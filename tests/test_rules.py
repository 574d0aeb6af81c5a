"""The rule registry: every id of RULES.md once, every refusal through a registered id."""

from __future__ import annotations

import re
import runpy
from pathlib import Path

import pytest

from tradeassure.errors import InvalidInput, PolicyError, RuleViolation, TradeAssureError
from tradeassure.rules import DOCS_URL, RULES, SOURCES, rule

ROOT = Path(__file__).resolve().parent.parent
SPEC = ROOT.parent / "shared" / "RULES.md"
# Ids the library registers beyond RULES.md's tables, each for a decision RULES.md
# records without an id.
LIBRARY_IDS = {"ESC-STATES"} | {r.id for r in RULES.values() if "library" in r.sources}


def _spec_ids() -> list[str]:
    text = SPEC.read_text(encoding="utf-8")
    return re.findall(r"^\| ([A-Z]{2,4}(?:-[A-Z0-9]+)+) \|", text, flags=re.MULTILINE)


@pytest.mark.skipif(not SPEC.exists(), reason="shared/RULES.md is not beside this checkout")
def test_every_id_in_the_spec_is_registered_once_and_in_order() -> None:
    spec = _spec_ids()
    assert len(spec) == len(set(spec)), "RULES.md lists an id twice"
    assert [i for i in RULES if i not in LIBRARY_IDS] == [i for i in spec if i in RULES]
    assert set(spec) | LIBRARY_IDS == set(RULES)


def test_every_rule_names_known_sources_and_a_summary() -> None:
    for r in RULES.values():
        assert r.summary
        assert r.summary.endswith(".")
        assert r.sources, r.id
        assert set(r.sources) <= set(SOURCES), r.id


def test_a_violation_with_an_unregistered_id_cannot_be_raised() -> None:
    with pytest.raises(InvalidInput, match="registered rule id"):
        RuleViolation("ESC-MADE-UP", "no such rule")


def test_a_violation_names_its_rule_and_message() -> None:
    err = RuleViolation("ESC-DISPUTE-COMPLETED", "order PO-7 was completed")
    assert isinstance(err, TradeAssureError)
    assert err.rule == "ESC-DISPUTE-COMPLETED"
    assert str(err) == "ESC-DISPUTE-COMPLETED: order PO-7 was completed"
    assert err == RuleViolation("ESC-DISPUTE-COMPLETED", "order PO-7 was completed")


def test_rule_lookup_refuses_unknown_ids() -> None:
    assert rule("CR-80").section == "credit"
    with pytest.raises(InvalidInput, match="unknown rule id"):
        rule("CR-81")


def test_docs_rules_md_is_generated_from_the_registry() -> None:
    script = runpy.run_path(str(ROOT / "scripts" / "gen_rules_doc.py"))
    committed = (ROOT / "docs" / "rules.md").read_text(encoding="utf-8")
    assert committed == script["render"](), "run: python scripts/gen_rules_doc.py"


def _anchors(page: str) -> list[str]:
    return re.findall(r'<a id="([^"]+)"></a>', page)


def test_every_rule_has_one_anchor_of_its_own_in_docs_rules_md() -> None:
    anchors = _anchors((ROOT / "docs" / "rules.md").read_text(encoding="utf-8"))
    assert anchors == [r.anchor for r in RULES.values()]
    assert len(set(anchors)) == len(RULES)


@pytest.mark.parametrize("rule_id", list(RULES))
def test_a_violation_links_to_its_rules_anchor(rule_id: str) -> None:
    link = RuleViolation(rule_id, "refused").link
    assert link == f"{DOCS_URL}rules/#{rule_id.lower()}"
    page, _, anchor = link.partition("#")
    assert page == f"{DOCS_URL}rules/"
    assert anchor in _anchors((ROOT / "docs" / "rules.md").read_text(encoding="utf-8"))


def test_a_policy_error_links_to_its_rule_or_to_nothing() -> None:
    assert PolicyError("no edition", rule="CR-TIER").link == f"{DOCS_URL}rules/#cr-tier"
    assert PolicyError("no edition").link is None


def test_the_docs_url_is_where_mkdocs_publishes_the_site() -> None:
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    assert re.findall(r"^site_url: (\S+)$", config, re.M) == [DOCS_URL]
    assert DOCS_URL.startswith("https://")
    assert DOCS_URL.endswith("/")
