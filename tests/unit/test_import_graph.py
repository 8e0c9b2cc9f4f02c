"""The house's floors: core imports nothing above it, no domain imports the runtime, and no two
modules depend on each other (directly or around a loop)."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "hotline"
DOMAINS = ["accounts", "asr", "audit", "callbacks", "desk", "dispatch", "intake", "ivr", "knowledge", "listen", "live",
           "models", "notifications",
           "simulator", "stats", "telephony", "text", "voice"]


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports_of(path: Path) -> set[str]:
    """Every hotline module this file imports, at the top or inside functions (a deferred import is still
    a dependency); only imports for type checkers are left out."""
    found: set[str] = set()
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            continue
        for child in ast.walk(node):
            if isinstance(child, ast.ImportFrom) and child.module and child.module.startswith("hotline"):
                found.add(child.module)
                found.update(f"{child.module}.{a.name}" for a in child.names)
            elif isinstance(child, ast.Import):
                found.update(a.name for a in child.names if a.name.startswith("hotline"))
    return found


def graph() -> dict[str, set[str]]:
    modules = {module_name(p): p for p in PACKAGE.rglob("*.py")}
    return {name: {m for m in imports_of(path) if m in modules and m != name} for name, path in modules.items()}


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for nxt in edges.get(node, ()):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(edges):
        if node not in index:
            visit(node)
    return found


def test_no_module_imports_itself_around_a_loop():
    assert cycles(graph()) == []


def test_core_imports_nothing_above_it():
    above = {name: sorted(m for m in deps if not m.startswith("hotline.core"))
             for name, deps in graph().items() if name.startswith("hotline.core")}
    assert {name: deps for name, deps in above.items() if deps} == {}


def test_no_domain_imports_the_api_the_cli_or_the_runtime():
    upward = {name: sorted(m for m in deps if m.startswith(("hotline.runtime", "hotline.api", "hotline.cli")))
              for name, deps in graph().items() if name.split(".")[1:2] and name.split(".")[1] in DOMAINS}
    assert {name: deps for name, deps in upward.items() if deps} == {}


@pytest.mark.parametrize("domain", DOMAINS)
def test_importing_a_domain_in_a_fresh_interpreter_loads_no_runtime(domain):
    names = sorted(module_name(p) for p in (PACKAGE / domain).rglob("*.py"))
    code = ("import importlib, sys\n"
            f"for name in {names!r}:\n    importlib.import_module(name)\n"
            "print(sorted(m for m in sys.modules if m.startswith(('hotline.runtime', 'hotline.api', 'hotline.cli'))))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[]"
