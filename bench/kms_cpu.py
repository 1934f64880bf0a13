#!/usr/bin/env python3
"""Server CPU per KMS Encrypt+Decrypt round trip (the `kms-encrypt-decrypt` scenario's work), at 1 and 16 clients.

CPU time, not wall time: on the shared, loaded build machine wall-clock figures mostly measure waiting.
The server's CPU comes from /proc/<pid>/stat (user + system), so the server must run on this machine:

    GATEWAY_LISTEN=127.0.0.1:45991 ./polystack start &
    python3 bench/kms_cpu.py --endpoint http://127.0.0.1:45991 --pid <java pid> [--rounds 3000]

Each round trip is an Encrypt of 64 bytes with an encryption context, then a Decrypt of the blob, over
JSON 1.1 as boto3 sends them. Runs alternate between the concurrencies; the lowest run of each is printed.
"""
import argparse
import os
import threading

import boto3
from procstats import cpu_seconds


def round_trips(kms, key_id, n, worker):
    context = {"worker": str(worker)}
    plaintext = bytes(64)
    for _ in range(n):
        blob = kms.encrypt(KeyId=key_id, Plaintext=plaintext, EncryptionContext=context)["CiphertextBlob"]
        if kms.decrypt(CiphertextBlob=blob, EncryptionContext=context)["Plaintext"] != plaintext:
            raise SystemExit("round trip changed the data")


def run(clients, key_id, total, concurrency):
    per = total // concurrency
    threads = [threading.Thread(target=round_trips, args=(clients[i], key_id, per, i)) for i in range(concurrency)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return per * concurrency


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--endpoint", required=True)
    p.add_argument("--pid", type=int, required=True)
    p.add_argument("--rounds", type=int, default=3000, help="round trips per measured run")
    p.add_argument("--concurrency", default="1,16")
    a = p.parse_args()
    levels = [int(c) for c in a.concurrency.split(",")]
    kw = dict(endpoint_url=a.endpoint, region_name="us-east-1", aws_access_key_id="test", aws_secret_access_key="test")
    session = boto3.session.Session()
    clients = [session.client("kms", **kw) for _ in range(max(levels))]
    key_id = clients[0].create_key(Description="cpu bench")["KeyMetadata"]["KeyId"]
    run(clients, key_id, 1000, max(levels))  # warm-up: JIT and connections
    results = {c: [] for c in levels}
    for _ in range(2):
        for c in levels:
            before = cpu_seconds(a.pid)
            done = run(clients, key_id, a.rounds, c)
            results[c].append((cpu_seconds(a.pid) - before) * 1000 / done)
    print(f"load average {os.getloadavg()}")
    for c in levels:
        print(f"server CPU per Encrypt+Decrypt round trip, {c:>2} clients: {min(results[c]):.3f} ms "
              f"(runs {', '.join(f'{r:.3f}' for r in results[c])})")


if __name__ == "__main__":
    main()
