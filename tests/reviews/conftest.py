"""The web world (tests/web/world.py) for plans and reviews: Dan is assessed by Alice on unit
401, verified by Ian, employed by Ed; the clock is pinned to 01/03/2013."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.web.conftest import page_text  # noqa: F401  (the web pages' fixture)
from tests.web.world import TODAY, World, build_world


@pytest.fixture
def world(catalogue: None, settings: Any, tmp_path: Path) -> World:
    settings.ASSAY_TODAY = TODAY
    settings.MEDIA_ROOT = tmp_path / "media"
    return build_world()
