"""The assessor's unit screen as one typed read model: criterion cards with only the evidence
mapped or proposed for this unit, the files that can be previewed inline, the assessor's
declaration and the sign-off and reopening history.

Built by ``unit_screen`` in a fixed number of queries whatever the size of the portfolio (the
page, the htmx card swaps and the API's declaration read use it). The evidence comes a page at
a time (``cursor``, issue 12): the cards list the mappings of that page's items and count the
rest from the aggregated coverage.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.core.files import File
from django.db.models import Exists, OuterRef, Prefetch

from assay.centres.permissions import can_change_status
from assay.engines.coverage import CriterionState, UnitCoverage, unit_statements
from assay.errors import NotAllowed, NotFound
from assay.files.digest import text_sha256
from assay.files.storage import open_evidence
from assay.keyset import Page, paginate
from assay.portfolios.assessment import person_name, sign_off_declaration
from assay.portfolios.coverage import registration_coverage, unit_spec
from assay.portfolios.models import (
    CriterionMapping,
    Decision,
    DecisionKind,
    EvidenceFile,
    EvidenceItem,
    MappingStatus,
)
from assay.portfolios.selectors import decisions_of_kinds, standing_rejections
from assay.portfolios.services import is_assessor_of
from assay.registrations.models import Registration
from assay.registrations.selectors import credited_units, registration_get
from assay.users import User

# Media types a browser shows safely inside the page (no SVG or HTML: they can run script).
PREVIEWS = {
    "application/pdf": "pdf",
    "image/jpeg": "image",
    "image/png": "image",
    "image/gif": "image",
    "image/webp": "image",
    "audio/mpeg": "audio",
    "audio/mp4": "audio",
    "audio/x-wav": "audio",
    "audio/wav": "audio",
    "audio/ogg": "audio",
    "video/mp4": "video",
    "video/webm": "video",
}


def preview_kind(media_type: str) -> str | None:
    """ "pdf", "image", "audio" or "video" when the file may be shown inline, else None."""
    return PREVIEWS.get(media_type.split(";")[0].strip().lower())


@dataclass
class Judged:
    met: bool
    feedback: str
    by: str
    at: str
    decision: int = 0  # the judgement's record (the candidate may appeal it)


@dataclass
class CriterionCard:
    """One criterion (or range item) with its evidence and latest judgement."""

    target: str
    kind: str
    text: str
    state: CriterionState | None
    judged: Judged | None
    mappings: list[CriterionMapping] = field(default_factory=list)
    rejections: dict[int, str] = field(default_factory=dict)

    @property
    def evidence(self) -> list[tuple[CriterionMapping, str]]:
        """Each mapping with the reason of its rejection ("" unless rejected)."""
        return [(m, self.rejections.get(m.pk, "")) for m in self.mappings]

    @property
    def anchor(self) -> str:
        """An id usable in CSS selectors (htmx targets): "1.1" → "criterion-1-1"."""
        return "criterion-" + self.target.replace(".", "-")

    @property
    def judgeable(self) -> bool:
        return self.kind != "range"

    confirmed: bool = False  # any confirmed mapping, on this page of evidence or another

    @property
    def has_confirmed(self) -> bool:
        return self.confirmed or any(m.status == MappingStatus.CONFIRMED for m in self.mappings)


@dataclass
class ItemView:
    """An evidence item mapped or proposed for the unit, its files and its open proposals."""

    item: EvidenceItem
    files: list[tuple[EvidenceFile, str | None]]
    proposals: int

    @property
    def anchor(self) -> str:
        return f"item-{self.item.pk}"


@dataclass
class HistoryLine:
    kind: str
    by: str
    at: str
    reason: str


@dataclass
class UnitScreen:
    registration: Registration
    unit: str
    title: str
    coverage: UnitCoverage
    signed_off: bool
    seq: int
    can_assess: bool
    can_reopen: bool
    cards: list[CriterionCard]
    items: Page[ItemView]
    history: list[HistoryLine]
    declaration: str
    credited: bool = False  # a unit without content, achieved by credit transfer (ADR 0010)
    sign_off: int | None = None  # the standing sign-off's record (the candidate may appeal it)

    @property
    def percent(self) -> int:
        return round(self.coverage.progress * 100)

    @property
    def declaration_sha256(self) -> str:
        return text_sha256(self.declaration)

    @property
    def meetable(self) -> list[CriterionCard]:
        """Criteria with confirmed evidence not yet judged met: the bulk "met" choices."""
        return [
            c
            for c in self.cards
            if c.judgeable and c.has_confirmed and not (c.judged and c.judged.met)
        ]


def _names(decisions: list[Decision]) -> dict[int, str]:
    return {d.actor_id: person_name(d.actor) for d in decisions}


EVIDENCE_ORDER = ("started_on", "pk")


def unit_screen(
    user: User,
    registration_pk: int,
    unit: str,
    cursor: str | None = None,
    size: int | str | None = None,
) -> UnitScreen | None:
    """The unit screen of a registration the user may see (NotFound otherwise); None when
    ``unit`` is not on its learning plan. The evidence mapped or proposed for the unit comes
    a page at a time (``cursor``, ``size``; a bad cursor raises InvalidInput)."""
    registration = registration_get(user, registration_pk)
    coverage = registration_coverage(registration).get(unit)
    if coverage is None:
        return None
    spec = unit_spec(registration, unit)
    # This unit's judgements, sign-offs and reopenings; not the confirmations, which grow
    # with the portfolio (a standing rejection's reason is read from standing_rejections).
    mapping_kinds = (DecisionKind.MAPPING_CONFIRMED, DecisionKind.MAPPING_REJECTED)
    decisions = decisions_of_kinds(
        registration, [k for k in DecisionKind if k not in mapping_kinds], unit_number=unit
    )
    last = (
        Decision.objects.filter(registration=registration)
        .order_by("-seq")
        .values_list("seq", flat=True)
        .first()
    )
    names = _names(decisions)
    judged: dict[str, Judged] = {}
    history: list[HistoryLine] = []
    signed = False
    sign_off: int | None = None
    for d in decisions:
        at = d.at[:16].replace("T", " ")
        if d.kind == DecisionKind.CRITERION_JUDGED:
            p: dict[str, Any] = d.payload
            judged[p["criterion"]] = Judged(
                bool(p["met"]), p.get("feedback", ""), names[d.actor_id], at, d.pk
            )
        elif d.kind in (DecisionKind.UNIT_SIGNED_OFF, DecisionKind.UNIT_REOPENED):
            signed = d.kind == DecisionKind.UNIT_SIGNED_OFF
            sign_off = d.pk if signed else None
            history.append(
                HistoryLine(
                    d.get_kind_display(), names[d.actor_id], at, d.payload.get("reason", "")
                )
            )
    mapped = CriterionMapping.objects.filter(item__registration=registration, unit_number=unit)
    items = paginate(
        # Walked in page order along the registration's items, each kept when it has a
        # mapping to the unit: a page reads about a page of items, not every mapping.
        EvidenceItem.objects.filter(
            Exists(CriterionMapping.objects.filter(item_id=OuterRef("pk"), unit_number=unit)),
            registration=registration,
        ).prefetch_related(
            "files",
            # By the page's item ids alone, in each item's order: joined to the registration
            # (and ordered through it) SQLite would walk every item of the registration.
            Prefetch(
                "mappings",
                queryset=CriterionMapping.objects.filter(unit_number=unit).order_by(
                    "unit_number", "target", "pk"
                ),
                to_attr="unit_mappings",
            ),
        ),
        EVIDENCE_ORDER,
        cursor,
        size,
    )
    # Criteria with a confirmed mapping: the coverage counts them, unless some confirmed
    # evidence is from a context the unit does not accept (then the rows say).
    if coverage.context_problems:
        confirmed = set(
            mapped.filter(status=MappingStatus.CONFIRMED)
            .values_list("target", flat=True)
            .distinct()
            .order_by()
        )
    else:
        confirmed = {c.number for c in coverage.criteria if c.evidenced}
    by_target: dict[str, list[CriterionMapping]] = {}
    views = []
    for item in items:
        mine = list(item.unit_mappings)  # type: ignore[attr-defined]
        for m in mine:
            m.item = item  # the card shows the item; no query per mapping
            by_target.setdefault(m.target, []).append(m)
        files = [(f, preview_kind(f.media_type)) for f in item.files.all()]
        views.append(ItemView(item, files, sum(m.status == MappingStatus.PROPOSED for m in mine)))
    # The reasons of the rejections this page shows, not of every rejection in the portfolio.
    shown = [m.pk for ms in by_target.values() for m in ms if m.status == MappingStatus.REJECTED]
    rejected = {
        pk: d.payload.get("reason", "")
        for pk, d in standing_rejections(registration, shown).items()
    }
    states = {c.number: c for c in coverage.criteria}
    cards = [
        CriterionCard(
            s.target,
            s.kind,
            s.text,
            states.get(s.target),
            judged.get(s.target),
            by_target.get(s.target, []),
            rejected,
            s.target in confirmed,
        )
        for s in unit_statements(spec)
    ]
    return UnitScreen(
        registration=registration,
        unit=unit,
        title=str(spec.get("title", "")),
        coverage=coverage,
        signed_off=signed,
        seq=last or 0,
        # A unit without content is not assessed here (ADR 0010): no acts, only its notice.
        can_assess=coverage.assessable and is_assessor_of(user, registration, unit),
        can_reopen=can_change_status(user, registration.centre),
        cards=cards,
        items=Page(views, items.next, items.previous, items.size),
        history=history,
        declaration=sign_off_declaration(user, registration, unit),
        credited=not coverage.assessable and unit in credited_units(registration),
        sign_off=sign_off,
    )


def evidence_file_preview(
    user: User, registration_pk: int, unit: str, file_pk: int
) -> tuple[EvidenceFile, File]:
    """A file of evidence mapped to ``unit``, opened for showing inline: only for the unit's
    assessor and those who may reopen it (lead IQA, centre administrator), only for media types
    a browser shows safely. Others who may see the portfolio download it as an attachment."""
    registration = registration_get(user, registration_pk)
    row = (
        EvidenceFile.objects.filter(
            pk=file_pk, item__registration=registration, item__mappings__unit_number=unit
        )
        .distinct()
        .first()
    )
    if row is None:
        raise NotFound(f"no evidence file {file_pk} for unit {unit}")
    if not (
        is_assessor_of(user, registration, unit) or can_change_status(user, registration.centre)
    ):
        raise NotAllowed("only the unit's assessor or a lead IQA previews evidence here")
    if preview_kind(row.media_type) is None:
        raise NotFound(f"{row.original_name} cannot be shown inline; download it")
    return row, open_evidence(row.storage_name)


def unit_declaration(user: User, registration_pk: int, unit: str) -> str:
    """The declaration the unit's assessor signs with its sign-off (only they may read it as
    theirs: the text names the signer)."""
    registration = registration_get(user, registration_pk)
    if not is_assessor_of(user, registration, unit):
        raise NotAllowed(f"only the assessor of unit {unit} on this plan signs its declaration")
    return sign_off_declaration(user, registration, unit)
