"""A contract type for import-linter: no import cycle between modules.

import-linter's own contracts check layers and cycles between sibling packages; this one checks
the finest grain the issue asks for: among the modules under ``containers``, no module reaches
itself by following import statements (those inside functions included, those under
``if TYPE_CHECKING:`` excluded when the session sets ``exclude_type_checking_imports``). A
broken contract prints each cycle, module by module.
"""

from __future__ import annotations

from typing import Any

from grimp import ImportGraph
from importlinter.application import output
from importlinter.domain import fields
from importlinter.domain.contract import Contract, ContractCheck


def strongly_connected(graph: ImportGraph, modules: set[str]) -> list[list[str]]:
    """Tarjan's algorithm over the direct imports among ``modules``: the groups of two or more
    modules that import each other (directly or not), plus modules importing themselves."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[list[str]] = []
    counter = 0

    def edges(module: str) -> list[str]:
        return sorted(graph.find_modules_directly_imported_by(module) & modules)

    for root in sorted(modules):
        if root in index:
            continue
        # Iterative depth-first search (the graph is deep enough to exhaust recursion).
        work: list[tuple[str, int]] = [(root, 0)]
        while work:
            node, position = work.pop()
            if position == 0:
                index[node] = low[node] = counter
                counter += 1
                stack.append(node)
                on_stack.add(node)
            children = edges(node)
            if position < len(children):
                work.append((node, position + 1))
                child = children[position]
                if child not in index:
                    work.append((child, 0))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            if low[node] == index[node]:
                group = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    group.append(member)
                    if member == node:
                        break
                if len(group) > 1 or node in graph.find_modules_directly_imported_by(node):
                    groups.append(sorted(group))
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
    return sorted(groups)


def cycle_in(graph: ImportGraph, group: list[str]) -> list[str]:
    """One concrete cycle through the first module of ``group``: a, b, ..., a."""
    start, members = group[0], set(group)
    for target in sorted(graph.find_modules_directly_imported_by(start) & members):
        chain = graph.find_shortest_chain(importer=target, imported=start)
        if chain:
            return [start, *chain]
    return [start, start]


class AcyclicModulesContract(Contract):
    type_name = "acyclic_modules"

    containers = fields.SetField(subfield=fields.StringField())

    def check(self, graph: ImportGraph, verbose: bool) -> ContractCheck:
        modules: set[str] = set()
        for container in self.containers:  # type: ignore[attr-defined]
            modules |= {container} | graph.find_descendants(container)
        groups = strongly_connected(graph, modules)
        cycles = [cycle_in(graph, group) for group in groups]
        return ContractCheck(kept=not cycles, metadata={"cycles": cycles})

    def render_broken_contract(self, check: ContractCheck) -> None:
        cycles: list[Any] = check.metadata["cycles"]
        for cycle in cycles:
            output.print_error(" -> ".join(cycle), bold=False)
            output.new_line()
