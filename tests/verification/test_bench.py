"""``assay bench iqa``: builds a year of sign-offs at a centre, draws and times it, and leaves the
database as it was."""

from __future__ import annotations

import re

import pytest
from click.testing import CliRunner

from assay.cli.main import main
from assay.portfolios.models import Decision
from assay.registrations.models import Registration
from assay.verification.models import SampleDraw

pytestmark = pytest.mark.django_db


def test_the_command_draws_and_times_and_rolls_back(catalogue: None) -> None:
    args = ["bench", "iqa", "--candidates", "12", "--assessors", "3", "--verifiers", "2"]
    out = CliRunner().invoke(main, [*args, "--units", "3", "--signed", "2", "--repeat", "1"])
    assert out.exit_code == 0, out.output
    assert "12 candidates, 3 assessors, 2 IVs; 24 units signed off" in out.output
    picks = re.search(r"sample: (\d+) picks, (\d+) unallocated", out.output)
    assert picks and int(picks.group(1)) > 0 and picks.group(2) == "0"
    for step in ("sample_draw (service)", "web centre IQA page", "web IV queue"):
        assert re.search(rf"{re.escape(step)}[^:]*: \d+\.\d+ s, \d+ queries", out.output), step
    assert not SampleDraw.objects.exists() and not Decision.objects.exists()
    assert not Registration.objects.exists()


def test_signed_cannot_exceed_the_planned_units(catalogue: None) -> None:
    out = CliRunner().invoke(main, ["bench", "iqa", "--units", "2", "--signed", "3"])
    assert out.exit_code == 2 and "--signed cannot exceed --units" in out.output
