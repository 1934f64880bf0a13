#!/usr/bin/env python3
"""The LocalStack tier's figures (issue 19's goals), wall time and the JVM's CPU time, with the load average:

- first Step Functions call after launch (ListStateMachines, lazy loading: the import happens on that call);
- a 3-state (Pass, Pass, Succeed) express execution warm: StartSyncExecution, median of --warm runs;
- a 3-state standard execution warm: StartExecution until DescribeExecution says SUCCEEDED, median;
- first moto-hosted call (SES ListIdentities) after Step Functions is up (the interpreter is shared);
- CloudFormation (LocalStack's engine): first call, then a 5-resource stack (queue, topic, subscription, table, role on
  the native providers) from CreateStack until CREATE_COMPLETE, median of --stacks runs.

Needs vendor/localstack (./polystack vendor localstack). The CPU figures hold better than wall times on a
shared box; the coordinator re-measures on a quiet one.
    python3 bench/localstack_tier.py [--warm 20] [--stacks 5] [--timeout 1800] [--record-python-cache]

The server uses the Python start-up cache (gateway/target/polystack-python.aot) when it exists for this build;
--record-python-cache records it first (./polystack aot python); POLYSTACK_AOT_PYTHON=0 measures without it.
POLYSTACK_INTERNAL_CLIENTS=http measures LocalStack's internal calls over HTTP instead of in process.
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import boto3
import requests
from botocore.config import Config
from procstats import cpu_seconds, free_port, rss_mb

ROOT = Path(__file__).resolve().parent.parent
THREE_STATES = {"StartAt": "A", "States": {"A": {"Type": "Pass", "Result": {"n": 1}, "Next": "B"},
                                           "B": {"Type": "Pass", "Next": "C"}, "C": {"Type": "Succeed"}}}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--warm", type=int, default=20)
    parser.add_argument("--timeout", type=float, default=1800)
    parser.add_argument("--stacks", type=int, default=5)
    parser.add_argument("--record-python-cache", action="store_true")
    parser.add_argument("--no-cloudformation", action="store_true", help="stop after the moto-hosted call")
    args = parser.parse_args()
    if args.record_python_cache:
        subprocess.run([str(ROOT / "polystack"), "aot", "python"], cwd=ROOT, check=True)
    if not (ROOT / "vendor/localstack/localstack/services/providers.py").is_file():
        raise SystemExit("vendor/localstack is missing: run ./polystack vendor localstack first")
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    data = tempfile.mkdtemp(prefix="ls-tier-")
    env = dict(os.environ, GATEWAY_LISTEN=f"127.0.0.1:{port}", DATA_DIR=data, POLYSTACK_XMX="1g",
               PROVIDER_OVERRIDE_STEPFUNCTIONS="localstack", PROVIDER_OVERRIDE_SES="moto",
               POLYSTACK_PYTHON_START_TIMEOUT=str(int(args.timeout)))
    log = open(os.path.join(data, "server.log"), "wb")
    cache = ROOT / "gateway/target/polystack-python.aot"
    stamp = ROOT / "gateway/target/.polystack-built"
    fresh = cache.is_file() and stamp.is_file() and cache.stat().st_mtime >= stamp.stat().st_mtime
    print(f"Python start-up cache: {'used' if fresh and os.environ.get('POLYSTACK_AOT_PYTHON') != '0' else 'not used'}; "
          f"internal clients: {os.environ.get('POLYSTACK_INTERNAL_CLIENTS', 'in-process')}")
    print(f"load average at start: {os.getloadavg()}")
    t0 = time.monotonic()
    proc = subprocess.Popen([str(ROOT / "polystack"), "start"], cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        while True:
            try:
                if requests.get(url + "/_localstack/health", timeout=2).ok:
                    break
            except requests.RequestException:
                time.sleep(0.05)
            if proc.poll() is not None or time.monotonic() - t0 > 300:
                raise SystemExit(f"server did not start: see {data}/server.log")
        print(f"health answering: {time.monotonic() - t0:.1f} s, CPU {cpu_seconds(proc.pid):.1f} s")
        # inject_host_prefix=False: StartSyncExecution's "sync-" host prefix does not resolve for a local endpoint
        cfg = Config(read_timeout=args.timeout + 60, retries={"max_attempts": 1}, inject_host_prefix=False)
        client = lambda s: boto3.client(s, endpoint_url=url, region_name="us-east-1", aws_access_key_id="test",
                                        aws_secret_access_key="test", config=cfg)
        sfn = client("stepfunctions")
        sfn.list_state_machines()
        print(f"first Step Functions call: {time.monotonic() - t0:.1f} s after launch, CPU {cpu_seconds(proc.pid):.1f} s")
        role = "arn:aws:iam::000000000000:role/r"
        express = sfn.create_state_machine(name="bench-express", definition=json.dumps(THREE_STATES), roleArn=role,
                                           type="EXPRESS")["stateMachineArn"]
        standard = sfn.create_state_machine(name="bench-standard", definition=json.dumps(THREE_STATES),
                                            roleArn=role)["stateMachineArn"]
        for label, execute in (("express StartSyncExecution", lambda: sfn.start_sync_execution(stateMachineArn=express)),
                               ("standard until SUCCEEDED", lambda: standard_run(sfn, standard))):
            execute()  # the first run imports the interpreter's remaining modules
            walls, cpus = [], []
            for _ in range(args.warm):
                c0, w0 = cpu_seconds(proc.pid), time.monotonic()
                execute()
                walls.append(time.monotonic() - w0)
                cpus.append(cpu_seconds(proc.pid) - c0)
            print(f"3-state {label}, warm: median {statistics.median(walls) * 1000:.0f} ms wall, "
                  f"{statistics.median(cpus) * 1000:.0f} ms CPU (of {args.warm})")
        w0 = time.monotonic()
        client("ses").list_identities()
        print(f"first moto-hosted call (SES) after that: {time.monotonic() - w0:.1f} s")
        if args.no_cloudformation:
            return
        w0 = time.monotonic()
        cfn = client("cloudformation")
        cfn.list_stacks()
        print(f"first CloudFormation call after that: {time.monotonic() - w0:.1f} s")
        walls, cpus = [], []
        for i in range(args.stacks):
            c0, w0 = cpu_seconds(proc.pid), time.monotonic()
            status = create_stack(cfn, f"bench-{i}")
            walls.append(time.monotonic() - w0)
            cpus.append(cpu_seconds(proc.pid) - c0)
            if status != "CREATE_COMPLETE":
                raise SystemExit(f"stack bench-{i}: {status}")
        print(f"5-resource stack to CREATE_COMPLETE: median {statistics.median(walls):.2f} s wall "
              f"(first {walls[0]:.2f} s), {statistics.median(cpus):.2f} s CPU (of {args.stacks})")
        print(f"RSS {rss_mb(proc.pid):.0f} MB; load average at end: {os.getloadavg()}")
    finally:
        proc.terminate()
        try:
            proc.wait(30)
        except subprocess.TimeoutExpired:
            proc.kill()


def five_resources(name):
    return {"Resources": {
        "Queue": {"Type": "AWS::SQS::Queue", "Properties": {"QueueName": f"{name}-q"}},
        "Topic": {"Type": "AWS::SNS::Topic", "Properties": {"TopicName": f"{name}-t"}},
        "Subscription": {"Type": "AWS::SNS::Subscription", "Properties": {
            "TopicArn": {"Ref": "Topic"}, "Protocol": "sqs", "Endpoint": {"Fn::GetAtt": ["Queue", "Arn"]}}},
        "Table": {"Type": "AWS::DynamoDB::Table", "Properties": {
            "TableName": f"{name}-table", "BillingMode": "PAY_PER_REQUEST",
            "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"}],
            "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}]}},
        "Role": {"Type": "AWS::IAM::Role", "Properties": {"RoleName": f"{name}-role", "AssumeRolePolicyDocument": {
            "Statement": [{"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"},
                           "Action": "sts:AssumeRole"}]}}}}}


def create_stack(cfn, name):
    cfn.create_stack(StackName=name, TemplateBody=json.dumps(five_resources(name)), Capabilities=["CAPABILITY_NAMED_IAM"])
    while True:
        status = cfn.describe_stacks(StackName=name)["Stacks"][0]["StackStatus"]
        if not status.endswith("_IN_PROGRESS"):
            return status
        time.sleep(0.02)


def standard_run(sfn, arn):
    execution = sfn.start_execution(stateMachineArn=arn)["executionArn"]
    while sfn.describe_execution(executionArn=execution)["status"] == "RUNNING":
        time.sleep(0.005)


if __name__ == "__main__":
    sys.exit(main())
