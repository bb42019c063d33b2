"""Schemas of the people and sites endpoints: A/V unit records, CPD entries, sites."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Literal

from ninja import Schema
from pydantic import Field

CompetenceRoleName = Literal["assessor", "internal_verifier", "external_verifier"]


class CompetenceIn(Schema):
    role: CompetenceRoleName = Field(description="An external verifier's: the awarding body only")
    av_unit: str = Field(max_length=64, description="e.g. A1, V1, TAQA Assessor award")
    started_on: dt.date = Field(description="Started working with the standards")
    achieved_on: dt.date | None = None


class AchievedIn(Schema):
    achieved_on: dt.date


class CpdIn(Schema):
    on: dt.date = Field(description="Not after today")
    hours: Decimal = Field(description="More than 0, to one decimal place")
    activity: str = Field(max_length=20000)


class SiteIn(Schema):
    name: str = Field(max_length=200)
    address: str = Field("", max_length=2000)
