"""Zensical 0.1.x for the tests, beside the 0.0.73 that the package's `zensical` extra installs here.

Every Zensical since 0.0.74 needs `zensical-ui` (its theme's files, split out of the wheel), which
the package index here does not serve. So the newest 0.1.x wheel is installed without its
dependencies into a folder of its own (``.cache/zensical-next/site``, put first on ``PYTHONPATH``;
its other dependencies are the ones 0.0.73 already brought into the venv), with the real
`zensical-ui` when the index has it, else a stand-in `zensical_ui` module whose ``get_theme_dir()``
returns the 0.0.73 wheel's ``templates/`` folder. With the stand-in, the tests exercise 0.1.x's
configuration handling and build, NOT its newer theme.

``python tests/zensical_next.py`` installs it (``make setup`` runs it; repeated runs reuse it).
"""

from __future__ import annotations

import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
FOLDER = REPO / ".cache" / "zensical-next"
SITE = FOLDER / "site"
STAMP = FOLDER / "installed.json"
REQUIREMENT = "zensical>=0.1,<0.2"
STANDIN = '''"""Stand-in for zensical-ui (not on this package index): Zensical 0.0.73's theme files."""

THEME_DIR = {theme!r}


def get_theme_dir() -> str:
    return THEME_DIR
'''


def installed() -> dict[str, str] | None:
    """What is installed (version, and whether the theme is real or the stand-in), if still usable."""
    try:
        info = json.loads(STAMP.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    theme = info.get("theme_dir", "")
    if not (SITE / "zensical").is_dir() or (theme and not Path(theme).is_dir()):
        return None
    return {str(k): str(v) for k, v in info.items()}


def _pip(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "pip", *args, "--quiet", "--disable-pip-version-check"],
        capture_output=True,
        text=True,
        timeout=600,
    )


def install() -> dict[str, str]:
    """Download and unpack the newest 0.1.x wheel, then zensical-ui or the stand-in."""
    shutil.rmtree(FOLDER, ignore_errors=True)
    wheels = FOLDER / "wheels"
    result = _pip("download", "--no-deps", "--only-binary=:all:", "-d", str(wheels), REQUIREMENT)
    if result.returncode != 0:
        raise RuntimeError(f"cannot download {REQUIREMENT}: {result.stderr.strip()}")
    (wheel,) = wheels.glob("zensical-*.whl")
    result = _pip("install", "--no-deps", "--target", str(SITE), str(wheel))
    if result.returncode != 0:
        raise RuntimeError(f"cannot install {wheel.name}: {result.stderr.strip()}")
    version = wheel.name.split("-")[1]
    with zipfile.ZipFile(wheel) as archive:
        meta = next(n for n in archive.namelist() if n.endswith(".dist-info/METADATA"))
        found = re.search(r"^Requires-Dist: zensical-ui\s*(\S*)", archive.read(meta).decode(), re.M)
    ui = f"zensical-ui{found.group(1) if found else ''}"
    info = {"zensical": version, "theme": "zensical-ui", "theme_dir": ""}
    if _pip("install", "--no-deps", "--target", str(SITE), ui).returncode != 0:
        spec = importlib.util.find_spec("zensical")
        if spec is None or spec.origin is None:
            raise RuntimeError("Zensical 0.0.73 is not installed: run `make setup`")
        theme = Path(spec.origin).parent / "templates"
        (SITE / "zensical_ui").mkdir(parents=True, exist_ok=True)
        (SITE / "zensical_ui" / "__init__.py").write_text(STANDIN.format(theme=str(theme)), encoding="utf-8")
        info = {"zensical": version, "theme": "stand-in (0.0.73 templates)", "theme_dir": str(theme)}
    shutil.rmtree(wheels, ignore_errors=True)
    STAMP.write_text(json.dumps(info), encoding="utf-8")
    return info


def ensure() -> dict[str, str]:
    """Install once; later calls (and parallel test workers, which wait for the first) reuse it."""
    import fcntl

    FOLDER.parent.mkdir(parents=True, exist_ok=True)
    with (FOLDER.parent / "zensical-next.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        return installed() or install()


def environ(base: dict[str, str] | None = None) -> dict[str, str]:
    """An environment whose Python imports Zensical 0.1.x (our package and the rest from the venv)."""
    env = dict(os.environ if base is None else base)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(SITE), env.get("PYTHONPATH", "")) if p)
    return env


if __name__ == "__main__":
    details = ensure()
    print(f"Zensical {details['zensical']} for the tests in {SITE} (theme: {details['theme']})")
