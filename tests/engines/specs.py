"""Hand-built specs mirroring two real qualifications, for engine tests."""

from __future__ import annotations

from assay.engines.combination.model import (
    AtLeast,
    AtMost,
    EachGroup,
    Mandatory,
    Measure,
    Spec,
    Unit,
    Where,
)

THEMES = ("impression-and-image", "delivery", "handling-problems", "development-and-improvement")

_CG_UNITS: dict[str, list[tuple[str, int, int, int]]] = {
    "mandatory": [("401", 4, 10, 65), ("402", 4, 10, 65)],
    "impression-and-image": [
        ("303", 3, 6, 40), ("304", 3, 8, 53), ("305", 3, 7, 47), ("306", 3, 7, 47),
        ("403", 4, 10, 67), ("404", 4, 11, 73),
    ],
    "delivery": [
        ("307", 3, 6, 40), ("308", 3, 6, 40), ("309", 3, 7, 47), ("405", 4, 8, 53),
        ("406", 4, 10, 67), ("407", 4, 8, 53), ("408", 4, 8, 53), ("409", 4, 8, 53),
    ],
    "handling-problems": [
        ("310", 3, 6, 40), ("311", 3, 10, 67), ("312", 3, 6, 40), ("410", 4, 10, 67),
    ],
    "development-and-improvement": [
        ("313", 3, 8, 53), ("314", 3, 7, 47), ("315", 3, 8, 53), ("316", 3, 7, 47),
        ("317", 3, 10, 67), ("318", 3, 7, 47), ("411", 4, 10, 67), ("412", 4, 9, 60),
        ("413", 4, 11, 73), ("414", 4, 7, 47), ("415", 4, 11, 73), ("416", 4, 11, 73),
        ("417", 4, 7, 47),
    ],
}  # fmt: skip


def city_and_guilds_4430_04() -> Spec:
    """Level 4 Diploma in Customer Service: 67 credits, 35 at level 4, a unit from each group."""
    units = tuple(
        Unit(number, level, group, credit, glh, mandatory=group == "mandatory")
        for group, rows in _CG_UNITS.items()
        for number, level, credit, glh in rows
    )
    rules = (
        Mandatory("m", "Both mandatory units", ("401", "402")),
        AtLeast("total", "At least 67 credits", Measure.CREDIT, 67),
        AtLeast("l4", "At least 35 credits at level 4", Measure.CREDIT, 35, Where(min_level=4)),
        EachGroup("groups", "At least one unit from each optional group", Measure.UNITS, 1, THEMES),
    )
    return Spec("4430-04", units, rules)


_EDEXCEL_UNITS: dict[str, list[tuple[str, int]]] = {
    "impression-and-image": [("13", 2), ("14", 2), ("15", 2), ("18", 3), ("19", 3)],
    "delivery": [("22", 2), ("23", 2), ("24", 3), ("25", 3), ("26", 3)],
    "handling-problems": [("32", 3), ("33", 3), ("34", 3)],
    "development-and-improvement": [("39", 3), ("40", 3), ("41", 3), ("42", 3), ("43", 3)],
}


def edexcel_level_3() -> Spec:
    """Edexcel Level 3: two mandatory units, six options (a theme each), at most three at L2."""
    units = [
        Unit("7", 3, "foundations", mandatory=True),
        Unit("8", 3, "foundations", mandatory=True),
    ]
    units += [
        Unit(number, level, theme)
        for theme, rows in _EDEXCEL_UNITS.items()
        for number, level in rows
    ]
    rules = (
        Mandatory("m", "Units 7 and 8", ("7", "8")),
        AtLeast("options", "At least six optional units", Measure.UNITS, 6, Where(mandatory=False)),
        EachGroup("themes", "At least one unit from each theme", Measure.UNITS, 1, THEMES),
        AtMost("l2", "At most three Level 2 units", Measure.UNITS, 3, Where(level=2)),
    )
    return Spec("edexcel-l3", tuple(units), rules)
