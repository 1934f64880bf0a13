#!/usr/bin/env python3
"""./polystack vendor localstack: installs localstack-core and its pure-Python dependencies into vendor/localstack.

    ./polystack vendor localstack                 # from the package index pip is configured with
    ./polystack vendor localstack --from DIR ...  # from source checkouts (offline machines)

Each --from DIR is a source checkout: LocalStack's repository (its ``localstack-core/localstack`` package is
copied) or a dependency's (a folder holding one top-level package of the same name, e.g. a checkout of rolo or
plux, for indexes that lack them). The dependencies in python-services/localstack-requirements.txt are then
installed from the index as pure-Python wheels, one by one; those the index lacks and no --from gives are
reported: polystack_bridge/standins.py stands in for some of them (see its docstring for what is lost).
"""
import argparse
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REQUIREMENTS = ROOT / "python-services" / "localstack-requirements.txt"
LOCALSTACK_PIN = "localstack-core==4.14.0"
# GraalPy runs Python 3.12: wheels are chosen for it, pure Python only.
PIP_TARGET_FLAGS = ["--python-version", "3.12", "--implementation", "py", "--only-binary=:all:", "--no-deps"]


def parse_args(argv):
    parser = argparse.ArgumentParser(prog="./polystack vendor localstack",
                                     description="Install localstack-core and its pure-Python dependencies "
                                                 "into vendor/localstack.")
    parser.add_argument("--from", dest="sources", action="append", default=[], metavar="DIR",
                        help="a source checkout to install from instead of the index (repeatable)")
    parser.add_argument("--target", default=str(ROOT / "vendor" / "localstack"),
                        help="where to install (default: vendor/localstack)")
    parser.add_argument("--no-index-deps", action="store_true",
                        help="do not ask the package index for dependencies (only --from sources)")
    args = parser.parse_args(argv)
    for source in args.sources:
        if not Path(source).is_dir():
            parser.error(f"--from {source}: no such folder")
    return args


def requirement_names(path=REQUIREMENTS):
    """The pinned requirement lines (comments and blanks dropped)."""
    lines = []
    for line in path.read_text().splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            lines.append(line)
    return lines


def project_name(requirement):
    return re.split(r"[<>=!~\[; ]", requirement, 1)[0].strip()


def packages_in(source):
    """(package name, folder) pairs a source checkout provides."""
    source = Path(source)
    core = source / "localstack-core" / "localstack"
    if core.is_dir():
        return [("localstack", core)]
    found = []
    for child in sorted(source.iterdir()):
        if child.is_dir() and (child / "__init__.py").is_file() and child.name not in ("tests", "docs", "examples"):
            found.append((child.name, child))
    if not found:
        raise SystemExit(f"--from {source}: no Python package found in it")
    return found


def copy_package(name, folder, target, version=None):
    destination = target / name
    if destination.exists():
        shutil.rmtree(destination)
    shutil.copytree(folder, destination, ignore=shutil.ignore_patterns("__pycache__", "*.pyc", "tests"))
    # setuptools-scm writes version.py at build time; a checkout has none.
    version_file = destination / "version.py"
    if not version_file.exists():
        version_file.write_text(f'__version__ = version = "{version or "0+source"}"\n')
    return destination


def checkout_version(folder):
    """The checkout's release tag (v4.14.0 -> 4.14.0), if git can tell."""
    try:
        out = subprocess.run(["git", "-C", str(folder), "describe", "--tags", "--abbrev=0"],
                             capture_output=True, text=True, timeout=10)
        tag = out.stdout.strip()
        return tag[1:] if tag.startswith("v") else (tag or None)
    except (OSError, subprocess.SubprocessError):
        return None


def pip_install(requirement, target):
    command = [sys.executable, "-m", "pip", "install", "--quiet", "--disable-pip-version-check", "--retries", "1",
               "--timeout", "15", "--target", str(target), "--upgrade", *PIP_TARGET_FLAGS, requirement]
    return subprocess.run(command, capture_output=True, text=True).returncode == 0


def main(argv=None):
    args = parse_args(sys.argv[1:] if argv is None else argv)
    target = Path(args.target)
    target.mkdir(parents=True, exist_ok=True)
    provided = set()
    for source in args.sources:
        version = checkout_version(source)
        for name, folder in packages_in(source):
            copy_package(name, folder, target, version)
            provided.add(name)
            print(f"vendor localstack: {name} from {folder}")
    missing = []
    if "localstack" not in provided:
        if not pip_install(LOCALSTACK_PIN, target):
            raise SystemExit(f"vendor localstack: {LOCALSTACK_PIN} is not on the package index; "
                             "use --from with a checkout of LocalStack's repository")
        print(f"vendor localstack: {LOCALSTACK_PIN} from the package index")
    if not args.no_index_deps:
        for requirement in requirement_names():
            name = project_name(requirement)
            if name.replace("-", "_") in provided:
                continue
            if pip_install(requirement, target):
                print(f"vendor localstack: {requirement}")
            else:
                missing.append(requirement)
    if missing:
        print("vendor localstack: not on the package index (stand-ins or the moto tier's packages cover some; "
              "give checkouts with --from for the rest): " + ", ".join(missing))
    (target / ".polystack-vendored").write_text("\n".join(sorted(provided)) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
