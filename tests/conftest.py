"""Shared fixtures: the shipped catalogue imported into the test database."""

from __future__ import annotations

import pytest

from assay.catalogue.services import catalogue_import_library


@pytest.fixture
def catalogue(db: None) -> None:
    """The library's specification files, imported."""
    catalogue_import_library()
