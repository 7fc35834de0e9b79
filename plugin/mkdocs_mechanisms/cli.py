"""The ``mkdocs-mechanisms`` command: ``new DIR`` writes a starter site that builds at once.

The starter files live in the package (``scaffold/``) and are copied as they
are, except that ``{{title}}`` is replaced by the site's title: as a quoted
YAML string in ``.yml`` files, as plain text elsewhere. ``gitignore`` is
written as ``.gitignore`` (a dot-file would be easy to lose in packaging).
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import shlex
import sys
from collections.abc import Iterator, Sequence
from importlib.resources import files
from importlib.resources.abc import Traversable
from pathlib import Path, PurePosixPath
from typing import Any

from . import __version__
from .logs import show_on_terminal

PROG = "mkdocs-mechanisms"
DEFAULT_TITLE = "How aspirin relieves pain"
PLACEHOLDER = "{{title}}"
RENAMES = {"gitignore": ".gitignore"}
EXIT_OK = 0
EXIT_USAGE = 2


CONFIGS = {False: "mkdocs.yml", True: "zensical.toml"}
"""The starter's configuration for MkDocs, and for Zensical (``new --zensical``)."""
SERVE = {False: "mkdocs serve", True: "mkdocs-mechanisms zensical serve"}
"""The starter's preview command for each host; starter pages name it as ``{{serve}}``."""
SERVE_PLACEHOLDER = "{{serve}}"


def scaffold_files(*, zensical: bool = False) -> list[tuple[PurePosixPath, Traversable]]:
    """The starter files: (path in the new site, resource), sorted by path."""
    root = files("mkdocs_mechanisms") / "scaffold"
    out = [
        (_target(rel), item)
        for rel, item in _walk(root, PurePosixPath())
        if str(rel) != CONFIGS[not zensical]
    ]
    return sorted(out, key=lambda pair: str(pair[0]))


def _walk(folder: Traversable, prefix: PurePosixPath) -> Iterator[tuple[PurePosixPath, Traversable]]:
    for item in folder.iterdir():
        if item.name.startswith(".") or item.name == "__pycache__":
            continue
        if item.is_dir():
            yield from _walk(item, prefix / item.name)
        elif item.is_file():
            yield prefix / item.name, item


def _target(rel: PurePosixPath) -> PurePosixPath:
    return rel.with_name(RENAMES.get(rel.name, rel.name))


def render(text: str, name: str, title: str, *, zensical: bool = False) -> str:
    """A starter file's text with the host's preview command and the title filled in."""
    text = text.replace(SERVE_PLACEHOLDER, SERVE[zensical])  # first: a title may hold the placeholder
    if name.endswith((".yml", ".yaml", ".toml")):
        # JSON strings are valid YAML double-quoted scalars and TOML basic strings: safe for ':' '#',
        # quotes and the like.
        return text.replace(PLACEHOLDER, json.dumps(title, ensure_ascii=False))
    return text.replace(PLACEHOLDER, title)


def new_site(
    target: Path, title: str, *, force: bool = False, zensical: bool = False
) -> tuple[list[PurePosixPath], list[PurePosixPath]]:
    """Write the starter site into ``target``; return (written, overwritten) paths.

    Raises :class:`FileExistsError` when ``target`` is a non-empty folder and
    ``force`` is false, :class:`NotADirectoryError` when it is a file.
    """
    if target.exists() and not target.is_dir():
        raise NotADirectoryError(str(target))
    if target.is_dir() and any(target.iterdir()) and not force:
        raise FileExistsError(str(target))
    written: list[PurePosixPath] = []
    overwritten: list[PurePosixPath] = []
    for rel, resource in scaffold_files(zensical=zensical):
        dest = target.joinpath(*rel.parts)
        if dest.exists():
            if dest.is_dir():
                raise IsADirectoryError(str(dest))
            overwritten.append(rel)
        dest.parent.mkdir(parents=True, exist_ok=True)
        text = render(resource.read_text(encoding="utf-8"), rel.name, title, zensical=zensical)
        dest.write_text(text, encoding="utf-8", newline="\n")
        written.append(rel)
    return written, overwritten


def build_parser() -> argparse.ArgumentParser:
    """The command line: ``new DIR [--title T] [--force]`` and ``--version``."""
    parser = argparse.ArgumentParser(
        prog=PROG,
        description="Tools for mkdocs-mechanisms sites: pathway diagrams, glossary and citations for MkDocs and Zensical.",
    )
    parser.add_argument("--version", action="store_true", help="print the version and exit")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    new = commands.add_parser(
        "new",
        help="create a starter site that builds at once",
        description="Create a small mechanisms site (one pathway, two glossary terms, a bibliography) in DIR.",
    )
    new.add_argument("dir", metavar="DIR", help="folder to create; it must be empty or not exist yet")
    new.add_argument("--title", default=DEFAULT_TITLE, help=f"the site's title (default: {DEFAULT_TITLE!r})")
    new.add_argument(
        "--force",
        action="store_true",
        help="write into a non-empty folder, overwriting starter files of the same name",
    )
    new.add_argument(
        "--zensical",
        action="store_true",
        help="configure the site with zensical.toml, for `mkdocs-mechanisms zensical build|serve`",
    )
    zensical = commands.add_parser(
        "zensical",
        help="build or serve the site with Zensical, every feature included",
        description=(
            "Build or serve this site with Zensical from the same zensical.toml or mkdocs.yml (found "
            "in that order, as Zensical looks), diagrams/, docs/ and bibliography. Zensical does not "
            "run MkDocs plugins, so a plain `zensical build` ignores `- mechanisms` (no figures, term "
            "links, citations or generated pages): run this instead. It writes nothing into your docs "
            "folder: Zensical reads a copy of it plus the generated pages and exports, kept in "
            ".cache/mechanisms/zensical/docs and changed in one step per edit; it writes "
            ".mechanisms-zensical.yml (your configuration, complete, plus the mechanisms extension) "
            "and runs Zensical on it. Options after the command go to Zensical "
            "unchanged, e.g. `--strict` or `--dev-addr 127.0.0.1:8001`. Tested with Zensical 0.0.73 "
            "and 0.1.x (pip install 'mkdocs-mechanisms[zensical]')."
        ),
    )
    zensical.add_argument(
        "action", choices=("build", "serve"), help="run `zensical build` or `zensical serve`"
    )
    zensical.add_argument(
        "-f",
        "--config-file",
        default=None,
        metavar="FILE",
        help="the site's zensical.toml or mkdocs.yml (default: ./zensical.toml, else ./mkdocs.yml, as Zensical looks)",
    )
    _add_check_commands(commands)
    return parser


def _error(message: str) -> int:
    print(f"{PROG}: error: {message}", file=sys.stderr)
    return EXIT_USAGE


def _cmd_new(args: argparse.Namespace) -> int:
    title = " ".join(str(args.title).split())
    if not title:
        return _error("--title must not be empty")
    target = Path(args.dir)
    try:
        written, overwritten = new_site(target, title, force=args.force, zensical=args.zensical)
    except FileExistsError:
        return _error(
            f"'{target}' is not empty; choose a new folder, or add --force to write the "
            "starter files into it (files of the same name are overwritten, others are kept)"
        )
    except NotADirectoryError:
        return _error(f"'{target}' is a file, not a folder")
    except IsADirectoryError as exc:
        return _error(f"cannot write '{exc}': a folder of that name is in the way")
    except OSError as exc:
        return _error(f"cannot write the site into '{target}': {exc.strerror or exc}")
    print(f"Created the site {title!r} in {target}:")
    for rel in written:
        print(f"  {rel}" + ("  (overwritten)" if rel in overwritten else ""))
    print()
    print("Next steps:")
    if args.zensical:
        print(f"  cd {shlex.quote(str(target))} && {SERVE[True]}")
        if importlib.util.find_spec("zensical") is None:
            print()
            print("Zensical is not installed here: run `pip install 'mkdocs-mechanisms[zensical]'`.")
        return EXIT_OK
    print(f"  cd {shlex.quote(str(target))} && {SERVE[False]}")
    if importlib.util.find_spec("material") is None:
        print()
        print(
            "The site uses the Material theme, which is not installed here: run "
            "`pip install mkdocs-material`, or set `theme: {name: mkdocs}` in mkdocs.yml."
        )
    return EXIT_OK


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit code (0 ok, 2 usage or refused)."""
    show_on_terminal()  # the engine's messages (warnings, "never cited") as MkDocs shows them
    parser = build_parser()
    args, extra = parser.parse_known_args(argv)
    if args.command == "zensical":
        from .siteconfig import find_config
        from .zensical_serve import run  # the engine is loaded only where a preparation runs

        config = Path(args.config_file) if args.config_file else find_config(Path.cwd())
        return run(args.action, config, extra)
    if extra:
        parser.error(f"unrecognized arguments: {' '.join(extra)}")
    if args.version:
        print(f"{PROG} {__version__}")
        return EXIT_OK
    if args.command == "new":
        return _cmd_new(args)
    if args.command == "check":
        return _cmd_check(args)
    if args.command == "schemas":
        return _cmd_schemas(args)
    parser.print_help(sys.stderr)
    return EXIT_USAGE


EXIT_PROBLEMS = 1


def _add_check_commands(commands: Any) -> None:
    check = commands.add_parser(
        "check",
        help="validate pathway files, glossary pages and the bibliography without building",
        description=(
            "Check the site's pathway files, glossary pages, bibliography and the citations and figure "
            "fences of its pages, as a build would, without building. Prints every problem as "
            "'file:line: message' and exits with 1 when there is any."
        ),
    )
    check.add_argument(
        "paths",
        nargs="*",
        metavar="PATH",
        help="report only problems in these files or folders (the whole site is still loaded)",
    )
    check.add_argument(
        "-f",
        "--config-file",
        default=None,
        help="the site's zensical.toml or mkdocs.yml (default: ./zensical.toml, else ./mkdocs.yml)",
    )
    check.add_argument(
        "--format",
        choices=("text", "github"),
        default="text",
        help="'github' prints GitHub Actions annotations (default: %(default)s)",
    )
    schemas = commands.add_parser(
        "schemas",
        help="print or write the JSON Schemas of pathway files, glossary pages and the plugin's options",
    )
    schemas.add_argument("--write", metavar="DIR", help="write <name>.schema.json files into DIR")


def _cmd_check(args: argparse.Namespace) -> int:
    from .check import check_project, github_annotation, read_project, summary
    from .errors import MechanismsError
    from .siteconfig import find_config

    config = Path(args.config_file) if args.config_file else find_config(Path.cwd()) or Path("mkdocs.yml")
    if not config.is_file():
        return _error(f"no '{config}' here: run the check in the site's folder, or pass --config-file")
    try:
        project = read_project(config)
    except MechanismsError as error:
        for problem in error.problems:
            print(str(problem))
        return EXIT_PROBLEMS
    missing = [p for p in args.paths if not Path(p).exists()]
    if missing:
        return _error(f"no such file or folder: {missing[0]}")
    problems, sources = check_project(project, [Path(p) for p in args.paths])
    for problem in problems:
        print(github_annotation(problem) if args.format == "github" else str(problem))
    print(f"{PROG}: {summary(problems, sources)}", file=sys.stderr)
    return EXIT_PROBLEMS if problems else EXIT_OK


def _cmd_schemas(args: argparse.Namespace) -> int:
    from . import schema

    generated = schema.generate()
    if not args.write:
        print(json.dumps({name: json.loads(text) for name, text in generated.items()}, indent=2))
        return EXIT_OK
    folder = Path(args.write)
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in generated.items():
        (folder / f"{name}.schema.json").write_text(text, encoding="utf-8", newline="\n")
        print(folder / f"{name}.schema.json")
    return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
