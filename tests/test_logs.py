"""Every message the plugin logs reaches the author's terminal, under each host, in MkDocs' form."""

from __future__ import annotations

import ast
import logging
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from conftest import MINIMAL_BIB, minimal_files, write_site
from hosts import zensical_build
from mkdocs_mechanisms import logs
from mkdocs_mechanisms.zensical_config import EXTENSION

PACKAGE = Path(__file__).resolve().parents[1] / "plugin" / "mkdocs_mechanisms"
UNCITED = (
    MINIMAL_BIB + "@book{never2019,\n  author = {Never, Cited},\n  title = {Unread},\n  year = {2019}\n}\n"
)
NEVER_CITED = "INFO    -  mechanisms: 1 bibliography entry is never cited: never2019"


def _site(tmp_path: Path, **changes: str) -> Path:
    return write_site(tmp_path, {**minimal_files(), "docs/references.bib": UNCITED, **changes})


def _run(args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, cwd=cwd, capture_output=True, text=True, timeout=300)


def test_mkdocs_shows_the_engines_notes_and_counts_its_warnings(tmp_path: Path) -> None:
    """``mkdocs build --strict``: a note is shown and passes; a problem is a warning MkDocs shows."""
    cfg = _site(tmp_path)
    built = _run([sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(cfg)], tmp_path)
    assert built.returncode == 0, built.stderr
    assert NEVER_CITED in built.stderr.splitlines()
    broken = _site(tmp_path / "broken", **{"docs/index.md": "# Home\n\nUnknown [@nobody2000].\n"})
    failed = _run([sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(broken)], broken.parent)
    assert failed.returncode == 1
    warned = [line for line in failed.stderr.splitlines() if line.startswith("WARNING -  mechanisms: ")]
    assert len(warned) == 1 and "docs/index.md:3: " in warned[0] and "nobody2000" in warned[0], failed.stderr


def test_mkdocs_strict_counts_a_warning_that_does_not_stop_the_build(tmp_path: Path) -> None:
    """A skipped file is a warning, not a problem: only ``--strict`` stops for it, counting it as MkDocs' own."""
    cfg = _site(tmp_path)
    (tmp_path / "diagrams" / "dangling.md").symlink_to(tmp_path / "gone.md")
    lenient = _run([sys.executable, "-m", "mkdocs", "build", "-f", str(cfg)], tmp_path)
    assert lenient.returncode == 0, lenient.stderr
    skipped = "WARNING -  mechanisms: diagrams/dangling.md: is a symbolic link to"
    assert [line for line in lenient.stderr.splitlines() if line.startswith(skipped)], lenient.stderr
    strict = _run([sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(cfg)], tmp_path)
    output = strict.stdout + strict.stderr  # MkDocs prints its verdict on standard output
    assert strict.returncode == 1 and "Aborted with 1 warnings in strict mode!" in output, output


def test_mkdocs_mechanisms_zensical_shows_them_as_mkdocs_does(tmp_path: Path) -> None:
    """The preparation (our process) prints the same lines MkDocs would."""
    _site(tmp_path)
    result = zensical_build(tmp_path)
    assert result.returncode == 0, result.stderr
    assert NEVER_CITED in result.stderr.splitlines()


def test_inside_zensical_the_extensions_messages_reach_the_terminal(tmp_path: Path) -> None:
    """Zensical configures no Python logging: the extension shows its own messages there."""
    _site(tmp_path)
    assert zensical_build(tmp_path).returncode == 0
    generated = tmp_path / ".mechanisms-zensical.yml"
    settings = yaml.safe_load(generated.read_text(encoding="utf-8"))
    ours = next(e for e in settings["markdown_extensions"] if isinstance(e, dict) and EXTENSION in e)
    state = tmp_path / ours[EXTENSION]["state"]
    state.unlink()  # a lost state: every page's conversion reports it
    for entry in (tmp_path / ".cache").iterdir():  # Zensical's page cache, not the prepared docs beside it
        if entry.is_dir() and entry.name != "mechanisms":  # (its --clean would remove those too)
            shutil.rmtree(entry)
        elif entry.is_file():
            entry.unlink()
    result = _run([sys.executable, "-m", "zensical", "build", "-f", generated.name], tmp_path)
    errors = [line for line in result.stderr.splitlines() if line.startswith("ERROR   -  mechanisms: ")]
    assert errors and "cannot read the prepared site" in errors[0], result.stdout + result.stderr


def test_the_logger_is_one_mkdocs_shows(caplog: pytest.LogCaptureFixture) -> None:
    """Under ``mkdocs.plugins``, where MkDocs' handler and its strict-mode counter are, prefixed as its errors."""
    with caplog.at_level(logging.INFO, logger="mkdocs"):
        logs.log.warning("a %s", "thing")
    (record,) = [r for r in caplog.records if r.name == logs.NAME]
    assert record.name.startswith("mkdocs.plugins.") and record.getMessage() == "mechanisms: a thing"


def test_show_on_terminal_adds_a_handler_only_where_none_shows_the_records() -> None:
    script = (
        "import logging\n"
        "from mkdocs_mechanisms import logs\n"
        "logs.show_on_terminal(); logs.show_on_terminal()\n"
        "logs.log.info('a note'); logs.log.warning('a warning')\n"
        "logging.basicConfig()\n"
    )
    alone = _run([sys.executable, "-c", script], Path.cwd())
    assert alone.stderr.splitlines() == ["INFO    -  mechanisms: a note", "WARNING -  mechanisms: a warning"]
    configured = "import logging\nlogging.basicConfig(level=logging.INFO)\n" + script
    shown = _run([sys.executable, "-c", configured], Path.cwd())
    assert shown.stderr.splitlines() == [
        f"INFO:{logs.NAME}:mechanisms: a note",
        f"WARNING:{logs.NAME}:mechanisms: a warning",
    ]  # the application's own handler shows them, once


def test_no_module_logs_anywhere_else() -> None:
    """A ``logging.getLogger`` of our own elsewhere would be a logger MkDocs never shows."""
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and ast.unparse(node.func) in ("logging.getLogger", "getLogger"):
                args = [ast.unparse(a) for a in node.args]
                if path.name != "logs.py" and args != ["'bibtexparser'"]:  # quietened, not ours
                    found.append(f"{path.relative_to(PACKAGE)}:{node.lineno} {args}")
            if isinstance(node, ast.Attribute) and node.attr == "get_plugin_logger":
                found.append(f"{path.relative_to(PACKAGE)}:{node.lineno} get_plugin_logger")
            if isinstance(node, ast.alias) and node.name == "get_plugin_logger":
                found.append(f"{path.relative_to(PACKAGE)} imports get_plugin_logger")
    assert found == []
