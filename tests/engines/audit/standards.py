"""Small standards and hypothesis strategies for the audit engine tests."""

from __future__ import annotations

from datetime import date

from hypothesis import strategies as st

from assay.engines.audit import THREE_I, Attribute, Node, Office, Standard

PERSPECTIVES = (
    ("S", "Service"),
    ("F", "Financial"),
    ("O", "Operational"),
    ("L", "Learning and Growth"),
)


def small_standard() -> Standard:
    """The seed's shape in miniature: 4 perspectives × 3 elements × 2 attributes, the first
    attribute of each element mandatory, the second desirable (24 attributes, 12 mandatory)."""
    nodes: list[Node] = []
    attributes: list[Attribute] = []
    for code, title in PERSPECTIVES:
        nodes.append(Node(code, title, None, "perspective"))
        for e in range(1, 4):
            element = f"{code}{e}"
            nodes.append(Node(element, f"{title} element {e}", code, "element"))
            attributes.append(Attribute(f"{element}.1", f"{title} {e} core", element, True))
            attributes.append(Attribute(f"{element}.2", f"{title} {e} extra", element, False))
    return Standard("ICSS-DEMO", 1, "Illustrative ICSS", THREE_I, tuple(nodes), tuple(attributes))


def forty_standard() -> Standard:
    """The bench's shape: 4 perspectives × 3 elements, 40 attributes (every third desirable)."""
    nodes: list[Node] = []
    for code, title in PERSPECTIVES:
        nodes.append(Node(code, title, None, "perspective"))
        nodes.extend(Node(f"{code}{e}", f"{title} {e}", code, "element") for e in range(1, 4))
    elements = [n.code for n in nodes if n.parent is not None]
    attributes = tuple(
        Attribute(f"A{i:02d}", f"Attribute {i}", elements[i % len(elements)], i % 3 != 0)
        for i in range(40)
    )
    return Standard("ICSS-40", 1, "Forty", THREE_I, tuple(nodes), attributes)


def everywhere(standard: Standard, sites: list[str], score: int) -> dict[str, dict[str, int]]:
    """Every attribute scored ``score`` at every site."""
    return {site: {a.code: score for a in standard.attributes} for site in sites}


def offices_in(counts: dict[str, int], **extra: object) -> list[Office]:
    """A main office plus ``counts[state]`` other offices per state, ids "<state>-main" and
    "<state>-01"…; complaints vary so the risk ranking has something to rank."""
    offices: list[Office] = []
    for state, x in counts.items():
        offices.append(Office(f"{state}-main", f"{state} main office", state, True))
        offices.extend(
            Office(f"{state}-{i:02d}", f"{state} office {i}", state, False, complaints=i % 5)
            for i in range(1, x + 1)
        )
    return offices


STATES = ("ACT", "NSW", "NT", "QLD", "SA", "TAS", "VIC", "WA")
TODAY = date(2013, 3, 1)


@st.composite
def standards(draw: st.DrawFn) -> Standard:
    """A random valid standard: 1–4 top nodes, optionally a level of elements below each,
    1–3 attributes per leaf node, at least one mandatory attribute."""
    nodes: list[Node] = []
    attributes: list[Attribute] = []
    deep = draw(st.booleans())
    for p in range(draw(st.integers(1, 4))):
        top = f"P{p}"
        nodes.append(Node(top, f"Perspective {p}", None, "perspective"))
        leaves = [top]
        if deep:
            leaves = [f"{top}E{e}" for e in range(draw(st.integers(1, 3)))]
            nodes.extend(Node(leaf, f"Element {leaf}", top, "element") for leaf in leaves)
        for leaf in leaves:
            for a in range(draw(st.integers(1, 3))):
                attributes.append(
                    Attribute(f"{leaf}.{a}", f"Attribute {leaf}.{a}", leaf, draw(st.booleans()))
                )
    if not any(a.mandatory for a in attributes):
        first = attributes[0]
        attributes[0] = Attribute(first.code, first.title, first.parent, True)
    return Standard("RND", 1, "Random", THREE_I, tuple(nodes), tuple(attributes))


@st.composite
def audits(draw: st.DrawFn) -> tuple[Standard, list[str], dict[str, dict[str, int]]]:
    """A standard, 1–4 required sites and scores: mostly passing, some at Intention, some
    missing, so both certifiable and refused cases are common."""
    standard = draw(standards())
    sites = [f"site{i}" for i in range(draw(st.integers(1, 4)))]
    score = st.one_of(st.none(), st.integers(0, 10), st.integers(3, 10), st.integers(3, 10))
    scores: dict[str, dict[str, int]] = {}
    for site in sites:
        row = {a.code: draw(score) for a in standard.attributes}
        scores[site] = {code: s for code, s in row.items() if s is not None}
    return standard, sites, scores


_RISK = st.tuples(
    st.integers(0, 3),
    st.one_of(st.none(), st.integers(0, 10).map(float)),
    st.one_of(st.none(), st.dates(date(2005, 1, 1), TODAY)),
)


@st.composite
def office_lists(draw: st.DrawFn) -> list[Office]:
    """1–8 states, each with exactly one main office and 0–16 others with random risk data."""
    offices: list[Office] = []
    for state in draw(st.lists(st.sampled_from(STATES), min_size=1, max_size=8, unique=True)):
        offices.append(Office(f"{state}-main", state, state, True))
        for i, (complaints, score, visited) in enumerate(draw(st.lists(_RISK, max_size=16))):
            offices.append(
                Office(f"{state}-{i}", f"{state} {i}", state, False, complaints, score, visited)
            )
    return offices
