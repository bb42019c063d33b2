"""A tiny valid qualification spec for importer and validator tests."""

MINI = """\
format: assay-catalogue/1
kind: qualification
id: mini-qual
version: "1"
title: Mini Qualification
code: MINI-1
awarding_body: Test Body
level: 3
source:
  document: A test document
last_registration: "2014-07-31"
groups:
  - id: core
    name: Core
    mandatory: true
  - id: options
    name: Options
    mandatory: false
units:
  - number: "1"
    title: First unit
    level: 3
    credit: 5
    glh: 30
    group: core
    outcomes:
      - number: "1"
        title: Know things
        criteria:
          - number: "1.1"
            text: explain the first thing
          - number: "1.2"
            text: describe the second thing
    evidence_requirements:
      - number: "1"
        text: "You must provide evidence of working with two of these groups:"
        range:
          select: 2
          items:
            - key: a
              text: front line staff
            - key: b
              text: senior managers
            - key: c
              text: service partners
  - number: "2"
    title: Second unit
    level: 2
    credit: 4
    glh: 20
    group: options
rules:
  - id: mandatory-units
    type: mandatory
    units: ["1"]
    text: Unit 1 is mandatory.
  - id: minimum-credit
    type: at_least
    measure: credit
    value: 9
    text: Minimum credit 9.
"""
