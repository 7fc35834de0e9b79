"""Host adapters never import each other, and the engine imports no adapter (read from the source).

* MkDocs adapter: ``plugin.py`` and ``config.py`` (MkDocs' config classes).
* Zensical adapter: ``zensical.py``, ``zensical_config.py``, ``zensical_serve.py`` and any new
  ``zensical_*`` module that imports Zensical.
* The shared Python-Markdown extension, ``markdown.py``: used by both adapters and alone; it may
  read Zensical's page context (the ``zensical`` package) but imports neither adapter.
* Drivers that choose a host: ``cli.py`` (runs either) and ``check.py`` (uses the extension).
* Everything else is the engine: no adapter, no extension, no host package.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "plugin" / "mkdocs_mechanisms"
MKDOCS = {"plugin", "config"}
SHARED = {"markdown"}
DRIVERS = {"cli", "check"}


def _modules() -> dict[str, Path]:
    return {p.stem: p for p in PACKAGE.glob("*.py") if p.stem != "__init__"}


def imports(path: Path) -> set[str]:
    """Every module ``path`` imports, anywhere in it (lazy imports too): ours by stem, others by top name."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level and node.module:  # from .site import … / from .render.graph import …
                found.add("." + node.module.split(".")[0])
            elif node.level:  # from . import cite, numbers
                found.update("." + alias.name for alias in node.names)
            elif node.module:
                found.add(node.module.split(".")[0])
    return found


def _zensical_adapters() -> set[str]:
    """``zensical.py`` and the ``zensical_*`` modules that import Zensical or the Zensical adapter."""
    modules = _modules()
    return {
        name
        for name, path in modules.items()
        if name == "zensical"
        or (name.startswith("zensical_") and ({"zensical", ".zensical"} & imports(path)))
    } | {"zensical_config", "zensical_serve"}


def _ours(names: set[str]) -> set[str]:
    return {n[1:] for n in names if n.startswith(".")}


def test_the_mkdocs_adapter_imports_nothing_of_zensical() -> None:
    zensical = _zensical_adapters()
    for name in MKDOCS:
        found = imports(_modules()[name])
        assert "zensical" not in found, name
        assert not (_ours(found) & zensical), (name, _ours(found) & zensical)


def test_the_zensical_adapter_imports_nothing_of_mkdocs() -> None:
    for name in _zensical_adapters():
        found = imports(_modules()[name])
        assert "mkdocs" not in found, name
        assert not (_ours(found) & MKDOCS), (name, _ours(found) & MKDOCS)


def test_the_shared_extension_imports_neither_adapter() -> None:
    found = _ours(imports(_modules()["markdown"]))
    assert not (found & (MKDOCS | _zensical_adapters())), found


@pytest.mark.parametrize(
    "name",
    sorted(set(_modules()) - MKDOCS - SHARED - DRIVERS - {"zensical", "zensical_config", "zensical_serve"}),
)
def test_the_engine_imports_no_host(name: str) -> None:
    """An engine module (``zensical_files`` included: it only writes files) knows no host."""
    if name in _zensical_adapters():
        pytest.skip(f"{name} is part of the Zensical adapter")
    found = imports(_modules()[name])
    assert not ({"mkdocs", "zensical"} & found), name
    assert not (_ours(found) & (MKDOCS | SHARED | DRIVERS | _zensical_adapters())), _ours(found)


def test_the_drivers_import_no_adapter_but_to_run_its_host() -> None:
    """``check`` reads a site as a build would without either host; ``cli`` starts Zensical's
    (through ``zensical_serve.run``, so ``serve``'s watcher never loads the engine)."""
    assert not (_ours(imports(_modules()["check"])) & (MKDOCS | _zensical_adapters()))
    assert _ours(imports(_modules()["cli"])) & _zensical_adapters() <= {"zensical_serve"}


def test_the_reader_sees_lazy_and_relative_imports(tmp_path: Path) -> None:
    """The test cannot pass by missing an import written inside a function."""
    source = tmp_path / "m.py"
    source.write_text(
        "def f():\n    from .zensical import run\n    from . import cite\n    import mkdocs.plugins\n"
    )
    assert imports(source) == {".zensical", ".cite", "mkdocs"}
