#!/usr/bin/env python3
"""Copies installed Python distributions, with everything they require, from this Python's site-packages into a
folder (like `pip install --target`, but from what is already installed: no package index needed).

    python3 container/copy_python_packages.py DEST 'moto[dynamodb]' [--exclude botocore]

--exclude leaves a distribution out (it is provided otherwise) but still copies what it requires.

Exits with status 3 when a requested distribution is not installed here (the caller then asks pip instead).
"""
import argparse
import importlib.metadata as md
import re
import shutil
import sys
from pathlib import Path

from packaging.markers import default_environment
from packaging.requirements import Requirement


def closure(roots, excluded):
    seen, todo = {}, [Requirement(r) for r in roots]
    while todo:
        req = todo.pop()
        name = re.sub(r"[-_.]+", "-", req.name).lower()
        dist = md.distribution(req.name)  # raises PackageNotFoundError
        extras = seen.get(name, (None, set()))[1] | set(req.extras)
        if name in seen and extras == seen[name][1]:
            continue
        seen[name] = (dist, extras)
        for text in dist.requires or []:
            sub = Requirement(text)
            env_ok = [sub.marker is None or sub.marker.evaluate(dict(default_environment(), extra=e))
                      for e in (extras or {""})]
            if any(env_ok):
                todo.append(sub)
    # Excluded ones are provided otherwise, but what they require is copied.
    return [dist for name, (dist, _) in seen.items() if name not in excluded]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("dest")
    parser.add_argument("requirements", nargs="+")
    parser.add_argument("--exclude", action="append", default=[])
    args = parser.parse_args()
    excluded = {re.sub(r"[-_.]+", "-", e).lower() for e in args.exclude}
    try:
        dists = closure(args.requirements, excluded)
    except md.PackageNotFoundError as e:
        print(f"not installed here: {e}", file=sys.stderr)
        sys.exit(3)
    dest = Path(args.dest)
    for dist in dists:
        base = Path(dist.locate_file(""))
        for file in dist.files or []:
            parts = file.parts
            if parts[0] in ("..", "bin") or "__pycache__" in parts:
                continue  # scripts and byte code: not needed
            src = base / file
            if src.is_file():
                target = dest / file
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(src, target)
    print(" ".join(sorted(f"{d.metadata['Name']}=={d.version}" for d in dists)), file=sys.stderr)


if __name__ == "__main__":
    main()
