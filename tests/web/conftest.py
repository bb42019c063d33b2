"""Fixtures for the web pages: the shipped catalogue and the qualification most pages show."""

from __future__ import annotations

import html
from pathlib import Path
from typing import Any

import pytest
from django.http import HttpResponse

from assay.catalogue.models import Qualification
from assay.catalogue.selectors import qualification_get
from tests.web.world import TODAY, World, build_world


@pytest.fixture
def cg4430(catalogue: None) -> Qualification:
    """City & Guilds 4430-04, imported from the library."""
    return qualification_get("4430-04")


@pytest.fixture
def page_text() -> object:
    """The response body with HTML entities decoded, so verbatim texts compare as printed."""

    def decode(response: HttpResponse) -> str:
        return html.unescape(response.content.decode())

    return decode


@pytest.fixture
def world(catalogue: None, settings: Any, tmp_path: Path) -> World:
    """Two centres, a person in every role and two candidates, on the pinned date 01/03/2013;
    evidence files go to a temporary directory."""
    settings.ASSAY_TODAY = TODAY
    settings.MEDIA_ROOT = tmp_path / "media"
    return build_world()
