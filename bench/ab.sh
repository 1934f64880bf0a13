#!/usr/bin/env bash
# Before/after comparison of two Polystack builds side by side in one run (the same box, the same minute):
#   bench/ab.sh OTHER_TREE [--starts 3] [--seconds 4] [--rounds 2] [--scenarios a,b] [--concurrency 1,8]
#               [--before-opts "JAVA OPTS"] [--after-opts "JAVA OPTS"] [--no-protocol]
# OTHER_TREE is a second checkout, built (./polystack build), for example of main before a change:
#   git worktree add --detach /tmp/before <commit> && (cd /tmp/before && ./polystack build)
# Prints, for "before" (OTHER_TREE) and "after" (this tree): start to ready (first health answer) and idle RSS,
# alternating starts; then both servers under the same alternating load (dev.polystack.bench.Compare) with each
# server's CPU seconds over the load from /proc, and per iteration in each row (the figure to compare on a loaded box:
# it moves far less with the load than the rate does); then ProtocolCpuTime of each tree (--no-protocol: not).
# --before-opts/--after-opts give one side extra JVM options (JAVA_OPTS), so OTHER_TREE may be this tree itself:
#   bench/ab.sh . --before-opts "-XX:+UseSerialGC"      # one build, two collectors
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
other="$(cd "${1:?usage: bench/ab.sh OTHER_TREE [options]}" && pwd)"; shift
starts=3 scenarios="sqs-send-receive-delete,sqs-list-queues,s3-put-get-1kib" concurrency="1,8" rest=()
before_opts="" after_opts="" protocol=1
while [ $# -gt 0 ]; do
  case "$1" in
    --starts) starts="$2"; shift 2 ;;
    --scenarios) scenarios="$2"; shift 2 ;;
    --concurrency) concurrency="$2"; shift 2 ;;
    --before-opts) before_opts="$2"; shift 2 ;;
    --after-opts) after_opts="$2"; shift 2 ;;
    --no-protocol) protocol=0; shift ;;
    *) rest+=("$1"); shift ;;
  esac
done
cd "$root"
. scripts/find-jdk.sh
export POLYSTACK_RUNTIME_ONLY=1  # both trees are built (checked below): never rebuild one in the middle of a run
for tree in "$root" "$other"; do
  [ -f "$tree/gateway/target/classpath.txt" ] && [ -d "$tree/bench/target/lib" ] || { echo "bench/ab.sh: build $tree first (./polystack build)" >&2; exit 1; }
done

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
rss_mb() { awk '/VmRSS/ {printf "%.0f", $2/1024}' "/proc/$1/status" 2>/dev/null || echo "?"; }
# CPU seconds of a process and its threads (utime + stime).
cpu_s() { awk -v hz="$(getconf CLK_TCK)" '{printf "%.2f", ($14 + $15) / hz}' "/proc/$1/stat" 2>/dev/null || echo "?"; }
# The java process the launcher exec'd (the launcher execs java, so it is the same pid).
start_server() { # tree port logdir java-opts -> pid
  JAVA_OPTS="$4" GATEWAY_LISTEN="127.0.0.1:$2" DATA_DIR="$3/data-$2" "$1/polystack" start >"$3/server-$2.log" 2>&1 &
  echo $!
}
wait_ready() { # port pid -> seconds
  local start=$(date +%s.%N)
  for _ in $(seq 1 1200); do
    if curl -s -o /dev/null "http://127.0.0.1:$1/_localstack/health"; then python3 -c "print(f'{$(date +%s.%N)-$start:.2f}')"; return 0; fi
    kill -0 "$2" 2>/dev/null || { echo "server exited" >&2; return 1; }
    sleep 0.02
  done
  echo "timeout" >&2; return 1
}
stop() { kill "$1" 2>/dev/null || true; wait "$1" 2>/dev/null || true; }

logs=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do stop "$p"; done; rm -rf "$logs"; }
trap cleanup EXIT

echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "== start to ready, idle RSS (2 s after ready), $starts alternating starts each"
for i in $(seq 1 "$starts"); do
  for label in before after; do
    tree=$root jopts=$after_opts; [ $label = before ] && tree=$other jopts=$before_opts
    port=$(free_port); pid=$(start_server "$tree" "$port" "$logs" "$jopts"); pids+=("$pid")
    up=$(wait_ready "$port" "$pid") || { cat "$logs/server-$port.log"; exit 1; }
    sleep 2
    echo "$label: ready in ${up}s, idle RSS $(rss_mb "$pid") MB"
    stop "$pid"
  done
done

echo
echo "== load: $scenarios at concurrency $concurrency (alternating rounds)"
before_port=$(free_port); after_port=$(free_port)
before_pid=$(start_server "$other" "$before_port" "$logs" "$before_opts"); pids+=("$before_pid")
after_pid=$(start_server "$root" "$after_port" "$logs" "$after_opts"); pids+=("$after_pid")
wait_ready "$before_port" "$before_pid" >/dev/null && wait_ready "$after_port" "$after_pid" >/dev/null
b0=$(cpu_s "$before_pid"); a0=$(cpu_s "$after_pid")
"$JAVA_HOME/bin/java" -Xmx256m -cp "bench/target/classes:bench/target/lib/*" dev.polystack.bench.Compare \
  --target "before=http://127.0.0.1:$before_port" --target "after=http://127.0.0.1:$after_port" \
  --pid "before=$before_pid" --pid "after=$after_pid" \
  --scenarios "$scenarios" --concurrency "$concurrency" "${rest[@]}"
b1=$(cpu_s "$before_pid"); a1=$(cpu_s "$after_pid")
echo "server CPU over the load: before $(python3 -c "print(f'{$b1-$b0:.2f}')") s, after $(python3 -c "print(f'{$a1-$a0:.2f}')") s;" \
  "RSS after load: before $(rss_mb "$before_pid") MB, after $(rss_mb "$after_pid") MB"
stop "$before_pid"; stop "$after_pid"

[ "$protocol" = 1 ] || { echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"; exit 0; }
echo
echo "== ProtocolCpuTime (parse + serialize, µs of thread CPU per operation)"
for label in before after; do
  tree=$root; [ $label = before ] && tree=$other
  echo "-- $label"
  "$JAVA_HOME/bin/java" -cp "$tree/bench/target/classes:$tree/bench/target/lib/*" dev.polystack.bench.jmh.ProtocolCpuTime 1 2>/dev/null
done
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
