#!/usr/bin/env python3
"""Count import cycles inside ``assay``: between top-level packages and between modules.

Usage::

    PYTHONPATH=. .venv/bin/python scripts/import_cycles.py

The import-linter contracts (``make lint``) forbid cycles; this script measures them, so a
before/after figure can be given for a change (it reads the tree on ``PYTHONPATH``, so it
also works on an old checkout). Migrations are left out. Exits 1 when there is a cycle.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Mapping

import grimp


def cycles(nodes: Iterable[str], edges: Mapping[str, set[str]]) -> list[list[str]]:
    """The strongly connected components with more than one member (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    for root in nodes:
        if root in index:
            continue
        work = [(root, iter(sorted(edges.get(root, ()))))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(edges.get(child, ())))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(sorted(component))
    return found


def main() -> int:
    graph = grimp.build_graph("assay")
    modules = sorted(m for m in graph.modules if ".migrations" not in m and m != "assay")

    def package(module: str) -> str:
        return ".".join(module.split(".")[:2])

    module_edges: dict[str, set[str]] = {}
    package_edges: dict[str, set[str]] = {}
    for module in modules:
        for target in graph.find_modules_directly_imported_by(module):
            if target == "assay" or ".migrations" in target:
                continue
            module_edges.setdefault(module, set()).add(target)
            if package(module) != package(target):
                package_edges.setdefault(package(module), set()).add(package(target))
    package_cycles = cycles(sorted({package(m) for m in modules}), package_edges)
    module_cycles = cycles(modules, module_edges)
    print(f"package cycles: {len(package_cycles)}")
    for component in package_cycles:
        print("  " + " ⇄ ".join(component))
    print(f"module cycles: {len(module_cycles)}")
    for component in module_cycles:
        print(f"  {len(component)} modules: " + ", ".join(component[:6]))
    return 1 if package_cycles or module_cycles else 0


if __name__ == "__main__":
    sys.exit(main())
