#!/usr/bin/env bash
# Makes the image's base file system from this machine's own programs, with no image registry: bash, curl and the
# few core utilities the launcher and init hooks use, plus exactly the shared libraries they (and the Java runtime
# in RUNTIME_DIR, when given) load. Writes a tar of it to $1 (import it with `podman import`).
#   container/make-base.sh OUT.tar [RUNTIME_DIR]
# The public build (Dockerfile, `docker build .`) uses debian:bookworm-slim with curl instead: same programs.
set -euo pipefail
out=$1
runtime=${2:-}
root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT

programs=(bash sh curl cat cp mkdir mktemp mv rm rmdir ls ln chmod touch find grep sed head tail tr cut sort wc
  sleep seq env date dirname basename id uname readlink realpath tee xargs)

copy_file() {  # copies a file (following symbolic links) to the same path under $root
  local src=$1
  mkdir -p "$root$(dirname "$src")"
  cp -L "$src" "$root$src"
}
copy_libs() {  # copies every shared library a binary or library loads (the runtime's own stay in the runtime)
  local lib
  for lib in $(ldd "$1" 2>/dev/null | grep -o '/[^ ]*' || true); do
    if [ -n "$runtime" ] && [[ $lib == "$runtime"/* ]]; then continue; fi
    [ -e "$root$lib" ] || copy_file "$lib"
  done
}

for p in "${programs[@]}"; do
  path=$(command -v "$p")
  copy_file "$path"
  copy_libs "$path"
done
# Debian keeps programs in /usr/bin with /bin a link to it: keep both spellings working.
ln -s usr/bin "$root/bin" 2>/dev/null || true
[ -e "$root/lib64" ] || { [ -d "$root/usr/lib64" ] && ln -s usr/lib64 "$root/lib64"; } || true
[ -e "$root/lib" ] || { [ -d "$root/usr/lib" ] && ln -s usr/lib "$root/lib"; } || true
# Name lookups (localhost) and the dynamic loader's cache-free search.
for lib in /lib/x86_64-linux-gnu/libnss_files.so.2 /lib/x86_64-linux-gnu/libnss_dns.so.2 /lib/x86_64-linux-gnu/libresolv.so.2; do
  [ -e "$lib" ] && [ ! -e "$root$lib" ] && copy_file "$lib"
done
if [ -n "$runtime" ]; then
  while IFS= read -r so; do copy_libs "$so"; done < <(find "$runtime" -name '*.so')
  copy_libs "$runtime/bin/java"
fi

mkdir -p "$root/etc" "$root/tmp" "$root/root" "$root/var/tmp" "$root/dev" "$root/proc" "$root/sys"
chmod 1777 "$root/tmp" "$root/var/tmp"
printf 'root:x:0:0:root:/root:/bin/bash\nnobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n' > "$root/etc/passwd"
printf 'root:x:0:\nnogroup:x:65534:\n' > "$root/etc/group"
printf 'passwd: files\ngroup: files\nhosts: files dns\n' > "$root/etc/nsswitch.conf"
printf '127.0.0.1 localhost\n::1 localhost\n' > "$root/etc/hosts"

tar -C "$root" --numeric-owner --owner=0 --group=0 -cf "$out" .
echo "base file system: $(du -sh "$root" | cut -f1) ($out)" >&2
