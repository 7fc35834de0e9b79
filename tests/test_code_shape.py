"""The package stays small enough to hold in one's head: no class over 300 lines, no module or script over 600."""

from __future__ import annotations

import ast
from pathlib import Path

import mkdocs_mechanisms

PACKAGE = Path(mkdocs_mechanisms.__file__).parent
REPO = Path(__file__).resolve().parent.parent
MAX_CLASS = 300
MAX_MODULE = 600


def modules() -> list[Path]:
    return sorted(PACKAGE.rglob("*.py"))


def test_the_package_is_measured() -> None:
    assert {"site.py", "cite.py", "diagrams.py", "links.py"} <= {p.name for p in modules()}


def test_no_module_is_over_600_lines() -> None:
    lines = {
        p.relative_to(PACKAGE).as_posix(): len(p.read_text(encoding="utf-8").splitlines()) for p in modules()
    }
    over = {name: n for name, n in lines.items() if n > MAX_MODULE}
    assert over == {}


def test_no_class_is_over_300_lines() -> None:
    over = {}
    for path in modules():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ClassDef):
                size = (node.end_lineno or node.lineno) - node.lineno + 1
                if size > MAX_CLASS:
                    over[f"{path.relative_to(PACKAGE).as_posix()}:{node.name}"] = size
    assert over == {}


def scripts() -> list[Path]:
    """The benchmark scripts and the browser's scripts (one module per role)."""
    return sorted([*(REPO / "benchmarks").glob("*.py"), *(PACKAGE / "assets").rglob("*.js")])


def test_no_script_is_over_600_lines() -> None:
    found = scripts()
    assert {"run.py", "report.py", "boot.js"} <= {p.name for p in found}
    lines = {p.relative_to(REPO).as_posix(): len(p.read_text(encoding="utf-8").splitlines()) for p in found}
    assert {name: n for name, n in lines.items() if n > MAX_MODULE} == {}
