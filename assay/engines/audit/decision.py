"""The certification decision, with every reason.

The seed: "Conformance to all mandatory attributes is required in order to achieve
certification to ICSS"; "ICSS requires an organization to address all 4 key customer
perspectives, all elements within those perspectives and all mandatory service attributes";
"under normal circumstances, certification to ICSS will not be granted to organizations where
mandatory service attributes fall only under the 'Intention' category"; "Beyond the mandatory
attributes, implementation of the desirable attributes will see organizations approach best
practice."

Assay's reading (docs/source-readings.md, "ICSS (seed 002)"): certifiable only when

1. at least one site is required;
2. every mandatory attribute has a score at every required site;
3. no mandatory attribute is in a failing band (Intention) at any required site — the weakest
   site decides (ADR 0009); the engine has no override for "abnormal circumstances";
4. every node (perspective, element…) is addressed at every required site: at least one of its
   attributes scored there. Rule 2 already covers every node holding a mandatory attribute, so
   this adds a check only for nodes holding desirable attributes alone.

Desirable attributes never refuse; their weakest site's band is reported as progress.

Findings (``findings.py``) add their own reasons when given: an open major nonconformity
refuses until its corrective action is verified; a minor one until its action plan is
accepted; observations and opportunities for improvement are listed, never refusing.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from .findings import FINDING_BLOCKING, FindingFacts, finding_reasons
from .model import Attribute, Standard
from .scoring import AttributeResult, SiteScores, display_mean, results

__all__ = ["BLOCKING", "Decision", "Reason", "decide"]

BLOCKING = frozenset({"no_sites", "missing_score", "not_addressed"}) | FINDING_BLOCKING
"""Reason codes that refuse (besides ``mandatory_at_<failing band>``)."""


@dataclass(frozen=True, slots=True)
class Reason:
    """One reason: ``code`` for machines (``missing_score``, ``mandatory_at_intention``,
    ``not_addressed``, ``no_sites``, ``ok``, ``desirable_progress``,
    ``score_outside_sample``), ``text`` for people."""

    code: str
    text: str
    attribute: str | None = None
    site: str | None = None

    @property
    def blocking(self) -> bool:
        """True when this reason refuses certification."""
        return self.code in BLOCKING or self.code.startswith("mandatory_at_")


@dataclass(frozen=True, slots=True)
class Decision:
    """Certifiable or not; ``reasons`` lists every blocking reason first, then the informative
    ones; ``desirable`` is (attribute code, band key of its weakest scored site, or
    "unscored") in the standard's order."""

    certifiable: bool
    reasons: tuple[Reason, ...]
    desirable: tuple[tuple[str, str], ...]

    @property
    def blocking(self) -> tuple[Reason, ...]:
        """The reasons that refuse."""
        return tuple(r for r in self.reasons if r.blocking)


def _named(attribute: Attribute) -> str:
    return f"{attribute.code} '{attribute.title}'"


def _desirable(
    standard: Standard, attribute: Attribute, result: AttributeResult, name: Mapping[str, str]
) -> tuple[str, Reason]:
    scored = len(result.by_site) - len(result.missing_sites)
    if result.weakest is None or result.weakest_site is None:
        text = f"Desirable attribute {_named(attribute)} has not been scored: no progress recorded"
        return "unscored", Reason("desirable_progress", text, attribute.code)
    band = standard.scale.band_of(result.weakest)
    where = name.get(result.weakest_site, result.weakest_site)
    text = (
        f"Desirable attribute {_named(attribute)} is at {band.label} (weakest score "
        f"{result.weakest} at {where}; mean {display_mean(result.mean)}"
        + (
            ""
            if scored == len(result.by_site)
            else f"; scored at {scored} of {len(result.by_site)} sites"
        )
        + ") — progress towards best practice"
    )
    return band.key, Reason("desirable_progress", text, attribute.code)


def decide(
    standard: Standard,
    scores: SiteScores,
    sites: Sequence[str],
    *,
    site_names: Mapping[str, str] | None = None,
    findings: Sequence[FindingFacts] = (),
) -> Decision:
    """Decide whether the organisation (or division) is certifiable from the scores at the
    required ``sites`` and the audit's ``findings``, listing every reason. ``site_names``
    (optional) puts office names in the texts instead of ids. ValueError for bad input, as
    ``results``."""
    res = results(standard, scores, sites)
    name = dict(site_names or {})
    failing = sorted(
        (b for b in standard.scale.bands if b.key in standard.failing_bands), key=lambda b: b.low
    )
    blocking: list[Reason] = []
    info: list[Reason] = []
    desirable: list[tuple[str, str]] = []

    if not sites:
        blocking.append(Reason("no_sites", "No site is required by the sample: nothing to certify"))

    for attribute, result in zip(standard.attributes, res.attributes, strict=True):
        if not attribute.mandatory:
            key, reason = _desirable(standard, attribute, result, name)
            desirable.append((attribute.code, key))
            info.append(reason)
            continue
        for site, score in result.by_site:
            where = name.get(site, site)
            if score is None:
                text = f"Mandatory attribute {_named(attribute)} has no score at {where}"
                blocking.append(Reason("missing_score", text, attribute.code, site))
                continue
            band = standard.scale.band_of(score)
            if band.key in standard.failing_bands:
                text = (
                    f"Mandatory attribute {_named(attribute)} is at {band.label} "
                    f"(score {score}) at {where}"
                )
                blocking.append(Reason(f"mandatory_at_{band.key}", text, attribute.code, site))

    for node in standard.nodes:
        if any(a.mandatory for a in standard.attributes_under(node.code)):
            continue  # covered by missing_score
        for site in sites:
            if res.node(node.code, site).scored == 0:
                text = (
                    f"{node.level.capitalize() or 'Node'} {node.code} '{node.title}' is not "
                    f"addressed at {name.get(site, site)}: none of its attributes has a score"
                )
                blocking.append(Reason("not_addressed", text, None, site))

    required = set(sites)
    for site, by_attribute in scores.items():
        if site not in required and by_attribute:
            text = (
                f"{len(by_attribute)} score(s) at {name.get(site, site)} are not counted: "
                "it is not a required site of this audit"
            )
            info.append(Reason("score_outside_sample", text, None, site))

    found_blocking, found_info = finding_reasons(findings, name)
    blocking.extend(Reason(code, text, a, site) for code, text, a, site in found_blocking)
    info.extend(Reason(code, text, a, site) for code, text, a, site in found_info)

    if not blocking:
        labels = " or ".join(b.label for b in failing) or "a failing band"
        ok = (
            f"Every mandatory attribute ({len(standard.mandatory)}) is scored at all "
            f"{len(sites)} required site(s) and none is only at {labels}"
        )
        ncs = sum(1 for f in findings if f.grade in ("major", "minor"))
        if ncs:
            ok += f"; each of the {ncs} nonconformities has its corrective action in hand"
        info.insert(0, Reason("ok", ok))
    return Decision(
        certifiable=not blocking, reasons=tuple(blocking + info), desirable=tuple(desirable)
    )
