"""The portfolio world (``tests/portfolios/world.py``) for the appeal tests."""

from tests.portfolios.world import world  # noqa: F401  (the fixture)
