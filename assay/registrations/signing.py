"""What every signing event records besides who and when: the fingerprint of the exact text
signed (``files.digest.text_sha256``) and where the signature came from (IP address, browser).

Shared by the registration documents (induction, learning contract) and by assessment plans
and reviews, so both read request metadata the same way.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.http import HttpRequest

USER_AGENT_MAX = 300


@dataclass(frozen=True, slots=True)
class Origin:
    """Where a signature came from; the user agent is cut to the stored length."""

    ip_address: str | None = None
    user_agent: str = ""

    def __post_init__(self) -> None:
        object.__setattr__(self, "user_agent", self.user_agent[:USER_AGENT_MAX])


def origin_of(request: HttpRequest) -> Origin:
    """The request's remote address and User-Agent header (web page or API call alike)."""
    return Origin(
        ip_address=request.META.get("REMOTE_ADDR") or None,
        user_agent=request.headers.get("User-Agent", ""),
    )
