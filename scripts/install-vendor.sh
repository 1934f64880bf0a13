#!/usr/bin/env bash
# Installs vendor/requirements.txt into vendor/python once per change of that file.
# Pure-Python wheels only, no dependencies: we need botocore's data, not a working botocore here.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
req="$root/vendor/requirements.txt"
target="$root/vendor/python"
stamp="$target/.installed-requirements"
if [ -f "$stamp" ] && cmp -s "$req" "$stamp"; then exit 0; fi
python=$(command -v python3 || command -v python || true)
if [ -z "$python" ]; then
  echo "install-vendor: python3 with pip is needed to install $req" >&2
  exit 1
fi
echo "install-vendor: installing $(grep -v '^#' "$req" | xargs) into vendor/python" >&2
rm -rf "$target"
"$python" -m pip install --quiet --disable-pip-version-check --no-deps --retries 1 --timeout 15 --target "$target" -r "$req"
cp "$req" "$stamp"
