"""JSON-LD for credentials without the network: a document loader that serves only the
contexts bundled in ``contexts/`` (see ``contexts/SOURCES.txt``) and RDFC-1.0 canonicalisation
through ``pyld``.

Any other context URL is refused with :class:`UnknownContext`; a property that no context
defines is refused with :class:`UndefinedTerm` instead of being silently dropped (a dropped
property would not be signed, so it could be changed without breaking the proof).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from functools import cache
from importlib import resources
from typing import Any

__all__ = [
    "CONTEXTS",
    "CREDENTIALS_V2",
    "OB_V3P0",
    "CanonicalisationError",
    "TooComplex",
    "UndefinedTerm",
    "UnknownContext",
    "canonicalize",
    "load_document",
]

CREDENTIALS_V2 = "https://www.w3.org/ns/credentials/v2"
OB_V3P0 = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"

#: Context URL -> bundled file. Nothing else is ever loaded.
CONTEXTS: Mapping[str, str] = {
    CREDENTIALS_V2: "credentials-v2.json",
    OB_V3P0: "ob-v3p0-context-3.0.3.json",
}


class CanonicalisationError(ValueError):
    """The document cannot be turned into canonical N-Quads; the message says why."""


class UnknownContext(CanonicalisationError):
    """A ``@context`` URL that is not bundled with Assay (never fetched)."""

    def __init__(self, url: str) -> None:
        self.url = url
        super().__init__(
            f"unknown JSON-LD context {url!r}: only the bundled contexts are used "
            f"({', '.join(sorted(CONTEXTS))}); nothing is fetched from the network"
        )


class UndefinedTerm(CanonicalisationError):
    """A property no context defines: it would be dropped, and so not signed."""

    def __init__(self, term: str | None) -> None:
        self.term = term
        super().__init__(
            f"property {term!r} is not defined by the credential's contexts, so it would not "
            "be covered by the signature"
        )


@cache
def _context_text(filename: str) -> str:
    return (resources.files(__package__) / "contexts" / filename).read_text(encoding="utf-8")


def load_document(url: str, options: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """The pyld document loader: a bundled context, or :class:`UnknownContext`."""
    filename = CONTEXTS.get(url)
    if filename is None:
        raise UnknownContext(url)
    return {
        "contextUrl": None,
        "documentUrl": url,
        "document": json.loads(_context_text(filename)),
    }


def _refuse_dropped(term: str | None, *args: object, **kwargs: object) -> None:
    raise UndefinedTerm(term)


def _cause(error: BaseException) -> CanonicalisationError | None:
    seen: BaseException | None = error
    while seen is not None:
        if isinstance(seen, CanonicalisationError):
            return seen
        details = getattr(seen, "details", None)
        if isinstance(details, Mapping):
            for value in details.values():
                if isinstance(value, CanonicalisationError):
                    return value
        seen = seen.__cause__ or seen.__context__
    return None


@cache
def _resolver() -> Any:
    """One context resolver for the process, fed only by :func:`load_document`: a context is
    parsed once, and nothing resolved elsewhere in the process (pyld's global cache) is used."""
    from cachetools import LRUCache
    from pyld.context_resolver import ContextResolver

    return ContextResolver(LRUCache(maxsize=64), load_document)


#: Work bounds for RDFC-1.0 on untrusted input (anyone may paste a credential): blank nodes
#: that look alike make the algorithm try every permutation of them (a "poison graph"). Assay's
#: own credentials need a handful of steps; anything past these bounds is refused.
MAX_N_DEGREE_CALLS = 2_000
MAX_ALIKE_RELATED = 6


class TooComplex(CanonicalisationError):
    """A document whose anonymous parts look alike beyond what canonicalisation is allowed."""

    def __init__(self) -> None:
        super().__init__(
            "the credential has too many anonymous parts that look alike to be canonicalised "
            "safely; Assay's credentials never do"
        )


def _bounded_canonicaliser() -> Any:
    from pyld.canon import URDNA2015

    class Bounded(URDNA2015):
        def __init__(self) -> None:
            super().__init__()
            self.n_degree_calls = 0

        def create_hash_to_related(self, id_: str, issuer: Any) -> dict[str, list[str]]:
            self.n_degree_calls += 1
            if self.n_degree_calls > MAX_N_DEGREE_CALLS:
                raise TooComplex()
            related: dict[str, list[str]] = super().create_hash_to_related(id_, issuer)
            if any(len(nodes) > MAX_ALIKE_RELATED for nodes in related.values()):
                raise TooComplex()
            return related

    return Bounded()


def canonicalize(document: Mapping[str, Any]) -> str:
    """RDFC-1.0 canonical N-Quads of a JSON-LD document (pyld's URDNA2015, whose output is
    RDFC-1.0's), using only the bundled contexts and bounded work."""
    # pyld (with requests and lxml) loads on first use, not when the web URLs load.
    from pyld import jsonld

    processor = jsonld.JsonLdProcessor(on_property_dropped=_refuse_dropped)
    options = {
        "documentLoader": load_document,
        "contextResolver": _resolver(),
        "safe": True,
        "produceGeneralizedRdf": False,
    }
    try:
        dataset = processor.to_rdf(dict(document), options)
        result = _bounded_canonicaliser().main(dataset, {"format": "application/n-quads"})
    except CanonicalisationError:
        raise
    except RecursionError as error:
        raise CanonicalisationError("the document is nested too deeply") from error
    except Exception as error:  # pyld wraps everything in JsonLdError
        cause = _cause(error)
        if cause is not None:
            raise cause from error
        raise CanonicalisationError(f"not valid JSON-LD: {error}") from error
    if not isinstance(result, str):
        raise CanonicalisationError("canonicalisation did not produce N-Quads")
    return result
