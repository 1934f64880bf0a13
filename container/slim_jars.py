#!/usr/bin/env python3
"""Rewrites the image's library jars smaller, without changing a byte of what the JVM reads from them:

- entries stored uncompressed are deflated (GraalPy's python-language jar ships 97 MB of classes stored: 36 MB
  deflated; its classes load once, when the Python tier starts);
- GraalPy's python-resources jar keeps only the native files of the platform the image runs on (it carries
  Linux, macOS and Windows builds for two architectures; GraalPy unpacks only its own, named by
  <os>/<arch>/native.files).

    python3 container/slim_jars.py LIB_DIR [--platform linux/amd64]

Prints the bytes saved per jar. A jar that is already small is rewritten only when that saves something.
"""
import argparse
import os
import platform
import sys
import zipfile
from pathlib import Path

# python-resources' per-platform folders: META-INF/resources/<os>/<arch>/...
PLATFORMS = {f"{os_}/{arch}" for os_ in ("linux", "darwin", "windows") for arch in ("amd64", "aarch64")}


def default_platform():
    machine = platform.machine().lower()
    return "linux/" + ("aarch64" if machine in ("aarch64", "arm64") else "amd64")


def foreign_native(name, keep):
    """True for another platform's native files in GraalPy's resources jar."""
    if not name.startswith("META-INF/resources/"):
        return False
    parts = name.split("/")
    return len(parts) > 4 and f"{parts[2]}/{parts[3]}" in PLATFORMS and f"{parts[2]}/{parts[3]}" != keep


def slim(jar: Path, keep: str) -> int:
    with zipfile.ZipFile(jar) as src:
        entries = src.infolist()
        stored = sum(e.file_size for e in entries if e.compress_type == zipfile.ZIP_STORED and e.file_size > 0)
        dropped = [e for e in entries if foreign_native(e.filename, keep)]
        if stored < 64 * 1024 and not dropped:
            return 0
        tmp = jar.with_suffix(".jar.tmp")
        with zipfile.ZipFile(tmp, "w") as out:
            for entry in entries:
                if foreign_native(entry.filename, keep):
                    continue
                data = src.read(entry)
                # Keep the entry's name, time and attributes; only the compression changes.
                out.writestr(entry, data, compress_type=zipfile.ZIP_DEFLATED if data else zipfile.ZIP_STORED,
                             compresslevel=6)
    before, after = jar.stat().st_size, tmp.stat().st_size
    if after >= before:
        tmp.unlink()
        return 0
    os.replace(tmp, jar)
    return before - after


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("lib")
    parser.add_argument("--platform", default=default_platform(), help="the image's os/arch (default: this machine's)")
    args = parser.parse_args()
    if args.platform not in PLATFORMS:
        sys.exit(f"unknown platform {args.platform}; one of {sorted(PLATFORMS)}")
    total = 0
    for jar in sorted(Path(args.lib).glob("*.jar")):
        saved = slim(jar, args.platform)
        if saved:
            print(f"  {jar.name}: {saved / 1e6:.1f} MB smaller", file=sys.stderr)
        total += saved
    print(f"jars: {total / 1e6:.1f} MB saved", file=sys.stderr)


if __name__ == "__main__":
    main()
