"""The web server stays small: heavy libraries load when first used, not when the URLs load
(docs/performance.md; `assay bench upload` measures the server's memory)."""

from __future__ import annotations

import os
import subprocess
import sys

HEAVY = ("highspy", "fpdf", "PIL", "jsonschema", "openpyxl", "pypdf")


def test_loading_every_url_imports_no_heavy_library() -> None:
    code = (
        "import sys, django; django.setup(); import assay.config.urls; "
        f"print(','.join(m for m in {HEAVY!r} if m in sys.modules))"
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "assay.config.settings"}
    done = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    )
    assert done.stdout.strip() == ""
