"""Institute of Customer Service membership and progression: pure rules, no Django.

``model`` reads the membership scheme (the catalogue's ``kind: membership`` spec) and the
progression routes into frozen dataclasses; ``grade`` decides the grade a person's achieved
qualifications and units make them eligible for, with every reason (seed 000);
``progression`` says what comes next after a qualification (seed 004's routes, the
4430-04 handbook's section 1.2) and which achieved units would count again (docs/membership.md).
"""
