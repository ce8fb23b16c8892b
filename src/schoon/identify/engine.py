"""The engine: combine an observation's signals into an Identification, then judge it into a Finding.

Signals that point to makers are grouped by corporate group (or, for makers outside the registry, by
name). A group's score combines its signals as independent evidence, ``1 - Π(1 - weight)``. The group
with the highest score is the manufacturer; the runner-up, if any, is a conflict that is reported and
lowers the confidence (``winner - runner_up / 2``). The label (declared vendor, ONVIF/UPnP manufacturer)
is kept apart as the *brand*: when it belongs to another group than the evidence, the device is reported
as a relabel. A Finding applies a policy: a registry maker at or above :data:`FLAG_THRESHOLD` is judged by
the policy (``flagged`` or ``clear``), a maker outside the registry at that confidence is ``clear``, and
anything less certain is ``unknown``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import compress
from operator import attrgetter, is_not
from typing import TYPE_CHECKING

from schoon.identify.labels import LabelDiscrepancy, judge_label
from schoon.identify.rules import RuleBook, default_rulebook
from schoon.identify.signals import Signal, SignalContext, Signals, description, description_of, field_extractors
from schoon.observation import Observation
from schoon.registry.policy import Decision, Policy, Verdict, decide, load_policy
from schoon.registry.registry import Registry, name_key

if TYPE_CHECKING:  # the names package (RapidFuzz, the name index) is loaded when a name is first resolved
    from schoon.names.resolver import NameHit, NameResolver

FLAG_THRESHOLD = 0.5
CONFLICT_FLOOR = 0.3


@dataclass(frozen=True)
class Outcome:
    """What an Identification and its Finding depend on beyond the observation: computed once per evidence."""

    manufacturer_id: str | None
    group_id: str | None
    manufacturer: str | None
    brand: str | None
    brand_id: str | None
    device_type: str | None
    model: str | None  # captured from a banner, used when the observation has no model
    firmware: str | None
    confidence: float
    relabel: bool
    conflicts: tuple[str, ...]
    signals: tuple[Signal, ...]
    verdict: Verdict
    reason: str
    decision: Decision | None
    basis: tuple[str, ...]
    label_discrepancy: LabelDiscrepancy | None = None


@dataclass(slots=True)
class Identification:
    """Who really made a device: manufacturer, group, brand on the label, model, type, and why.

    The parts that depend only on the evidence are shared by every observation with the same evidence (the
    engine computes them once); the observation's own model and firmware take precedence over captured ones.
    """

    observation: Observation
    outcome: Outcome

    @property
    def manufacturer_id(self) -> str | None:
        """The registry entity that made it (None when unknown or outside the registry)."""
        return self.outcome.manufacturer_id

    @property
    def group_id(self) -> str | None:
        """The top of that entity's corporate tree."""
        return self.outcome.group_id

    @property
    def manufacturer(self) -> str | None:
        """The maker's name; also set for makers outside the registry."""
        return self.outcome.manufacturer

    @property
    def brand(self) -> str | None:
        """The brand on the label."""
        return self.outcome.brand

    @property
    def brand_id(self) -> str | None:
        """The label's registry entity, if any."""
        return self.outcome.brand_id

    @property
    def device_type(self) -> str | None:
        """camera, recorder, radio, ..."""
        return self.outcome.device_type

    @property
    def confidence(self) -> float:
        """How sure the maker is, 0..1."""
        return self.outcome.confidence

    @property
    def relabel(self) -> bool:
        """Whether the label belongs to another group than the maker."""
        return self.outcome.relabel

    @property
    def conflicts(self) -> tuple[str, ...]:
        """Evidence that points elsewhere, in words."""
        return self.outcome.conflicts

    @property
    def signals(self) -> tuple[Signal, ...]:
        """Every signal found."""
        return self.outcome.signals

    @property
    def model(self) -> str | None:
        """The model: as recorded, else captured from a banner, else from ONVIF or UPnP."""
        obs = self.observation
        return obs.model or self.outcome.model or obs.onvif_model or obs.upnp_model

    @property
    def firmware(self) -> str | None:
        """The firmware: as recorded, else captured from a banner."""
        return self.observation.firmware or self.outcome.firmware

    @property
    def label_discrepancy(self) -> LabelDiscrepancy | None:
        """The label names another maker than the evidence (see :func:`schoon.identify.labels.judge_label`)."""
        return self.outcome.label_discrepancy

    def evidence(self) -> list[Signal]:
        """Signals with a weight (those that pointed somewhere), strongest first."""
        return sorted((s for s in self.signals if s.weight > 0 or s.role == "brand"), key=lambda s: -s.weight)


@dataclass(slots=True)
class Finding:
    """An Identification judged under a policy: flagged, clear or unknown, with the basis."""

    identification: Identification
    policy_id: str

    @property
    def verdict(self) -> Verdict:
        """flagged, clear or unknown."""
        return self.identification.outcome.verdict

    @property
    def reason(self) -> str:
        """Why, in one line."""
        return self.identification.outcome.reason

    @property
    def decision(self) -> Decision | None:
        """The policy's decision, when a registry maker was judged."""
        return self.identification.outcome.decision

    @property
    def basis(self) -> tuple[str, ...]:
        """Each listing or evidence item behind the verdict, in words."""
        return self.identification.outcome.basis

    @property
    def listings(self) -> list[str]:
        """Ids of the lists in the basis."""
        decision = self.identification.outcome.decision
        return decision.listings if decision is not None else []


class _LazyResolver:
    """The screening matcher (``schoon.names``), one for identify and screen, built on the first name to resolve:
    a run without declared vendors or suppliers neither imports the names package nor loads its index."""

    def __init__(self, registry: Registry) -> None:
        self.registry = registry
        self._resolver: NameResolver | None = None

    def _get(self) -> NameResolver:
        if self._resolver is None:
            from schoon.names.resolver import MatcherNameResolver

            self._resolver = MatcherNameResolver(self.registry)
        return self._resolver

    def resolve(self, text: str) -> NameHit | None:
        """The best registry entity for ``text``, or None."""
        return self._get().resolve(text)

    def short_name(self, text: str) -> list[str]:
        """The entities of which ``text`` is exactly a registered short (weak) alias, or []."""
        return self._get().short_name(text)


def _default_resolver(registry: Registry) -> NameResolver:
    """The screening matcher (``schoon.names``): one matcher for identify and screen (built when first used)."""
    return _LazyResolver(registry)


def _outside_key(maker: str) -> str:
    """A key for a maker outside the registry: its first word, so 'Axis' and 'Axis Communications AB' agree."""
    words = name_key(maker).split()
    return "~" + (words[0] if words else "")


def _combine(weights: Iterable[float]) -> float:
    remaining = 1.0
    for weight in weights:
        remaining *= 1.0 - weight
    return 1.0 - remaining


class Engine:
    """Identify observations and assess them under a policy. Build once; reuse for any number of records.

    Two caches make a large estate fast without changing any answer: each field value's signals are computed
    once (scans repeat the same banners endlessly), and the combination of a given set of signals into an
    outcome is computed once.
    """

    def __init__(self, registry: Registry, rules: RuleBook | None = None, names: NameResolver | None = None,
                 policy: Policy | None = None, as_of: str | None = None, cache_limit: int = 200_000) -> None:
        self.registry = registry
        self.rules = rules or default_rulebook()
        self.names = names or _default_resolver(registry)
        self.policy = policy or load_policy("default")
        self.as_of = as_of
        self.cache_limit = cache_limit
        self.context = SignalContext(registry, self.rules, self.names)
        self.extractors = field_extractors(self.rules)
        self._values = attrgetter(*(e.field for e in self.extractors))
        self._indices = range(len(self.extractors))
        self._nones = (None,) * len(self.extractors)
        self._caches: list[dict[object, Signals]] = [{} for _ in self.extractors]
        self._slots = [(e.extract, cache, e.cache_key) for e, cache in zip(self.extractors, self._caches, strict=True)]
        self._cached = 0
        self._outcomes: dict[tuple[int, ...], Outcome] = {}
        self._decisions: dict[str, tuple[Verdict, str, Decision | None, tuple[str, ...]]] = {}
        self._descriptions: dict[str, Signals] = {}

    def signals(self, obs: Observation) -> list[Signal]:
        """Every signal every extractor finds in ``obs``."""
        return [sig for part in self._parts(obs) for sig in part]

    def _parts(self, obs: Observation) -> list[Signals]:
        parts: list[Signals] = []
        context = self.context
        values = self._values(obs)
        # The fields that have a value, found at C speed: most of an observation's fields are empty.
        present = compress(self._indices, map(is_not, values, self._nones))
        if self.cache_limit <= 0:
            for index in present:
                found = self.extractors[index].extract(values[index], context)
                if found:
                    parts.append(found)
            if obs.extra:
                self._description(obs.extra, parts)
            return parts
        slots = self._slots
        for index in present:
            value = values[index]
            extract, cache, cache_key = slots[index]
            key = value if cache_key is None else cache_key(value, context)
            cached = cache.get(key)
            if cached is None:
                self._cached += 1
                if self._cached > self.cache_limit:
                    self._clear()
                cached = cache[key] = extract(value, context)
            if cached:
                parts.append(cached)
        if obs.extra:
            self._description(obs.extra, parts)
        return parts

    def _description(self, extra: dict[str, str], parts: list[Signals]) -> None:
        """A free-text description column (procurement ``Omschrijving``) adds its brand and model signals."""
        text = description_of(extra)
        if text is None:
            return
        found: Signals | None = None if self.cache_limit <= 0 else self._descriptions.get(text)
        if found is None:
            found = description(text, self.context)
            if self.cache_limit > 0:
                self._cached += 1
                if self._cached > self.cache_limit:
                    self._clear()
                self._descriptions[text] = found
        if found:
            parts.append(found)

    def _clear(self) -> None:
        # Outcomes are keyed by the identity of cached signal tuples: both caches go together.
        self._descriptions.clear()
        for cache in self._caches:
            cache.clear()
        self._cached = 0
        self._outcomes.clear()

    def identify(self, obs: Observation) -> Identification:
        """Combine the signals of one observation into an Identification."""
        return Identification(obs, self._outcome(obs))

    def run(self, obs: Observation) -> Finding:
        """Identify and assess one observation."""
        return Finding(Identification(obs, self._outcome(obs)), self.policy.id)

    def run_many(self, observations: Iterable[Observation]) -> Iterator[Finding]:
        """Identify and assess a stream, in order."""
        for obs in observations:
            yield self.run(obs)

    def assess(self, identification: Identification) -> Finding:
        """Judge an Identification (from :meth:`identify`) under the engine's policy."""
        return self.run(identification.observation)

    def _outcome(self, obs: Observation) -> Outcome:
        parts = self._parts(obs)
        if self.cache_limit <= 0:
            return self._combine_parts(parts)
        key = tuple(map(id, parts))
        outcome = self._outcomes.get(key)
        if outcome is None:
            outcome = self._outcomes[key] = self._combine_parts(parts)
        return outcome

    def _combine_parts(self, parts: list[Signals]) -> Outcome:
        signals = tuple(sig for part in parts for sig in part)
        registry = self.registry
        by_key: dict[str, list[Signal]] = defaultdict(list)
        for sig in signals:
            if sig.role != "maker" or sig.weight <= 0:
                continue
            key = registry.group_of(sig.points_to) if sig.points_to else _outside_key(sig.maker or "")
            by_key[key].append(sig)
        scores = sorted(((_combine(s.weight for s in sigs), key) for key, sigs in by_key.items()), reverse=True)
        brand_signal = next((s for s in signals if s.role == "brand"), None)
        brand_id = brand_signal.points_to if brand_signal else None
        # The brand as the label names it: a description's brand as written there ("Imou"), else the entity's name.
        brand = (brand_signal.maker if brand_signal else None) or (self._display(brand_id) if brand_id else None)
        if not scores:
            return self._judged(None, None, None, brand, brand_id, None, None, None, 0.0, False, (), signals)
        best_score, best_key = scores[0]
        # Against a registry maker any other maker counts; against an outside maker only registry makers do,
        # since the question a verdict answers is "one of ours, or not".
        rivals = [score for score, key in scores[1:] if not (best_key.startswith("~") and key.startswith("~"))]
        runner_up = rivals[0] if rivals else 0.0
        confidence = round(max(0.0, best_score - runner_up / 2), 3)
        winners = by_key[best_key]
        conflicts = tuple(
            f"evidence also points to {self._key_name(key, by_key[key])} (score {score:.2f})"
            for score, key in scores[1:] if score >= CONFLICT_FLOOR
        )
        manufacturer_id: str | None
        group_id: str | None
        if best_key.startswith("~"):
            manufacturer_id = group_id = None
            manufacturer = winners[0].maker
        else:
            manufacturer_id = self._most_specific(winners)
            group_id = best_key
            manufacturer = registry.get(manufacturer_id).name
        relabel = bool(brand_id and group_id and registry.group_of(brand_id) != group_id)
        typed = [s for s in winners if s.device_type] or [s for s in signals if s.device_type]
        device_type = max(typed, key=lambda s: s.weight).device_type if typed else None
        model = next((s.model for s in winners if s.model), None)
        firmware = next((s.firmware for s in winners if s.firmware), None)
        label = brand_signal.maker or brand_signal.value if brand_signal is not None else None
        discrepancy = judge_label(registry, label, brand_id, manufacturer_id, manufacturer, self.context.own_names)
        if discrepancy is not None:
            conflicts += (discrepancy.describe(),)
        return self._judged(manufacturer_id, group_id, manufacturer, brand, brand_id, device_type, model, firmware,
                            confidence, relabel, conflicts, signals, discrepancy)

    def _judged(self, manufacturer_id: str | None, group_id: str | None, manufacturer: str | None, brand: str | None,
                brand_id: str | None, device_type: str | None, model: str | None, firmware: str | None,
                confidence: float, relabel: bool, conflicts: tuple[str, ...], signals: tuple[Signal, ...],
                discrepancy: LabelDiscrepancy | None = None) -> Outcome:
        verdict, reason, decision, basis = self._verdict(manufacturer_id, manufacturer, confidence, signals, brand)
        return Outcome(manufacturer_id, group_id, manufacturer, brand, brand_id, device_type, model, firmware,
                       confidence, relabel, conflicts, signals, verdict, reason, decision, basis, discrepancy)

    def _verdict(self, manufacturer_id: str | None, manufacturer: str | None, confidence: float,
                 signals: tuple[Signal, ...] = (), brand: str | None = None,
                 ) -> tuple[Verdict, str, Decision | None, tuple[str, ...]]:
        policy_id = self.policy.id
        if manufacturer_id is None:
            if manufacturer is not None and confidence >= FLAG_THRESHOLD:
                return "clear", f"made by {manufacturer}, which is not in the registry", None, ()
            if manufacturer is None and brand is not None:
                return ("unknown", f"the label {brand!r} names no maker we can confirm and nothing else names one: "
                        "verify", None, ())
            return "unknown", "the evidence does not name a maker with confidence", None, ()
        maker = self._display(manufacturer_id)
        if confidence < FLAG_THRESHOLD:
            makers = [s for s in signals if s.role == "maker" and s.weight > 0]
            if makers and all(s.signal == "relabel" for s in makers) and brand is not None:
                return ("unknown", f"probably made by {maker}: {brand} is documented to sell {maker}'s hardware "
                        f"(confidence {confidence:.2f}); verify", None, ())
            return "unknown", f"possibly made by {maker} (confidence {confidence:.2f}): verify", None, ()
        cached = self._decisions.get(manufacturer_id)
        if cached is not None:
            return cached
        decision = decide(self.policy, self.registry, manufacturer_id, self.as_of)
        basis = tuple(b.describe(self.registry) for b in decision.basis)
        reason = f"made by {maker}, not flagged under policy {policy_id}"
        if decision.verdict == "flagged":
            grounds = list(dict.fromkeys(
                (b.reference if b.kind == "listing" else "human-rights evidence")
                + (" (via parent company)" if b.via is not None else "")
                for b in decision.basis))
            reason = f"made by {maker}: " + ", ".join(grounds)
        judged: tuple[Verdict, str, Decision | None, tuple[str, ...]] = (decision.verdict, reason, decision, basis)
        self._decisions[manufacturer_id] = judged
        return judged

    def _most_specific(self, signals: list[Signal]) -> str:
        totals: dict[str, float] = defaultdict(float)
        for sig in signals:
            assert sig.points_to is not None
            totals[sig.points_to] += sig.weight
        return max(totals, key=lambda entity_id: (totals[entity_id], len(self.registry.ancestors(entity_id))))

    def _key_name(self, key: str, signals: list[Signal]) -> str:
        return (signals[0].maker or key[1:]) if key.startswith("~") else self.registry.get(key).name

    def display_name(self, entity_id: str) -> str:
        """The common name of a registry entity (e.g. 'Hikvision'), else its legal name."""
        return self._display(entity_id)

    def _display(self, entity_id: str) -> str:
        entity = self.registry.get(entity_id)
        common = next((a.name for a in entity.aliases if a.kind == "common"), None)
        return common or entity.name
