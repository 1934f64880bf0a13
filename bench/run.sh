#!/usr/bin/env bash
# Compares Polystack with moto's server under the same bounded load, alternating between them.
#   bench/run.sh [--scenarios a,b] [--concurrency 1,16] [--seconds 4] [--warmup s] [--rounds 2] [--list]
# Starts both servers on free loopback ports, prints their start-up and RSS, runs dev.polystack.bench.Compare,
# stops both. Needs a built tree (./polystack build) and moto_server on PATH (pip install 'moto[server]').
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
. scripts/find-jdk.sh

if [ ! -d bench/target/lib ] || [ ! -d gateway/target/lib ]; then
  echo "bench: building (./mvnw -q -B package -DskipTests)..." >&2
  ./mvnw -q -B package -DskipTests
fi
cp="bench/target/classes:bench/target/lib/*"
if [ "${1:-}" = "--list" ]; then exec "$JAVA_HOME/bin/java" -cp "$cp" dev.polystack.bench.Compare --list; fi

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
rss_mb() { awk '/VmRSS/ {printf "%.0f", $2/1024}' "/proc/$1/status" 2>/dev/null || echo "?"; }
wait_http() { # url pid -> seconds waited
  local start=$(date +%s.%N)
  for _ in $(seq 1 600); do
    if curl -s -o /dev/null "$1"; then python3 -c "print(f'{$(date +%s.%N)-$start:.2f}')"; return 0; fi
    kill -0 "$2" 2>/dev/null || { echo "server exited" >&2; return 1; }
    sleep 0.05
  done
  echo "timeout" >&2; return 1
}

logs=$(mktemp -d)
ps_port=$(free_port); moto_port=$(free_port)
GATEWAY_LISTEN="127.0.0.1:$ps_port" DATA_DIR="$logs/data" ./polystack start >"$logs/polystack.log" 2>&1 &
ps_pid=$!
moto_server -H 127.0.0.1 -p "$moto_port" >"$logs/moto.log" 2>&1 &
moto_pid=$!
cleanup() { kill "$ps_pid" "$moto_pid" 2>/dev/null || true; wait "$ps_pid" "$moto_pid" 2>/dev/null || true; rm -rf "$logs"; }
trap cleanup EXIT

ps_up=$(wait_http "http://127.0.0.1:$ps_port/_localstack/health" "$ps_pid") || { cat "$logs/polystack.log"; exit 1; }
moto_up=$(wait_http "http://127.0.0.1:$moto_port/moto-api/" "$moto_pid") || { cat "$logs/moto.log"; exit 1; }
echo "polystack: http://127.0.0.1:$ps_port up in ${ps_up}s, idle RSS $(rss_mb "$ps_pid") MB"
echo "moto:      http://127.0.0.1:$moto_port up in ${moto_up}s, idle RSS $(rss_mb "$moto_pid") MB"
echo

"$JAVA_HOME/bin/java" -Xmx256m -cp "$cp" dev.polystack.bench.Compare \
  --target "polystack=http://127.0.0.1:$ps_port" --target "moto=http://127.0.0.1:$moto_port" "$@"

echo
echo "RSS after load: polystack $(rss_mb "$ps_pid") MB, moto $(rss_mb "$moto_pid") MB"
