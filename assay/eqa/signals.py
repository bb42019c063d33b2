"""What external verification tells the layers above it (notifications stand above EQA: the
registration refusals that EQA's sanctions drive sit between them). Sent inside the acts'
transactions.

* ``visit_recorded(visit, points, by)``: a visit planned or done, with its new action points;
* ``sanction_changed(sanction, by, lifted)``: a sanction applied or lifted.
"""

from django.dispatch import Signal

visit_recorded = Signal()
sanction_changed = Signal()
