"""Rules of the code's shape, read from the source (nothing of the library is imported):
lib/newslake's import graph has no cycle, and no library module imports ``tests`` or reads a
path under tests/ or locates the repository from its own file.

``python -m bench.import_graph`` prints the graph these tests check.
"""

import ast
import textwrap
from pathlib import Path
from typing import List

from bench import import_graph as G

ROOT = Path(__file__).resolve().parents[1]
LIB = ROOT / "lib"


def _cycles_message(modules, tangled) -> str:
    return "import cycles in lib/newslake: " + "; ".join(
        f"[{', '.join(component)}], e.g. {' -> '.join(G.cycle_through(modules, component))}" for component in tangled
    )


def test_import_graph_of_lib_newslake_has_no_cycle():
    edges = G.imports(str(LIB))
    modules = G.graph(edges)
    # The graph was read: the stage CLI reaches the runner, a function-level import included.
    assert ("newslake.cli", "newslake.runner") in {(e.importer, e.imported) for e in edges}
    assert len(modules) > 60
    tangled = G.tangles(modules)
    assert not tangled, _cycles_message(modules, tangled)


def _write(root: Path, rel: str, text: str) -> None:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text), encoding="utf-8")


def test_cycle_finder_sees_a_cycle_through_a_function_level_import(tmp_path):
    _write(tmp_path, "pkg/__init__.py", "")
    _write(tmp_path, "pkg/a.py", "from pkg.b import helper\n")
    _write(tmp_path, "pkg/b.py", "def helper():\n    from pkg import a\n    return a\n")
    _write(tmp_path, "pkg/sub/__init__.py", "")
    _write(tmp_path, "pkg/sub/c.py", "from ..b import helper\nimport pkg.a\n")
    edges = G.imports(str(tmp_path), "pkg")
    assert {(e.importer, e.imported, e.in_function) for e in edges} == {
        ("pkg.a", "pkg.b", False),
        ("pkg.b", "pkg.a", True),
        ("pkg.sub.c", "pkg.b", False),
        ("pkg.sub.c", "pkg.a", False),
    }
    modules = G.graph(edges)
    assert G.tangles(modules) == [["pkg.a", "pkg.b"]]
    assert G.cycle_through(modules, ["pkg.a", "pkg.b"]) == ["pkg.a", "pkg.b", "pkg.a"]
    assert "[pkg.a, pkg.b], e.g. pkg.a -> pkg.b -> pkg.a" in _cycles_message(modules, G.tangles(modules))


def _documentation(tree: ast.AST) -> set:
    """ids of the string constants that are documentation: docstrings and other bare strings."""
    return {
        id(node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant) and isinstance(node.value.value, str)
    }


def _is_tests_path(text: str) -> bool:
    parts = [p for p in text.replace("\\", "/").split("/") if p not in ("", ".", "..")]
    return bool(parts) and parts[0] == "tests"


def _levels_up(node: ast.AST) -> int:
    """How many folders above its own file an expression of ``__file__`` names: each
    ``os.path.dirname`` or ``.parent`` is one, ``.parents[n]`` is n + 1; ``abspath``, ``Path``,
    ``resolve()`` are none. -1 for an expression that is not one of ``__file__``."""
    if isinstance(node, ast.Name):
        return 0 if node.id == "__file__" else -1
    inner, up = -1, 0
    if isinstance(node, ast.Call):
        func = node.func
        name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", None)
        if name == "resolve" and isinstance(func, ast.Attribute) and not node.args:
            inner = _levels_up(func.value)
        elif name in ("dirname", "abspath", "realpath", "normpath", "Path") and len(node.args) == 1:
            inner, up = _levels_up(node.args[0]), int(name == "dirname")
    elif isinstance(node, ast.Attribute) and node.attr == "parent":
        inner, up = _levels_up(node.value), 1
    elif (
        isinstance(node, ast.Subscript)
        and isinstance(node.value, ast.Attribute)
        and node.value.attr == "parents"
        and isinstance(node.slice, ast.Constant)
        and isinstance(node.slice.value, int)
    ):
        inner, up = _levels_up(node.value.value), node.slice.value + 1
    return inner + up if inner >= 0 else -1


def dependencies_on_tests(path: Path, source: str) -> List[str]:
    """Where a library module depends on the repository's tests/: imports of ``tests`` or
    ``conftest``, string literals naming a path under tests/ (``"tests/data"``, or ``"tests"`` as
    a part given to ``os.path.join`` or ``/``), and walking up from its own file past the
    package's folders to the checkout (``dirname`` four times). Docstrings do not count."""
    tree = ast.parse(source, str(path))
    docs = _documentation(tree)
    depth_to_lib = len(path.relative_to(LIB).parts)  # dirname this many times reaches lib/
    found = set()
    for node in ast.walk(tree):
        names = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and not node.level:
            names = [node.module or ""]
        for name in names:
            if name.split(".")[0] in ("tests", "conftest"):
                found.add((node.lineno, f"imports {name}"))
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docs:
            if _is_tests_path(node.value):
                found.add((node.lineno, f"names the path {node.value!r}"))
        if _levels_up(node) >= depth_to_lib:
            found.add((node.lineno, "walks up from its own file out of the package, to the checkout"))
    return [f"{path.relative_to(LIB)}:{line}: {what}" for line, what in sorted(found)]


def test_tests_dependency_finder_sees_each_kind(tmp_path):
    module = LIB / "newslake" / "evaluation" / "example.py"
    source = textwrap.dedent('''\
        """Scores ``tests/data/labeled`` (a docstring may name it)."""
        import os
        from pathlib import Path
        import tests.helpers
        from conftest import ROOT
        A = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))), "x")
        B = os.path.join("tests", "data", "labeled")
        C = "tests/data/labeled/realnews_entity.jsonl"
        D = Path(__file__).resolve().parents[3] / "tests"
        E = os.path.dirname(os.path.abspath(__file__))  # its own package folder: fine
        F = "latest tests/results"  # not a path under tests/
    ''')
    found = dependencies_on_tests(module, source)
    assert [line.split(":")[1] for line in found] == ["4", "5", "6", "7", "8", "9", "9"]
    assert dependencies_on_tests(module, 'import os\nX = os.path.join(os.path.dirname(__file__), "data")\n') == []


def test_no_library_module_depends_on_tests():
    files = sorted(LIB.rglob("*.py"))
    assert len(files) > 60
    found = [problem for path in files for problem in dependencies_on_tests(path, path.read_text(encoding="utf-8"))]
    assert found == []
