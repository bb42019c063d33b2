"""A tiny valid audit standard for importer and validator tests."""

from __future__ import annotations

MINI = """\
format: assay-standard/1
code: mini
version: 1
title: Mini standard
illustrative: true
notice: written for a test
scale:
  bands:
  - {key: low, label: Low, low: 0, high: 4, description: not yet}
  - {key: high, label: High, low: 5, high: 10, description: done}
  failing_bands: [low]
nodes:
- code: A
  title: Area A
  level: perspective
  attributes:
  - {code: A1, title: One, category: mandatory}
  - {code: A2, title: Two, category: desirable}
"""
