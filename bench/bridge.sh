#!/usr/bin/env bash
# The GraalPy bridge side by side: the same SQS load against native SQS, moto-hosted SQS
# (PROVIDER_OVERRIDE_SQS=moto) and python-hosted SQS (PROVIDER_OVERRIDE_SQS=python with the test
# provider tests/python_providers/polystack_test_provider.py), three Polystack servers in one run.
#   bench/bridge.sh [--concurrency 1] [--seconds 5] [--rounds 1]
# Prints each server's time to a running SQS and RSS, then Compare's table:
#   sqs-bridge-round-trip   send + receive + delete (what a client does), per provider kind
#   sqs-list-queues         the cheapest call: python minus native ≈ the bridge's own per-call cost
#                           (JSON hand-off, GraalPy call, a trivial Python method)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
. scripts/find-jdk.sh

if [ ! -d bench/target/lib ] || [ ! -d gateway/target/lib ]; then
  echo "bench: building (./mvnw -q -B package -DskipTests)..." >&2
  ./mvnw -q -B package -DskipTests
fi
cp="bench/target/classes:bench/target/lib/*"
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
rss_mb() { awk '/VmRSS/ {printf "%.0f", $2/1024}' "/proc/$1/status" 2>/dev/null || echo "?"; }
sqs_state() { curl -s "$1/_localstack/health" | python3 -c 'import json,sys; print(json.load(sys.stdin)["services"].get("sqs",""))' 2>/dev/null || true; }

logs=$(mktemp -d)
declare -A url pid
start_server() { # name env...
  local name=$1 port; shift
  port=$(free_port)
  url[$name]="http://127.0.0.1:$port"
  env "$@" GATEWAY_LISTEN="127.0.0.1:$port" DATA_DIR="$logs/$name" EAGER_SERVICE_LOADING=1 POLYSTACK_XMX=1g \
    ./polystack start >"$logs/$name.log" 2>&1 &
  pid[$name]=$!
}
cleanup() { for p in "${pid[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$logs"; }
trap cleanup EXIT

t0=$(date +%s.%N)
start_server native
start_server moto PROVIDER_OVERRIDE_SQS=moto
start_server python PROVIDER_OVERRIDE_SQS=python POLYSTACK_PYTHON_PROVIDERS=sqs=polystack_test_provider:TinySqsProvider \
  POLYSTACK_PYTHON_PATH="$root/tests/python_providers"
for name in native moto python; do
  for _ in $(seq 1 1800); do # bounded: 15 minutes on a busy machine
    state=$(sqs_state "${url[$name]}")
    [ "$state" = "running" ] && break
    [ "$state" = "error" ] && { tail -30 "$logs/$name.log"; exit 1; }
    kill -0 "${pid[$name]}" 2>/dev/null || { tail -30 "$logs/$name.log"; exit 1; }
    sleep 0.5
  done
  printf '%-7s sqs running %6.1fs after launch (3 servers starting together), RSS %s MB\n' "$name" \
    "$(python3 -c "print($(date +%s.%N)-$t0)")" "$(rss_mb "${pid[$name]}")"
done
echo

"$JAVA_HOME/bin/java" -Xmx256m -cp "$cp" dev.polystack.bench.Compare \
  --target "native=${url[native]}" --target "moto=${url[moto]}" --target "python=${url[python]}" \
  --scenarios sqs-bridge-round-trip,sqs-list-queues --concurrency 1 --seconds 5 --rounds 1 "$@"

echo
for name in native moto python; do echo "RSS after load: $name $(rss_mb "${pid[$name]}") MB"; done
