"""The audit world (``tests/audits/world.py``) for the deadline reminders of audits."""

from tests.audits.world import aw  # noqa: F401  (the fixture)
