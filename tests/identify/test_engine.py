"""The identify engine on a mini registry and mini rules: makers, relabels, conflicts, verdicts, explanations."""

from __future__ import annotations

from pathlib import Path

import pytest

from schoon.identify import Engine, load_rulebook
from schoon.identify.multipattern import hyperscan_available
from schoon.observation import Observation
from schoon.registry import Registry
from schoon.registry.policy import Policy

RULES = Path(__file__).parent / "fixtures" / "rules"


def obs(**fields: object) -> Observation:
    return Observation.from_mapping(fields, source="test", row=1)


@pytest.fixture(params=["re", "hyperscan"] if hyperscan_available() else ["re"])
def engine(request: pytest.FixtureRequest, mini: Registry) -> Engine:
    rules = load_rulebook(mini, RULES, backend=request.param)
    policy = Policy(id="t", title="t", description="t", lists="any", evidence=True)
    return Engine(mini, rules=rules, policy=policy, as_of="2025-01-01")


def test_oui_alone_names_the_maker_and_flags(engine: Engine) -> None:
    finding = engine.run(obs(mac="a0:bb:cc:00:00:01"))
    ident = finding.identification
    assert (ident.manufacturer_id, ident.group_id, finding.verdict) == ("acme", "acme", "flagged")
    assert ident.confidence == pytest.approx(0.9)
    assert finding.listings == ["test-list"]
    [signal] = [s for s in ident.signals if s.weight > 0]
    assert signal.signal == "mac-oui" and "A0BBCC" in signal.detail


def test_evidence_combines(engine: Engine) -> None:
    ident = engine.identify(obs(mac="a0:bb:cc:00:00:01", http_server="Acme-Webs/2.1"))
    assert ident.confidence == pytest.approx(1 - 0.1 * 0.3)
    assert ident.device_type == "recorder" and ident.firmware == "2.1"


def test_relabel_is_seen_through(engine: Engine) -> None:
    finding = engine.run(obs(declared_vendor="Lenso Inc.", mac="a0:bb:cc:00:00:02"))
    ident = finding.identification
    assert ident.brand == "Lenso Inc." and ident.brand_id == "lenso"
    assert ident.group_id == "acme" and ident.relabel is True
    assert finding.verdict == "flagged"


def test_relabel_label_alone_is_only_possible(engine: Engine) -> None:
    finding = engine.run(obs(declared_vendor="Lenso"))
    assert finding.identification.group_id == "acme"
    assert finding.identification.confidence == pytest.approx(0.4)
    # issue 13: a relabel brand alone says "probably made by X ...; verify" (was "possibly made by")
    assert finding.verdict == "unknown" and finding.reason.startswith("probably made by Acme: Lenso")
    assert finding.reason.endswith("verify")


def test_label_says_other_maker_conflict(engine: Engine) -> None:
    finding = engine.run(obs(declared_vendor="Axis", mac="a0:bb:cc:00:00:03", http_server="Acme-Webs"))
    ident = finding.identification
    assert ident.group_id == "acme" and finding.verdict == "flagged"
    assert any("Axis" in c for c in ident.conflicts)
    assert ident.confidence < 0.97  # the declared Axis (0.5) halves into a penalty


def test_outside_maker_is_clear(engine: Engine) -> None:
    finding = engine.run(obs(mac="dd:ee:ff:00:00:01"))
    assert finding.verdict == "clear" and finding.identification.manufacturer == "Somebody Else Inc."
    assert finding.identification.group_id is None


def test_nothing_known_is_unknown(engine: Engine) -> None:
    finding = engine.run(obs(ip="192.0.2.1"))
    assert finding.verdict == "unknown" and finding.identification.confidence == 0


def test_randomised_mac_is_ignored(engine: Engine) -> None:
    ident = engine.identify(obs(mac="a2:bb:cc:00:00:01"))  # 0xa2 has the locally administered bit
    assert ident.group_id is None
    assert any("locally administered" in s.detail for s in ident.signals)


def test_false_friend_mac_is_not_ours(engine: Engine) -> None:
    finding = engine.run(obs(mac="11:22:33:a0:00:01"))
    assert finding.identification.group_id is None and finding.verdict == "clear"
    assert "not to a registry company" in finding.identification.signals[0].detail


def test_enterprise_number_and_favicon_and_port(engine: Engine) -> None:
    assert engine.identify(obs(snmp_sysobjectid=".1.3.6.1.4.1.99001.1")).group_id == "acme"
    assert engine.identify(obs(favicon_mmh3="12345")).group_id == "acme"
    assert engine.identify(obs(favicon_md5="0123456789ABCDEF0123456789ABCDEF")).confidence == pytest.approx(0.85)
    weak = engine.run(obs(ports="9000"))
    assert weak.verdict == "unknown" and weak.identification.confidence == pytest.approx(0.1)


def test_model_pattern_gives_device_type(engine: Engine) -> None:
    ident = engine.identify(obs(model="AC-1234"))
    assert ident.group_id == "acme" and ident.device_type == "camera" and ident.model == "AC-1234"


def test_captured_model_from_banner(engine: Engine) -> None:
    ident = engine.identify(obs(http_title="Lenso L100 login"))
    assert ident.model == "L100"


def test_policy_decides_the_verdict(mini: Registry) -> None:
    rules = load_rulebook(mini, RULES)
    strict = Engine(mini, rules=rules, policy=Policy(id="s", title="s", description="s", lists=["test-advice"]),
                    as_of="2022-01-01")
    finding = strict.run(obs(mac="a0:bb:cc:00:00:01"))
    assert finding.verdict == "clear" and "not flagged under policy s" in finding.reason


def test_subsidiary_evidence_keeps_the_specific_entity(mini: Registry, engine: Engine) -> None:
    finding = engine.run(obs(declared_vendor="Acme Home Network Co., Ltd."))
    assert finding.identification.manufacturer_id == "acme-home"
    assert finding.identification.group_id == "acme"
