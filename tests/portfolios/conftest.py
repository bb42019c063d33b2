"""The portfolio world (``tests/portfolios/world.py``) for the portfolio tests."""

from tests.portfolios.world import world  # noqa: F401  (the fixture)
