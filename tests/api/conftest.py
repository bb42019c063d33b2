"""Fixtures for the API tests."""

from __future__ import annotations

from typing import Any

import pytest


@pytest.fixture
def media(settings: Any, tmp_path: Any) -> None:
    """Evidence files go to a throwaway directory."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.FILE_UPLOAD_TEMP_DIR = None
