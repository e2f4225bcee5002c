"""The shape of the quiz and content packages: modules a newcomer can read, no import cycles
(a cycle is what forces lazy imports and string comparisons to dodge it), and the dependency
between the apps running one way (``quiz`` uses ``content``, never the reverse)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("quiz", "content")


def _modules(packages=PACKAGES) -> dict[str, Path]:
    found = {}
    for path in (p for package in packages for p in (ROOT / package).rglob("*.py")):
        if "migrations" in path.parts:
            continue
        parts = path.relative_to(ROOT).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        found[name] = path
    return found


def _imports(path: Path, modules: dict[str, Path]) -> set[str]:
    """Every quiz or content module ``path`` imports, at the top or inside a function."""
    out = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            out |= {a.name for a in node.names if a.name in modules}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            for alias in node.names:
                if f"{node.module}.{alias.name}" in modules:
                    out.add(f"{node.module}.{alias.name}")
                elif node.module in modules:
                    out.add(node.module)
    return out


def test_the_quiz_and_content_packages_have_no_import_cycle():
    modules = _modules()
    graph = {name: _imports(path, modules) - {name} for name, path in modules.items()}
    done: set[str] = set()

    def visit(name: str, trail: list[str]) -> None:
        if name in trail:
            pytest.fail("import cycle: " + " → ".join([*trail[trail.index(name) :], name]))
        if name in done:
            return
        for imported in sorted(graph[name]):
            visit(imported, [*trail, name])
        done.add(name)

    for name in sorted(graph):
        visit(name, [])


def test_content_never_imports_quiz():
    modules = _modules()
    backwards = {
        name: sorted(i for i in _imports(path, modules) if i.split(".")[0] == "quiz")
        for name, path in _modules(("content",)).items()
    }
    assert {name: found for name, found in backwards.items() if found} == {}


def test_no_module_is_longer_than_a_newcomer_reads_at_once():
    long = {
        name: n
        for name, path in _modules().items()
        if (n := len(path.read_text().splitlines())) > 420
    }
    assert long == {}


def test_no_view_is_longer_than_a_screen():
    """Views stay thin: a view that grows past 40 lines is doing work that belongs on a
    model, a queryset or a helper module."""
    view_modules = {
        name: path
        for name, path in _modules().items()
        if name.startswith("quiz.views.") or name == "content.admin.report"
    }
    assert view_modules, "no view modules found"
    long = {}
    for name, path in view_modules.items():
        for node in ast.parse(path.read_text()).body:
            is_view = isinstance(node, ast.FunctionDef) and not node.name.startswith("_")
            if is_view and (n := node.end_lineno - node.lineno + 1) > 40:
                long[f"{name}.{node.name}"] = n
    assert long == {}
