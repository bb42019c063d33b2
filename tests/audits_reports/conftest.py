"""The audit world of tests/audits (built through the services) for the stored-data tests."""

from tests.audits.world import aw  # noqa: F401  (re-exported fixture)
