"""Screen one name: analyst decisions first, then the matcher; bad names become a ``no usable name`` result.

A result at or above the threshold is a **possible match for review**; below it, "no possible match found",
never "cleared". A match is then judged under the policy in force on a day (:mod:`schoon.screen.verdict`): the
verdict, the listings, and the dated ownership path ("former Dahua subsidiary, sold 2024-01; not listed itself").
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections import Counter
from dataclasses import dataclass, field, replace

from schoon.errors import DataError
from schoon.names.matcher import NameMatch, NameMatcher
from schoon.registry.policy import Policy, check_policy, load_policy
from schoon.registry.registry import Registry
from schoon.screen.decisions import Decisions
from schoon.screen.verdict import Judgement, judge

MAX_NAME_CHARS = 1000  # a longer "name" is not a company name: no usable name, said so

MATCH, NO_MATCH, NO_NAME, REJECTED = "match", "no match", "no usable name", "rejected"


@dataclass(frozen=True)
class ScreenResult:
    """The answer for one name: ``status`` is match, no match, no usable name or rejected."""

    name: str | None
    status: str
    explanation: str
    entity_id: str | None = None
    group_id: str | None = None
    score: float | None = None
    matched_name: str | None = None
    decided_by: str | None = None
    judgement: Judgement | None = None

    @property
    def verdict(self) -> str | None:
        """``flagged`` or ``clear`` under the policy in force; None when there was no usable name to screen."""
        if self.judgement is not None:
            return self.judgement.verdict
        return "clear" if self.status == NO_MATCH else None

    def record(self) -> dict[str, object]:
        """The DESIGN.md contract fields (name, group_id, entity_id, score, explanation, verdict, listings, the
        ownership path with dates) and a few more (status, matched_name, policy, as_of, relation,
        verdict_explanation, basis)."""
        judged = self.judgement
        if judged is not None:
            why = judged.explanation
        elif self.status == NO_MATCH:
            why = "clear: the name matches no registry entity (no possible match is not a clearance)"
        else:
            why = None
        return {"name": self.name, "group_id": self.group_id, "entity_id": self.entity_id, "score": self.score,
                "explanation": self.explanation, "status": self.status, "matched_name": self.matched_name,
                "verdict": self.verdict, "policy": judged.policy_id if judged else None,
                "as_of": judged.as_of if judged else None, "listings": judged.listings if judged else [],
                "relation": judged.relation if judged else None, "verdict_explanation": why,
                "ownership": judged.ownership if judged else [], "basis": judged.basis if judged else []}


_ASCII_CONTROLS = {i: " " for i in range(128) if unicodedata.category(chr(i)) in ("Cc", "Cf", "Cs", "Zl", "Zp")}
MEMO_LIMIT = 200_000  # distinct names whose result a Screener remembers (a ledger repeats its suppliers)


def clean_name(text: str | None) -> tuple[str | None, str | None]:
    """A name with control and format characters turned into spaces and runs of spaces collapsed, or None with
    the reason it is not usable (empty, longer than :data:`MAX_NAME_CHARS`)."""
    if text is None:
        return None, "no name in this row"
    if len(text) > MAX_NAME_CHARS:
        return None, f"name of {len(text):,} characters (at most {MAX_NAME_CHARS:,}); not screened"
    if text.isascii():  # the common case at C speed: the ASCII characters of those categories are the controls
        cleaned = text.translate(_ASCII_CONTROLS)
    else:
        cleaned = "".join(" " if unicodedata.category(ch) in ("Cc", "Cf", "Cs", "Zl", "Zp") else ch for ch in text)
    cleaned = " ".join(cleaned.split())
    if not cleaned:
        return None, "empty name"
    return cleaned, None


class Screener:
    """The matcher of a registry (built once per registry version) with analyst decisions applied first."""

    def __init__(self, registry: Registry, decisions: Decisions | None = None, threshold: float | None = None,
                 matcher: NameMatcher | None = None, policy: Policy | None = None, as_of: str | None = None) -> None:
        self.registry = registry
        self.policy = policy if policy is not None else load_policy("default")
        check_policy(self.policy, registry)
        self.as_of = as_of or dt.date.today().isoformat()
        self._judged: dict[str, Judgement] = {}
        self.matcher = matcher if matcher is not None else NameMatcher.for_registry(registry)
        self.threshold = self.matcher.threshold if threshold is None else threshold
        if not 0.0 <= self.threshold <= 1.0:
            raise DataError(f"--threshold must be between 0 and 1, got {self.threshold}")
        self.decisions = decisions if decisions is not None else Decisions()
        self._memo: dict[str, ScreenResult] = {}  # name as given -> its result, within this Screener's life
        for decision in self.decisions:
            if decision.entity_id not in registry.entities:
                raise DataError(f"decision names unknown entity {decision.entity_id!r}", file=decision.source or None,
                                line=decision.row or None, field="entity_id")

    def judge(self, entity_id: str) -> Judgement:
        """The policy's judgement of a matched entity on :attr:`as_of` (cached per entity)."""
        found = self._judged.get(entity_id)
        if found is None:
            found = self._judged[entity_id] = judge(self.registry, self.policy, entity_id, self.as_of)
        return found

    def screen(self, text: str | None) -> ScreenResult:
        """Screen one name (see the module docstring); a match carries its judgement under the policy. A name
        screened before by this Screener gets the same result without being screened again (ledgers repeat their
        suppliers thousands of times)."""
        if text is None:
            return self._judged_match(text)
        memo = self._memo
        found = memo.get(text)
        if found is None:
            if len(memo) >= MEMO_LIMIT:
                memo.clear()
            found = memo[text] = self._judged_match(text)
        return found

    def _judged_match(self, text: str | None) -> ScreenResult:
        result = self._match(text)
        if result.status == MATCH and result.entity_id is not None:
            result = replace(result, judgement=self.judge(result.entity_id))
        return result

    def _match(self, text: str | None) -> ScreenResult:
        name, problem = clean_name(text)
        if name is None:
            return ScreenResult(text, NO_NAME, f"no usable name: {problem}")
        decided = self.decisions.for_name(name)
        for decision in decided:
            if decision.is_match:
                return ScreenResult(name, MATCH, decision.explanation(), decision.entity_id,
                                    self.registry.group_of(decision.entity_id), 1.0,
                                    self.registry.get(decision.entity_id).name, decision.by)
        excluded = {d.entity_id: d for d in decided if not d.is_match}
        if not self.matcher.normalise(name).usable:
            return ScreenResult(name, NO_NAME, "no usable name: nothing left to compare after removing legal forms "
                                "and punctuation")
        result = self.matcher.lookup(name, limit=5 + len(excluded), threshold=self.threshold)
        kept: list[NameMatch] = [m for m in result.matches if m.entity_id not in excluded]
        if kept:
            best = kept[0]
            return ScreenResult(name, MATCH, best.explanation(), best.entity_id, best.group_id, best.score,
                                best.matched_name)
        if result.matches:  # every match was cleared by an analyst
            first = excluded[result.matches[0].entity_id]
            return ScreenResult(name, NO_MATCH, f"no match: {first.explanation()} (matcher score "
                                f"{result.matches[0].score:.2f})", decided_by=first.by)
        return ScreenResult(name, NO_MATCH, result.explanation())


@dataclass
class Summary:
    """Counts for the summary on stderr."""

    names: int = 0
    matches: Counter[str] = field(default_factory=Counter)
    flagged: int = 0
    no_name: int = 0
    rejected: int = 0
    rejects: list[str] = field(default_factory=list)

    def add(self, result: ScreenResult) -> None:
        if result.status == REJECTED:
            self.rejected += 1
            return
        self.names += 1
        if result.status == MATCH and result.group_id:
            self.matches[result.group_id] += 1
        if result.verdict == "flagged":
            self.flagged += 1
        elif result.status == NO_NAME:
            self.no_name += 1

    def lines(self, threshold: float) -> list[str]:
        """The summary, a few lines for people."""
        total = sum(self.matches.values())
        groups = ", ".join(f"{g} {n}" for g, n in sorted(self.matches.items(), key=lambda kv: (-kv[1], kv[0])))
        out = [f"screened {self.names:,} name(s): {total:,} possible match(es) for review"
               + (f" ({groups})" if groups else "") + f", {self.flagged:,} flagged under the policy"
               + f", {self.no_name:,} with no usable name, {self.rejected:,} rejected row(s)"]
        out.append(f"threshold {threshold:.2f}: a match is a possible match for review; no match is not a clearance")
        return out
