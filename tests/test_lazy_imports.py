"""The web server stays small: heavy libraries load when first used, not when the URLs load
(docs/performance.md; `assay bench upload` measures the server's memory)."""

from __future__ import annotations

import os
import subprocess
import sys

HEAVY = ("highspy", "fpdf", "PIL", "jsonschema", "openpyxl", "pypdf", "numpy", "pyld", "lxml")


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


def test_deciding_one_plan_imports_no_numpy() -> None:
    """The rules of combination for one plan (every progress page) are plain Python; NumPy
    loads for batch decisions, plan completion and large searches only."""
    code = (
        "import sys\n"
        "from assay.engines.combination.evaluate import evaluate\n"
        "from tests.engines.specs import city_and_guilds_4430_04, edexcel_level_3\n"
        "cg = evaluate(city_and_guilds_4430_04(), ['401', '402', '403', '405', '410', '411'])\n"
        "ed = [u.number for u in edexcel_level_3().units]\n"
        "capped = evaluate(edexcel_level_3(), ed[:8])\n"
        "print(cg.met, bool(capped.summary), 'numpy' in sys.modules)\n"
        "from assay.engines.combination.batch import decide_many\n"
        "print('numpy' in sys.modules)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.split() == ["False", "True", "False", "True"]
