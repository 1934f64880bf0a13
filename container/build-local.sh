#!/usr/bin/env bash
# Builds the container image on this kind of machine: Podman with runc, no image registry reachable, no Docker.
# Same Dockerfile as `docker build .`, with both of its inputs made here instead of pulled:
#   DIST  /opt/polystack assembled from this tree (container/assemble.sh: jlink runtime from this JDK, moto from
#         pip's configured index), imported as the image localhost/polystack-dist;
#   BASE  a base file system of this machine's own bash, curl, core utilities and the shared libraries they and
#         the runtime load (container/make-base.sh), imported as localhost/polystack-base.
#   container/build-local.sh [TAG] [VARIANT]   # default tag: localhost/polystack:latest
#   container/build-local.sh localhost/polystack:native native   # the native-only image (no Python tier)
# Needs root and podman + runc (apt-get install -y podman runc). Podman settings: container/containers.conf.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
tag=${1:-localhost/polystack:latest}
variant=${2:-full}
# The two inputs get names of their own, so that builds running side by side on one machine do not mix them.
scratch=polystack-build-$$
dist_image=localhost/$scratch-dist:latest
base_image=localhost/$scratch-base:latest
export CONTAINERS_CONF=${CONTAINERS_CONF:-$root/container/containers.conf}
podman=(podman --runtime "${POLYSTACK_OCI_RUNTIME:-/usr/sbin/runc}")

if [ ! -f gateway/target/.polystack-built ] || [ ! -f gateway/target/classpath.txt ]; then ./polystack build; fi
work=$(mktemp -d)
trap 'rm -rf "$work"; "${podman[@]}" rmi -f "$dist_image" "$base_image" >/dev/null 2>&1 || true' EXIT

mkdir -p "$work/dist/opt"
container/assemble.sh "$work/dist/opt/polystack" "$variant"
tar -C "$work/dist" --numeric-owner --owner=0 --group=0 -cf "$work/dist.tar" .
"${podman[@]}" import --quiet "$work/dist.tar" "$dist_image" >/dev/null

container/make-base.sh "$work/base.tar" "$work/dist/opt/polystack/jre"
"${podman[@]}" import --quiet --change 'CMD ["/bin/bash"]' "$work/base.tar" "$base_image" >/dev/null

mkdir -p "$work/empty-context"  # the Dockerfile copies only from DIST when DIST is given
# --network host: the start-up cache's training run talks to itself over loopback; nothing is downloaded.
# --layers: one layer per COPY (as docker build makes them), not one for the whole stage.
if ! "${podman[@]}" build --format docker --network host --pull=never --layers \
    --build-arg DIST="$dist_image" --build-arg BASE="$base_image" --build-arg VARIANT="$variant" \
    -t "$tag" -f Dockerfile "$work/empty-context" > "$work/build.log" 2>&1; then
  grep -v '^Getting\|^Copying\|^Writing\|^Storing' "$work/build.log" >&2
  exit 1
fi
"${podman[@]}" image prune -f >/dev/null 2>&1 || true  # the build's intermediate images (untagged)
echo "built $tag: $("${podman[@]}" image inspect --format '{{.Size}}' "$tag" | awk '{printf "%.0f MB", $1/1000000}')" >&2
