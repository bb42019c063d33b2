"""What the audit cycle tells the layers above it (notifications stand above audits). Sent
inside the acts' transactions.

* ``finding_raised(finding, by)``: a finding raised (the organisation's contacts answer a
  nonconformity);
* ``action_changed(action, act, by)``: a corrective action answered, accepted, rejected or
  verified;
* ``fieldwork_closed(report, by)``: the lead auditor submitted the report (the decision makers
  may decide).
"""

from django.dispatch import Signal

finding_raised = Signal()
action_changed = Signal()
fieldwork_closed = Signal()
