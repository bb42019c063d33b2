"""Organisational certification audits (ICSS, seed 002): the standard and its "3 I" scale as
data, site sampling, results per attribute/node/site, the decision with every reason, gap
analysis and charts — pure Python, no Django (ADR 0001, ADR 0009)."""

from assay.engines.audit.charts import bars_svg, radar_svg
from assay.engines.audit.decision import Decision, Reason, decide
from assay.engines.audit.findings import FindingFacts, finding_reasons
from assay.engines.audit.gaps import Gap, change, gaps, perspective_profile, trend
from assay.engines.audit.model import (
    THREE_I,
    Attribute,
    Band,
    Node,
    Scale,
    Standard,
    scale_problems,
    validate_standard,
)
from assay.engines.audit.sampling import (
    Office,
    Pick,
    Sample,
    SamplingRule,
    draw_sample,
    sample_size,
)
from assay.engines.audit.scoring import (
    AttributeResult,
    NodeResult,
    Results,
    SiteScores,
    display_mean,
    results,
)

__all__ = [
    "THREE_I",
    "Attribute",
    "AttributeResult",
    "Band",
    "Decision",
    "FindingFacts",
    "Gap",
    "Node",
    "NodeResult",
    "Office",
    "Pick",
    "Reason",
    "Results",
    "Sample",
    "SamplingRule",
    "Scale",
    "SiteScores",
    "Standard",
    "bars_svg",
    "change",
    "decide",
    "display_mean",
    "draw_sample",
    "finding_reasons",
    "gaps",
    "perspective_profile",
    "radar_svg",
    "results",
    "sample_size",
    "scale_problems",
    "trend",
    "validate_standard",
]
