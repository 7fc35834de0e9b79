"""The browser scripts: small modules by role, all in the package, joined into the file the site loads."""

from __future__ import annotations

import re
import shutil
import subprocess
from importlib import resources
from pathlib import Path

import pytest
from conftest import build_site
from mkdocs_mechanisms.scripts import MAX_LINES, MODULES, SCRIPT, SOURCES, bundle
from mkdocs_mechanisms.site import SCRIPTS

SHIPPED = resources.files("mkdocs_mechanisms").joinpath("assets", "js")


def test_every_listed_module_is_in_the_package_and_every_script_there_is_listed():
    present = sorted(p.name for p in SHIPPED.iterdir() if p.name.endswith(".js"))
    assert len(set(MODULES)) == len(MODULES)
    assert sorted(MODULES) == present


@pytest.mark.parametrize("path", sorted(SOURCES.glob("*.js")), ids=lambda p: p.name)
def test_each_module_is_small_and_says_what_it_is_for(path: Path):
    lines = path.read_text(encoding="utf-8").splitlines()
    assert len(lines) <= MAX_LINES, (
        f"{path.name}: {len(lines)} lines, more than {MAX_LINES}: split it by role"
    )
    assert lines[0] == "/*" and lines[1].startswith(f" * {path.stem} — "), f"{path.name}: header comment"


def test_the_site_loads_one_script_joined_from_every_module_in_order(tmp_path: Path):
    site = build_site(tmp_path)
    assert (f"assets/mechanisms/{SCRIPT}",) == SCRIPTS
    home = site.page("")
    loaded = re.findall(r'<script src="(assets/mechanisms/[^"]+)"', home)
    assert loaded == list(SCRIPTS)
    text = (site.site / SCRIPTS[0]).read_text(encoding="utf-8")
    assert text == bundle()
    at = [text.index(f"/* ---- {name} ---- */\n") for name in MODULES]
    assert at == sorted(at)
    for name in MODULES:
        assert (SOURCES / name).read_text(encoding="utf-8").rstrip() in text


@pytest.mark.skipif(shutil.which("node") is None, reason="needs node to parse the script")
def test_the_joined_script_parses(tmp_path: Path):
    out = tmp_path / SCRIPT
    out.write_text(bundle(), encoding="utf-8")
    result = subprocess.run(["node", "--check", str(out)], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
