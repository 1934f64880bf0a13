"""CPU per moto SQS operation under GraalPy, with ~150 messages queued (run through bench/GraalPyScript.java).

Standard and FIFO queue: SendMessageBatch of 10, ReceiveMessage of 10, DeleteMessage, each timed as the
thread's CPU time. POLYSTACK_MOTO_SPEEDUPS=0 measures moto without the bridge's speed-ups.
    POLYSTACK_MOTO_PATH=$(python3 -c 'import moto,os;print(os.path.dirname(os.path.dirname(moto.__file__)))') \\
      java -cp "gateway/target/lib/*" bench/GraalPyScript.java bench/moto_sqs_cost.py [cycles]
"""
import json
import sys
import time

from polystack_bridge import moto_host

started = time.time()
service = moto_host.load("sqs")
print(f"moto SQS loaded in {time.time() - started:.1f} s", flush=True)
HEADERS = ["Content-Type", "application/x-amz-json-1.0", "Host", "localhost:4566"]


def call(target, body):
    _, _, text, _ = service.handle("POST", "/", "", "sqs.us-east-1.localhost", HEADERS + ["X-Amz-Target", "AmazonSQS." + target],
                                   json.dumps(body), "000000000000", "us-east-1")
    return json.loads(text) if text else {}


def measure(fifo, cycles):
    stats = {}

    def timed(name, request):
        cpu = time.thread_time()
        answer = request()
        entry = stats.setdefault(name, [0, 0.0])
        entry[0] += 1
        entry[1] += time.thread_time() - cpu
        return answer

    attributes = {"FifoQueue": "true", "ContentBasedDeduplication": "true"} if fifo else {}
    url = call("CreateQueue", {"QueueName": "cost" + (".fifo" if fifo else ""), "Attributes": attributes})["QueueUrl"]

    def batch(prefix):
        return {"QueueUrl": url, "Entries": [dict(Id=str(i), MessageBody=f"{prefix}-{i}", **(
            {"MessageGroupId": f"g{i % 4}"} if fifo else {})) for i in range(10)]}

    for b in range(15):
        call("SendMessageBatch", batch(f"fill{b}"))
    for cycle in range(cycles):
        timed("SendMessageBatch(10)", lambda: call("SendMessageBatch", batch(f"c{cycle}")))
        got = timed("ReceiveMessage(10)", lambda: call("ReceiveMessage", {"QueueUrl": url, "MaxNumberOfMessages": 10}))
        for message in got.get("Messages", []):
            timed("DeleteMessage", lambda: call("DeleteMessage", {"QueueUrl": url, "ReceiptHandle": message["ReceiptHandle"]}))
    print(("FIFO" if fifo else "standard") + " queue, ~150 messages queued")
    for name, (n, cpu) in stats.items():
        print(f"  {name:22s} n={n:3d}  CPU {1000 * cpu / n:8.1f} ms/op", flush=True)


cycles = int(sys.argv[1]) if len(sys.argv) > 1 else 4
measure(False, cycles)
measure(True, cycles)
