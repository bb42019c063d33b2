"""What the claims app tells the apps above it (credentials, membership).

``certificate_issued``: sent on commit of an approval, ``certificate_issued.send(
sender=Certificate, certificate=cert)``. ``certificate_revoked``: sent on commit of a
revocation, ``.send(sender=Certificate, certificate=cert, reason=str)``."""

from django.dispatch import Signal

certificate_issued = Signal()
certificate_revoked = Signal()
