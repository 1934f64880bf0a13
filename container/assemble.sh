#!/usr/bin/env bash
# Lays out what the container image holds under DEST (the image's /opt/polystack), from a built tree
# (./polystack build): the launcher, the gateway jar and its libraries, botocore's specifications, moto and its
# pure-Python dependencies for the Python tier, and a Java runtime made with jlink from the JDK that built it.
#   container/assemble.sh DEST [VARIANT]
# VARIANT full (the default) or native: the native-only image, without the Python tier (no moto, no GraalPy and
# Truffle jars, no botocore Python code: only its specifications, which the protocol layer reads), for a smaller
# image that serves the native services; a service only the Python tier serves answers that it is not in the image.
# Used by the Dockerfile's build stage and by container/build-local.sh (this machine, no registry).
# Moto comes from python3's own site-packages, else from pip (MOTO_VERSION, default the newest).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
dest=$1
variant=${2:-full}
case "$variant" in full|native) ;; *) echo "unknown variant '$variant' (full or native)" >&2; exit 2 ;; esac
. "$root/scripts/find-jdk.sh"

rm -rf "$dest"
mkdir -p "$dest/gateway/target" "$dest/scripts" "$dest/vendor"
cp "$root/polystack" "$dest/"
cp "$root/scripts/find-jdk.sh" "$dest/scripts/"
cp "$root/container/docker-entrypoint.sh" "$root/container/healthcheck.sh" "$dest/"
cp -r "$root"/gateway/target/gateway-*.jar "$root/gateway/target/lib" "$root/gateway/target/classpath.txt" "$dest/gateway/target/"
cp -r "$root/vendor/python" "$dest/vendor/python"
rm -f "$dest/vendor/python/.installed-requirements"

if [ "$variant" = native ]; then
  # The Python tier's jars out, and out of the class path the launcher (and the start-up cache) use.
  jars="($(grep -v '^#' "$root/container/python-tier-jars" | paste -sd'|'))-[0-9]"
  (cd "$dest/gateway/target/lib" && { ls | grep -E "^$jars" || true; } | xargs -r rm -f)
  tr ':' '\n' < "$dest/gateway/target/classpath.txt" | grep -vE "^lib/$jars" | paste -sd: | tr -d '\n' \
    > "$dest/gateway/target/classpath.txt.new"
  mv "$dest/gateway/target/classpath.txt.new" "$dest/gateway/target/classpath.txt"
  # botocore's specifications and the catalog index only (the version is read from __init__.py); no examples,
  # paginators or waiters, which only botocore's Python code reads.
  find "$dest/vendor/python/botocore" -mindepth 1 -maxdepth 1 ! -name data ! -name __init__.py -exec rm -rf {} +
  rm -rf "$dest"/vendor/python/botocore-*.dist-info
  find "$dest/vendor/python/botocore/data" \( -name 'examples-*.json' -o -name 'paginators-*.json' \
    -o -name 'waiters-*.json' \) -delete
# Moto and its dependencies in their own folder (POLYSTACK_MOTO_PATH), sharing vendor/python's botocore: copied
# from this machine's python3 when it has moto, else installed by pip from its configured index.
elif ! python3 "$root/container/copy_python_packages.py" "$dest/vendor/moto" 'moto[dynamodb]' --exclude botocore; then
  botocore_version=$(sed -n 's/^Version: //p' "$root"/vendor/python/botocore-*.dist-info/METADATA)
  python3 -m pip install --quiet --disable-pip-version-check --no-compile --target "$dest/vendor/moto" \
    "moto[dynamodb]${MOTO_VERSION:+==$MOTO_VERSION}" "botocore==$botocore_version"
  rm -rf "$dest"/vendor/moto/botocore "$dest"/vendor/moto/botocore-*.dist-info "$dest"/vendor/moto/bin
fi
if [ "$variant" = full ]; then
  ln -s ../python/botocore "$dest/vendor/moto/botocore"
  # What GraalPy cannot load: CPython's compiled extension modules (moto falls back to pure Python where it has a
  # choice: PyYAML, MarkupSafe) and the packages the bridge replaces with stand-ins or blocks (cryptography, with
  # its cffi; charset_normalizer and chardet: python-services/polystack_bridge/shims.py).
  find "$dest/vendor/moto" -name '*.so' -delete
  rm -rf "$dest"/vendor/moto/{cryptography,cffi,pycparser,charset_normalizer,chardet}
fi
find "$dest/vendor" -name '__pycache__' -prune -exec rm -rf {} +

# The library jars: GraalPy's stored classes deflated, other platforms' native files dropped.
python3 "$root/container/slim_jars.py" "$dest/gateway/target/lib"

# The Java runtime: the modules the jars use (jdeps, recorded in container/java-modules), stripped and compressed
# (zip-6: 63 MB of classes in 29; the start-up cache holds the classes a start needs, so reading them costs little).
# The native-only image leaves out the modules only GraalPy needs (container/java-modules-python).
modules=$(grep -hv '^#' "$root/container/java-modules" \
  $([ "$variant" = full ] && echo "$root/container/java-modules-python") | tr -s ' \n' ',' | sed 's/^,//; s/,$//')
"$JAVA_HOME/bin/jlink" --add-modules "$modules" --output "$dest/jre" --strip-debug --no-header-files \
  --no-man-pages --strip-native-debug-symbols=exclude-debuginfo-files --compress=zip-6
# java.desktop stays for java.beans (Quartz, Jackson, SnakeYAML and commons-lang3 use it); its AWT, font, image
# and sound libraries are never loaded by a headless server (and would pull X11 and ALSA libraries into the base).
# libjvm keeps its symbol table unless stripped: 5 MB that only a native debugger reads.
rm -f "$dest"/jre/lib/lib{awt,awt_headless,awt_xawt,fontmanager,freetype,javajpeg,jawt,jsound,lcms,mlib_image,splashscreen}.so
if command -v strip >/dev/null; then strip --strip-unneeded "$dest/jre/lib/server/libjvm.so"; fi
echo "assembled $dest ($variant): $(du -sh "$dest" | cut -f1) (runtime $(du -sh "$dest/jre" | cut -f1), libraries" \
  "$(du -sh "$dest/gateway/target/lib" | cut -f1), vendor $(du -sh "$dest/vendor" | cut -f1))" >&2
