"""The audit world (``tests/audits/world.py``) for the audit tests."""

from tests.audits.world import aw  # noqa: F401  (the fixture)
