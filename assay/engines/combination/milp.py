"""A small 0/1 program on HiGHS with lexicographic objectives and deterministic tie-breaking.

Both the evaluator (when too many units compete under a cap to enumerate) and the planner need
"best by A, then by B, then prefer earlier units": each objective is solved to proven optimality
and then pinned as a constraint before the next, so ties are settled by rule, not by the solver.
"""

from __future__ import annotations

import os
import sys
import threading
from collections.abc import Sequence

import highspy
import numpy as np
import numpy.typing as npt

Floats = npt.NDArray[np.float64]
Bools = npt.NDArray[np.bool_]
_INF = highspy.kHighsInf
_first = threading.Lock()
_quiet = False


def _highs() -> highspy.Highs:
    """A solver; the first one in a process is built with stdout muted, because HiGHS prints
    its banner there at the C level (it would corrupt a CLI's JSON output)."""
    global _quiet
    with _first:
        if _quiet:
            return highspy.Highs()  # type: ignore[no-untyped-call, unused-ignore]
        _quiet = True
        sys.stdout.flush()
        try:
            saved = os.dup(1)
        except OSError:
            return highspy.Highs()  # type: ignore[no-untyped-call, unused-ignore]
        try:
            with open(os.devnull, "w") as null:
                os.dup2(null.fileno(), 1)
                return highspy.Highs()  # type: ignore[no-untyped-call, unused-ignore]
        finally:
            os.dup2(saved, 1)
            os.close(saved)


class BinaryProgram:
    """Binary variables, dense rows ``lo <= a.x <= hi``; built up, then solved."""

    def __init__(self, n: int) -> None:
        self.n = n
        self._rows: list[tuple[Floats, float, float]] = []
        self._upper = np.ones(n)

    def add(self, coef: npt.ArrayLike, lo: float = -_INF, hi: float = _INF) -> None:
        """Add a row; coefficients are one per variable."""
        self._rows.append((np.asarray(coef, dtype=np.float64), lo, hi))

    def forbid(self, j: int) -> None:
        """Fix variable ``j`` to 0."""
        self._upper[j] = 0.0

    def _model(self) -> highspy.Highs:
        h = _highs()
        for option, value in (
            ("output_flag", False),
            ("mip_rel_gap", 0.0),
            ("mip_abs_gap", 1e-9),
            ("threads", 1),
        ):
            h.setOptionValue(option, value)
        a = np.vstack([r[0] for r in self._rows]) if self._rows else np.zeros((0, self.n))
        rows, cols = np.nonzero(a)
        start = np.searchsorted(rows, np.arange(a.shape[0] + 1)).astype(np.int32)
        h.passModel(
            self.n,
            a.shape[0],
            len(rows),
            2,  # row-wise
            1,  # minimise
            0.0,
            np.zeros(self.n),
            np.zeros(self.n),
            self._upper.copy(),
            np.array([r[1] for r in self._rows], dtype=np.float64),
            np.array([r[2] for r in self._rows], dtype=np.float64),
            start,
            cols.astype(np.int32),
            a[rows, cols],
            np.ones(self.n, dtype=np.int32),
        )
        return h

    @staticmethod
    def _run(h: highspy.Highs) -> Floats | None:
        h.run()
        status = h.getModelStatus()
        if status == highspy.HighsModelStatus.kModelEmpty:
            return np.zeros(0)
        if status != highspy.HighsModelStatus.kOptimal:
            return None
        return np.round(np.asarray(h.getSolution().col_value))

    def solve(
        self,
        objectives: Sequence[tuple[npt.ArrayLike, bool]] = (),
        prefer: Sequence[int] = (),
        integral: bool = True,
    ) -> Bools | None:
        """Optimise each ``(cost, maximise)`` in turn, pinning each optimum before the next;
        then set the ``prefer`` variables to 1 where possible, in order. None if infeasible.

        ``integral`` says every cost and coefficient is integral, so an optimum can be pinned
        exactly (otherwise to a 1e-7 relative tolerance).
        """
        if self.n == 0:
            ok = all(lo <= 0.0 <= hi for _, lo, hi in self._rows)
            return np.zeros(0, dtype=bool) if ok else None
        h = self._model()
        x = None if objectives else self._run(h)
        if x is None and not objectives:
            return None
        everything = np.arange(self.n, dtype=np.int32)
        for cost, maximise in objectives:
            c = np.asarray(cost, dtype=np.float64)
            h.changeColsCost(self.n, everything, c)
            h.changeObjectiveSense(
                highspy.ObjSense.kMaximize if maximise else highspy.ObjSense.kMinimize
            )
            x = self._run(h)
            if x is None:
                return None
            best = float(c @ x)
            slack = 0.5 if integral else 1e-7 * max(1.0, abs(best))
            nz = np.flatnonzero(c).astype(np.int32)
            lo, hi = (best - slack, _INF) if maximise else (-_INF, best + slack)
            h.addRow(lo, hi, len(nz), nz, c[nz])
        assert x is not None
        h.changeColsCost(self.n, everything, np.zeros(self.n))
        for j in prefer:
            if x[j] < 0.5:
                h.changeColBounds(int(j), 1.0, 1.0)
                trial = self._run(h)
                if trial is None:
                    h.changeColBounds(int(j), 0.0, 0.0)
                    continue
                x = trial
            h.changeColBounds(int(j), 1.0, 1.0)
        return np.asarray(x > 0.5, dtype=bool)
