"""The wheel and sdist carry everything; a fresh environment builds the example from the wheel.

Also runs the same wheel under ProperDocs, the maintained MkDocs 1.x fork,
which loads MkDocs plugins unchanged.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tarfile
import zipfile
from pathlib import Path

import pytest
from fresh_env import prepare, wait
from mkdocs_mechanisms.scripts import MODULES

REPO = Path(__file__).resolve().parent.parent
pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("packaging")]


@pytest.fixture(scope="module")
def prepared(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Where the wheel is built and installed: under xdist the controller started it in the
    background (``conftest.py``); otherwise it is done here."""
    shared = getattr(request.config, "workerinput", {}).get("fresh_env")
    if shared and Path(shared).is_dir():
        return Path(shared)
    out = tmp_path_factory.mktemp("fresh")
    prepare(out)
    return out


@pytest.fixture(scope="module")
def dist(prepared: Path) -> Path:
    wait(prepared, "dist")
    return prepared / "dist"


@pytest.fixture(scope="module")
def fresh_env(prepared: Path) -> Path:
    """A new virtual environment with only the wheel (and ProperDocs) installed from the registry."""
    wait(prepared, "env")
    return prepared / "env"


def test_wheel_and_sdist_carry_assets_types_and_scaffold(dist: Path):
    names = zipfile.ZipFile(next(dist.glob("*.whl"))).namelist()
    for needed in (
        *(f"mkdocs_mechanisms/assets/js/{name}" for name in MODULES),  # every module of the script
        "mkdocs_mechanisms/assets/mechanisms.css",
        "mkdocs_mechanisms/py.typed",
        "mkdocs_mechanisms/plugin.py",
        "mkdocs_mechanisms/scaffold/mkdocs.yml",
    ):
        assert needed in names, needed
    entry_points = next(n for n in names if n.endswith("entry_points.txt"))
    text = zipfile.ZipFile(next(dist.glob("*.whl"))).read(entry_points).decode()
    assert "mechanisms = mkdocs_mechanisms.plugin:MechanismsPlugin" in text
    assert "[properdocs.plugins]" in text  # ProperDocs reads its own group first
    assert "mkdocs-mechanisms = mkdocs_mechanisms.cli:main" in text
    with tarfile.open(next(dist.glob("*.tar.gz"))) as sdist:
        members = sdist.getnames()
    for name in MODULES:
        assert any(m.endswith(f"plugin/mkdocs_mechanisms/assets/js/{name}") for m in members), name
    assert any(m.endswith("plugin/mkdocs_mechanisms/py.typed") for m in members)


def _site(tmp_path: Path) -> Path:
    shutil.copytree(
        REPO / "examples/caffeine", tmp_path / "caffeine", ignore=shutil.ignore_patterns("site", ".cache")
    )
    return tmp_path / "caffeine"


def _run(command: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    env["NO_MKDOCS_2_WARNING"] = "1"
    return subprocess.run(command, cwd=cwd, capture_output=True, text=True, env=env, timeout=300)


def test_fresh_environment_builds_the_example_strictly(fresh_env: Path, tmp_path: Path):
    site = _site(tmp_path)
    probe = _run(
        [
            str(fresh_env / "bin/python"),
            "-c",
            "import mkdocs_mechanisms; print(mkdocs_mechanisms.__file__)",
        ],
        site,
    )
    assert str(fresh_env) in probe.stdout, "the plugin must come from the wheel, not the checkout"
    result = _run([str(fresh_env / "bin/mkdocs"), "build", "--strict", "-d", "out"], site)
    assert result.returncode == 0, result.stderr[-2000:]
    assert "mechanisms-figure" in (site / "out/index.html").read_text()
    assert (site / "out/assets/mechanisms/mechanisms.js").exists()


def test_scaffold_from_the_wheel_builds(fresh_env: Path, tmp_path: Path):
    result = _run([str(fresh_env / "bin/mkdocs-mechanisms"), "new", "starter"], tmp_path)
    assert result.returncode == 0, result.stderr
    built = _run([str(fresh_env / "bin/mkdocs"), "build", "--strict"], tmp_path / "starter")
    assert built.returncode == 0, built.stderr[-2000:]


def test_properdocs_runs_the_plugin_unchanged(fresh_env: Path, tmp_path: Path):
    site = _site(tmp_path)
    result = _run([str(fresh_env / "bin/properdocs"), "build", "--strict", "-d", "out"], site)
    assert result.returncode == 0, result.stderr[-2000:]
    home = (site / "out/index.html").read_text()
    assert "mechanisms-figure" in home and "mechanisms-term" in home
    assert (site / "out/glossary/index.json").exists()


def test_every_library_the_package_imports_is_a_dependency() -> None:
    """lxml, pylatexenc and Markdown came only through other packages' requirements: one that
    dropped them would have broken a fresh install. Only host adapters import their host lazily."""
    import ast
    import re
    import sys
    from importlib.metadata import packages_distributions, requires

    package = Path(__file__).parents[1] / "plugin" / "mkdocs_mechanisms"
    imported: set[str] = set()
    for file in package.rglob("*.py"):
        for node in ast.walk(ast.parse(file.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                imported |= {alias.name.split(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                imported.add(node.module.split(".")[0])
    third_party = imported - set(sys.stdlib_module_names) - {"mkdocs_mechanisms"}
    declared = {
        re.split(r"[^A-Za-z0-9._-]", line, maxsplit=1)[0].lower().replace("_", "-")
        for line in requires("mkdocs-mechanisms") or []
        if "extra ==" not in line
    }
    optional = {"zensical", "jinja2"}  # the Zensical extra; Jinja2 only for type checking (MkDocs has it)
    names = packages_distributions()
    missing = {
        module: names.get(module)
        for module in third_party - optional
        if not {d.lower().replace("_", "-") for d in names.get(module, [module])} & declared
    }
    assert missing == {}
