"""Fixtures for the web pages: the shipped catalogue and the qualification most pages show."""

from __future__ import annotations

import pytest

from assay.catalogue.models import Qualification
from assay.catalogue.selectors import qualification_get


@pytest.fixture
def cg4430(catalogue: None) -> Qualification:
    """City & Guilds 4430-04, imported from the library."""
    return qualification_get("4430-04")
