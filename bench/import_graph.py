"""The import graph of ``lib/newslake``, read from the source (nothing is imported).

``python -m bench.import_graph`` prints one edge a line, ``importer -> imported`` (a ``*`` marks
an import made inside a function), then the cycles, if any; ``--dot`` prints Graphviz instead.
``tests/test_architecture.py`` asserts the graph has no cycle and that no library module
imports ``tests`` or reads a path under it.

Both module-level and function-level imports count: an import moved into a function to dodge
a cycle still runs, so it is still a cycle of the design.
"""

from __future__ import annotations

import argparse
import ast
import os
import sys
from dataclasses import dataclass
from typing import Dict, Iterator, List, Optional, Sequence, Set, Tuple

PACKAGE = "newslake"
LIB_DIR = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "lib")


@dataclass(frozen=True)
class Import:
    importer: str
    imported: str
    line: int
    in_function: bool


def module_files(lib_dir: str = LIB_DIR, package: str = PACKAGE) -> Dict[str, str]:
    """Dotted module name -> file, for every ``.py`` file of the package."""
    out = {}
    root = os.path.join(lib_dir, package)
    for folder, _, names in os.walk(root):
        for name in sorted(names):
            if not name.endswith(".py"):
                continue
            rel = os.path.relpath(os.path.join(folder, name), lib_dir)[: -len(".py")]
            parts = rel.split(os.sep)
            if parts[-1] == "__init__":
                parts = parts[:-1]
            out[".".join(parts)] = os.path.join(folder, name)
    return out


def _imported_names(node: ast.AST, module: str, is_package: bool) -> Iterator[str]:
    """The dotted names an import statement may load (a ``from`` import's names may be
    submodules; the caller keeps the ones that are modules of the package)."""
    if isinstance(node, ast.Import):
        for alias in node.names:
            yield alias.name
    elif isinstance(node, ast.ImportFrom):
        if node.level:
            base = module.split(".") if is_package else module.split(".")[:-1]
            base = base[: len(base) - (node.level - 1)]
            source = ".".join(base + ([node.module] if node.module else []))
        else:
            source = node.module or ""
        # "from a.b import c" loads a.b.c when c is a module, else takes c from a.b.
        for alias in node.names:
            yield f"{source}.{alias.name}"


def _function_nodes(tree: ast.AST) -> Set[int]:
    """ids of the import nodes that sit inside a function body."""
    inside: Set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
            for sub in ast.walk(node):
                if isinstance(sub, (ast.Import, ast.ImportFrom)):
                    inside.add(id(sub))
    return inside


def imports(lib_dir: str = LIB_DIR, package: str = PACKAGE) -> List[Import]:
    """Every import of a package module by a package module, module-level and in functions."""
    files = module_files(lib_dir, package)
    out = []
    for module, path in sorted(files.items()):
        with open(path, encoding="utf-8") as handle:
            tree = ast.parse(handle.read(), path)
        in_function = _function_nodes(tree)
        is_package = path.endswith("__init__.py")
        for node in ast.walk(tree):
            if not isinstance(node, (ast.Import, ast.ImportFrom)):
                continue
            seen = set()
            for name in _imported_names(node, module, is_package):
                # "import a.b.c" loads a.b.c; keep the deepest name that is a module of ours.
                while name and name not in files:
                    name = name.rpartition(".")[0]
                if name and name != module and name != package and name not in seen:
                    seen.add(name)
                    out.append(Import(module, name, node.lineno, id(node) in in_function))
    return sorted(set(out), key=lambda i: (i.importer, i.imported, i.line))


def graph(edges: Sequence[Import]) -> Dict[str, Set[str]]:
    out: Dict[str, Set[str]] = {}
    for edge in edges:
        out.setdefault(edge.importer, set()).add(edge.imported)
        out.setdefault(edge.imported, set())
    return out


def tangles(adjacency: Dict[str, Set[str]]) -> List[List[str]]:
    """The strongly connected components of more than one module (the modules that import
    each other, directly or not), each sorted; empty when the graph is acyclic (Tarjan)."""
    index: Dict[str, int] = {}
    low: Dict[str, int] = {}
    stack: List[str] = []
    on_stack: Set[str] = set()
    components: List[List[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(adjacency[node]):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                top = stack.pop()
                on_stack.discard(top)
                component.append(top)
                if top == node:
                    break
            if len(component) > 1:
                components.append(sorted(component))

    for node in sorted(adjacency):
        if node not in index:
            visit(node)
    return sorted(components)


def cycle_through(adjacency: Dict[str, Set[str]], component: Sequence[str]) -> List[str]:
    """One shortest cycle from the component's first module back to itself (``[a, b, a]``)."""
    component = set(component)
    start = min(component)
    paths: Dict[str, List[str]] = {start: [start]}
    frontier = [start]
    while frontier:
        nxt_frontier = []
        for node in frontier:
            for nxt in sorted(adjacency[node] & component):
                if nxt == start:
                    return paths[node] + [start]
                if nxt not in paths:
                    paths[nxt] = paths[node] + [nxt]
                    nxt_frontier.append(nxt)
        frontier = nxt_frontier
    return [start]


def _short(module: str) -> str:
    return module[len(PACKAGE) + 1 :] if module.startswith(PACKAGE + ".") else module


def edge_lines(edges: Sequence[Import]) -> List[str]:
    """``importer -> imported`` once per pair; ``*`` when every import of the pair is in a function."""
    pairs: Dict[Tuple[str, str], bool] = {}
    for edge in edges:
        key = (edge.importer, edge.imported)
        pairs[key] = pairs.get(key, True) and edge.in_function
    return [f"{_short(a)} -> {_short(b)}{' *' if lazy else ''}" for (a, b), lazy in sorted(pairs.items())]


def main(argv: Optional[Sequence[str]] = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.import_graph", description=__doc__.split("\n\n")[0])
    parser.add_argument("--dot", action="store_true", help="print Graphviz dot instead of text")
    args = parser.parse_args(argv)
    edges = imports()
    modules = graph(edges)
    found = tangles(modules)
    if args.dot:
        print("digraph newslake {")
        for line in edge_lines(edges):
            a, _, b = line.partition(" -> ")
            style = " [style=dashed]" if b.endswith(" *") else ""
            print(f'  "{a}" -> "{b.rstrip(" *")}"{style};')
        print("}")
    else:
        print(f"# {len(modules)} modules, {len(edge_lines(edges))} edges (* = imported inside a function only)")
        print("\n".join(edge_lines(edges)))
        print(f"# cycles: {len(found)}")
        for component in found:
            print(
                f"# {', '.join(map(_short, component))}: e.g. "
                + " -> ".join(map(_short, cycle_through(modules, component)))
            )
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
