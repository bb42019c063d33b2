"""The membership scheme, achievements and progression routes as typed data.

Titles are compared by ``title_key``: case, punctuation, ``&``/``and`` and spacing do not
matter; words do. Nothing here guesses that two differently worded titles are the same.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

__all__ = [
    "AchievedQualification",
    "AchievedUnit",
    "CatalogueQualification",
    "CatalogueUnit",
    "Grade",
    "Recognised",
    "Route",
    "RouteTarget",
    "Scheme",
    "catalogue_qualification_from",
    "nvq_subject",
    "routes_from",
    "scheme_from",
    "title_key",
]

_NVQ = re.compile(r"\b(?:n/svq|nvq/svq|nvq|svq)\b", re.IGNORECASE)
_SUBJECT = re.compile(r"\bin\s+(?P<subject>.+)$", re.IGNORECASE)


def title_key(title: str) -> str:
    """A title reduced to its words: casefolded, ``&`` read as ``and``, punctuation and
    spacing dropped (``Business & Finance`` = ``business and finance``)."""
    text = unicodedata.normalize("NFKC", title).casefold().replace("&", " and ")
    words = re.findall(r"[^\W_]+", text)
    return " ".join(words)


def nvq_subject(title: str) -> str | None:
    """The subject of an NVQ/SVQ title (``Level 4 NVQ Diploma in Customer Service`` →
    ``customer service``), or None when the title names no NVQ/SVQ with an ``in …``."""
    if not _NVQ.search(title):
        return None
    match = _SUBJECT.search(title)
    return title_key(match.group("subject")) if match else None


@dataclass(frozen=True, slots=True)
class Recognised:
    """One qualification a grade recognises, as the source prints it."""

    title: str
    type: str
    level: int | None = None
    matches: tuple[str, ...] = ()
    note: str = ""

    @property
    def is_nvq(self) -> bool:
        return bool(_NVQ.search(self.type))

    @property
    def subject(self) -> str:
        """What an achieved NVQ/SVQ must be *in* to be this entry: the ``in …`` part of an
        N/SVQ title, or the whole title of a list entry (``Retail Operations``)."""
        return nvq_subject(self.title) or title_key(self.title)


@dataclass(frozen=True, slots=True)
class Grade:
    id: str
    name: str
    rank: int
    recognised: tuple[Recognised, ...]
    min_customer_service_units: int = 0
    condition: str = ""


@dataclass(frozen=True, slots=True)
class Scheme:
    id: str
    version: str
    title: str
    body: str
    grades: tuple[Grade, ...]


def scheme_from(content: Mapping[str, Any]) -> Scheme:
    """The catalogue's membership spec content (already validated) as a Scheme."""
    grades = tuple(
        Grade(
            id=str(g["id"]),
            name=str(g["name"]),
            rank=int(g["rank"]),
            min_customer_service_units=int(g.get("min_customer_service_units") or 0),
            condition=str(g.get("condition") or ""),
            recognised=tuple(
                Recognised(
                    title=str(q["title"]),
                    type=str(q.get("type") or ""),
                    level=int(q["level"]) if q.get("level") is not None else None,
                    matches=tuple(str(m) for m in q.get("matches") or ()),
                    note=str(q.get("note") or ""),
                )
                for q in g["qualifications"]
            ),
        )
        for g in content["grades"]
    )
    return Scheme(
        id=str(content["id"]),
        version=str(content.get("version") or ""),
        title=str(content.get("title") or ""),
        body=str(content.get("body") or ""),
        grades=tuple(sorted(grades, key=lambda g: g.rank)),
    )


@dataclass(frozen=True, slots=True)
class AchievedQualification:
    """A qualification the person has achieved. ``keys`` are the identifiers it is known by
    (catalogue spec id, code); ``how`` says where Assay knows it from."""

    title: str
    level: int | None
    keys: tuple[str, ...] = ()
    type: str = ""
    how: str = ""
    achieved_on: date | None = None

    @property
    def is_nvq(self) -> bool:
        return bool(_NVQ.search(self.type) or _NVQ.search(self.title))

    @property
    def subject(self) -> str:
        return nvq_subject(self.title) or title_key(self.title)

    @property
    def label(self) -> str:
        return self.title if not self.keys else f"{self.title} ({self.keys[-1]})"


@dataclass(frozen=True, slots=True)
class AchievedUnit:
    """A unit the person has achieved (signed off or credited). ``customer_service`` is the
    caller's reading: the unit belongs to a qualification built on the Customer Service NOS."""

    qualification: str
    number: str
    title: str
    code: str = ""
    customer_service: bool = False
    how: str = "signed off"

    @property
    def identity(self) -> str:
        """One unit however many qualifications carry it: its code, else its title."""
        return f"code:{self.code.casefold()}" if self.code else f"title:{title_key(self.title)}"

    @property
    def label(self) -> str:
        return f"{self.qualification} unit {self.number} {self.title}"


@dataclass(frozen=True, slots=True)
class CatalogueUnit:
    number: str
    title: str
    level: int
    code: str = ""
    credit: int | None = None


@dataclass(frozen=True, slots=True)
class CatalogueQualification:
    """A qualification of Assay's catalogue, as progression needs it."""

    spec_id: str
    code: str
    title: str
    level: int
    awarding_body: str
    units: tuple[CatalogueUnit, ...] = ()
    rpl_allowed: bool = False

    @property
    def subject(self) -> str | None:
        return nvq_subject(self.title)


@dataclass(frozen=True, slots=True)
class RouteTarget:
    """A qualification a route names, as printed; ``kind``/``subject``/``level`` let Assay
    find it in its own catalogue (an NVQ in the same subject at the same level)."""

    title: str
    level: int | None
    kind: str = ""
    subject: str = ""


@dataclass(frozen=True, slots=True)
class Route:
    """Where a source says a qualification leads. ``from_spec`` names catalogue spec ids,
    or ``from_subject`` and ``from_level`` describe the NVQs the source is about."""

    id: str
    source: str
    quote: str
    targets: tuple[RouteTarget, ...]
    from_spec: tuple[str, ...] = ()
    from_subject: str = ""
    from_level: int | None = None
    from_awarding_body: str = ""
    employment: str = ""


def _target(raw: Mapping[str, Any]) -> RouteTarget:
    title = str(raw["title"])
    level = raw.get("level")
    return RouteTarget(
        title=title,
        level=int(level) if level is not None else None,
        kind=str(raw.get("kind") or ""),
        subject=title_key(str(raw["subject"])) if raw.get("subject") else "",
    )


def routes_from(content: Mapping[str, Any]) -> tuple[Route, ...]:
    """The progression routes file (``membership/progression.yaml``) as Routes."""
    out: list[Route] = []
    for raw in content["routes"]:
        frm: Mapping[str, Any] = raw["from"]
        targets: Sequence[Mapping[str, Any]] = raw["to"]
        out.append(
            Route(
                id=str(raw["id"]),
                source=str(raw["source"]),
                quote=str(raw.get("quote") or ""),
                targets=tuple(_target(t) for t in targets),
                from_spec=tuple(str(s) for s in frm.get("spec") or ()),
                from_subject=title_key(str(frm["subject"])) if frm.get("subject") else "",
                from_level=int(frm["level"]) if frm.get("level") is not None else None,
                from_awarding_body=str(frm.get("awarding_body") or ""),
                employment=str(raw.get("employment") or ""),
            )
        )
    return tuple(out)


def catalogue_qualification_from(
    content: Mapping[str, Any], prior_learning: Mapping[str, str] | None = None
) -> CatalogueQualification:
    """A catalogue qualification spec's content (already validated) as progression needs it."""
    spec_id = str(content["id"])
    return CatalogueQualification(
        spec_id=spec_id,
        code=str(content["code"]),
        title=str(content["title"]),
        level=int(content["level"]),
        awarding_body=str(content.get("awarding_body") or ""),
        units=tuple(
            CatalogueUnit(
                number=str(u["number"]),
                title=str(u["title"]),
                level=int(u["level"]),
                code=str(u.get("code") or ""),
                credit=int(u["credit"]) if u.get("credit") is not None else None,
            )
            for u in content.get("units") or ()
        ),
        rpl_allowed=spec_id in (prior_learning or {}),
    )
