#!/usr/bin/env bash
# The GraalPy bridge side by side in one bounded run: SQS round trips and ListQueues against native SQS,
# moto-hosted SQS (PROVIDER_OVERRIDE_SQS=moto), python-hosted SQS (the tiny test provider) and moto's own
# server, with client wall time and server CPU per iteration. See bench/bridge_bench.py for the options:
#   bench/bridge.sh [--iterations 300] [--warmup 3] [--max-seconds 40] [--servers native,moto,python,moto_server]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
if [ ! -d gateway/target/lib ]; then
  echo "bench: building (./mvnw -q -B package -DskipTests)..." >&2
  ./mvnw -q -B package -DskipTests
fi
exec python3 bench/bridge_bench.py "$@"
