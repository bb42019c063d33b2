"""How many threads the BLAS behind NumPy uses for a product, and setting it.

``assay bench rules`` reports it beside its figures: the products of the batch decisions (and
of the credit-sum floor) run in the BLAS's threads, the element-wise steps on one. NumPy has no
public call for this, so the loaded OpenBLAS is asked directly through ``ctypes`` (the symbol
names of NumPy's bundled ``scipy_openblas`` and of a system OpenBLAS); any other BLAS answers
"unknown".
"""

from __future__ import annotations

import contextlib
import ctypes
from pathlib import Path

_GET = (
    "scipy_openblas_get_num_threads64_",
    "openblas_get_num_threads64_",
    "scipy_openblas_get_num_threads",
    "openblas_get_num_threads",
)
_SET = (
    "scipy_openblas_set_num_threads64_",
    "openblas_set_num_threads64_",
    "scipy_openblas_set_num_threads",
    "openblas_set_num_threads",
)


def _openblas() -> ctypes.CDLL | None:
    """The OpenBLAS NumPy has loaded in this process, if any."""
    import numpy  # noqa: F401  (loads the BLAS)

    with contextlib.suppress(OSError):
        for line in Path("/proc/self/maps").read_text().splitlines():
            path = line.split()[-1] if len(line.split()) >= 6 else ""
            if "openblas" in Path(path).name.lower():
                with contextlib.suppress(OSError):
                    return ctypes.CDLL(path)
    return None


def _function(names: tuple[str, ...]) -> ctypes._CFuncPtr | None:  # type: ignore[name-defined]
    library = _openblas()
    if library is None:
        return None
    for name in names:
        with contextlib.suppress(AttributeError):
            return getattr(library, name)
    return None


def blas_threads() -> int | None:
    """Threads OpenBLAS uses for a product; None when that cannot be asked."""
    get = _function(_GET)
    return None if get is None else int(get())


def set_blas_threads(count: int) -> bool:
    """Use ``count`` threads for products from now on; False when that cannot be set."""
    set_ = _function(_SET)
    if set_ is None:
        return False
    set_(ctypes.c_int(count))
    return blas_threads() == count
