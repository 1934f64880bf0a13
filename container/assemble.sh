#!/usr/bin/env bash
# Lays out what the container image holds under DEST (the image's /opt/polystack), from a built tree
# (./polystack build): the launcher, the gateway jar and its libraries, botocore's specifications, moto and its
# pure-Python dependencies for the Python tier, and a Java runtime made with jlink from the JDK that built it.
#   container/assemble.sh DEST
# Used by the Dockerfile's build stage and by container/build-local.sh (this machine, no registry).
# Moto comes from python3's own site-packages, else from pip (MOTO_VERSION, default the newest).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
dest=$1
. "$root/scripts/find-jdk.sh"

rm -rf "$dest"
mkdir -p "$dest/gateway/target" "$dest/scripts" "$dest/vendor"
cp "$root/polystack" "$dest/"
cp "$root/scripts/find-jdk.sh" "$dest/scripts/"
cp "$root/container/docker-entrypoint.sh" "$root/container/healthcheck.sh" "$dest/"
cp -r "$root"/gateway/target/gateway-*.jar "$root/gateway/target/lib" "$root/gateway/target/classpath.txt" "$dest/gateway/target/"
cp -r "$root/vendor/python" "$dest/vendor/python"
rm -f "$dest/vendor/python/.installed-requirements"

# Moto and its dependencies in their own folder (POLYSTACK_MOTO_PATH), sharing vendor/python's botocore: copied
# from this machine's python3 when it has moto, else installed by pip from its configured index.
if ! python3 "$root/container/copy_python_packages.py" "$dest/vendor/moto" 'moto[dynamodb]' --exclude botocore; then
  botocore_version=$(sed -n 's/^Version: //p' "$root"/vendor/python/botocore-*.dist-info/METADATA)
  python3 -m pip install --quiet --disable-pip-version-check --no-compile --target "$dest/vendor/moto" \
    "moto[dynamodb]${MOTO_VERSION:+==$MOTO_VERSION}" "botocore==$botocore_version"
  rm -rf "$dest"/vendor/moto/botocore "$dest"/vendor/moto/botocore-*.dist-info "$dest"/vendor/moto/bin
fi
ln -s ../python/botocore "$dest/vendor/moto/botocore"
find "$dest/vendor" -name '__pycache__' -prune -exec rm -rf {} +
# What GraalPy cannot load: CPython's compiled extension modules (moto falls back to pure Python where it has a
# choice: PyYAML, MarkupSafe) and the packages the bridge replaces with stand-ins or blocks (cryptography, with its
# cffi; charset_normalizer and chardet: python-services/polystack_bridge/shims.py).
find "$dest/vendor/moto" -name '*.so' -delete
rm -rf "$dest"/vendor/moto/{cryptography,cffi,pycparser,charset_normalizer,chardet}

# The library jars: GraalPy's stored classes deflated, other platforms' native files dropped.
python3 "$root/container/slim_jars.py" "$dest/gateway/target/lib"

# The Java runtime: the modules the jars use (jdeps, recorded in container/java-modules), stripped and compressed
# (zip-6: 63 MB of classes in 29; the start-up cache holds the classes a start needs, so reading them costs little).
modules=$(grep -v '^#' "$root/container/java-modules" | tr -s ' \n' ',' | sed 's/^,//; s/,$//')
"$JAVA_HOME/bin/jlink" --add-modules "$modules" --output "$dest/jre" --strip-debug --no-header-files \
  --no-man-pages --strip-native-debug-symbols=exclude-debuginfo-files --compress=zip-6
# java.desktop stays for java.beans (Quartz, Jackson, SnakeYAML and commons-lang3 use it); its AWT, font, image
# and sound libraries are never loaded by a headless server (and would pull X11 and ALSA libraries into the base).
# libjvm keeps its symbol table unless stripped: 5 MB that only a native debugger reads.
rm -f "$dest"/jre/lib/lib{awt,awt_headless,awt_xawt,fontmanager,freetype,javajpeg,jawt,jsound,lcms,mlib_image,splashscreen}.so
if command -v strip >/dev/null; then strip --strip-unneeded "$dest/jre/lib/server/libjvm.so"; fi
echo "assembled $dest: $(du -sh "$dest" | cut -f1) (runtime $(du -sh "$dest/jre" | cut -f1), libraries" \
  "$(du -sh "$dest/gateway/target/lib" | cut -f1), moto $(du -sh "$dest/vendor/moto" | cut -f1))" >&2
