"""Data Firehose end to end (native provider): Direct PUT and Kinesis-sourced delivery streams buffering records into
S3 objects named as AWS names them, buffering hints, describe/list/delete, tags and AWS's error answers."""
import base64
import json
import re
import time

import pytest
from helpers import error_of, unique
from helpers import wait_for

ACCOUNT = "000000000000"
ROLE = f"arn:aws:iam::{ACCOUNT}:role/firehose"


@pytest.fixture(scope="module")
def firehose(aws_client):
    return aws_client("firehose")


@pytest.fixture(scope="module")
def s3(aws_client):
    return aws_client("s3")


def objects(s3, bucket, prefix=""):
    return s3.list_objects_v2(Bucket=bucket, Prefix=prefix).get("Contents", [])


def test_direct_put_delivers_to_s3(firehose, s3):
    bucket, name = unique("fh-bucket"), unique("fh")
    s3.create_bucket(Bucket=bucket)
    arn = firehose.create_delivery_stream(
        DeliveryStreamName=name, DeliveryStreamType="DirectPut",
        ExtendedS3DestinationConfiguration={"RoleARN": ROLE, "BucketARN": f"arn:aws:s3:::{bucket}", "Prefix": "raw/",
                                            "BufferingHints": {"SizeInMBs": 1, "IntervalInSeconds": 1}},
        Tags=[{"Key": "team", "Value": "data"}])["DeliveryStreamARN"]
    assert arn == f"arn:aws:firehose:us-east-1:{ACCOUNT}:deliverystream/{name}"
    d = firehose.describe_delivery_stream(DeliveryStreamName=name)["DeliveryStreamDescription"]
    assert (d["DeliveryStreamStatus"], d["DeliveryStreamType"], d["VersionId"], d["HasMoreDestinations"]) == ("ACTIVE", "DirectPut", "1", False)
    dest = d["Destinations"][0]["ExtendedS3DestinationDescription"]
    assert (dest["BucketARN"], dest["Prefix"], dest["BufferingHints"], dest["CompressionFormat"]) == (
        f"arn:aws:s3:::{bucket}", "raw/", {"SizeInMBs": 1, "IntervalInSeconds": 1}, "UNCOMPRESSED")
    assert name in firehose.list_delivery_streams(Limit=1000)["DeliveryStreamNames"]

    assert len(firehose.put_record(DeliveryStreamName=name, Record={"Data": b"one\n"})["RecordId"]) > 0
    out = firehose.put_record_batch(DeliveryStreamName=name, Records=[{"Data": b"two\n"}, {"Data": b"three"}])
    assert out["FailedPutCount"] == 0 and len(out["RequestResponses"]) == 2
    [obj] = wait_for(lambda: objects(s3, bucket))
    assert re.fullmatch(rf"raw/\d{{4}}/\d\d/\d\d/\d\d/{name}-1-\d{{4}}-\d\d-\d\d-\d\d-\d\d-\d\d-[0-9a-f-]{{36}}", obj["Key"]), obj["Key"]
    assert s3.get_object(Bucket=bucket, Key=obj["Key"])["Body"].read() == b"one\ntwo\nthree", "records as sent, no delimiter added"

    assert firehose.list_tags_for_delivery_stream(DeliveryStreamName=name)["Tags"] == [{"Key": "team", "Value": "data"}]
    firehose.tag_delivery_stream(DeliveryStreamName=name, Tags=[{"Key": "x", "Value": "y"}])
    firehose.untag_delivery_stream(DeliveryStreamName=name, TagKeys=["team"])
    assert firehose.list_tags_for_delivery_stream(DeliveryStreamName=name)["Tags"] == [{"Key": "x", "Value": "y"}]

    firehose.delete_delivery_stream(DeliveryStreamName=name)
    err, status = error_of(firehose.describe_delivery_stream, DeliveryStreamName=name)
    assert (err["Code"], status) == ("ResourceNotFoundException", 400)
    assert err["Message"] == f"Firehose {name} under account {ACCOUNT} not found."


def test_errors(firehose, s3):
    name = unique("fh")
    err, _ = error_of(firehose.put_record, DeliveryStreamName=name, Record={"Data": b"x"})
    assert err["Code"] == "ResourceNotFoundException"
    bucket = unique("fh-bucket")
    s3.create_bucket(Bucket=bucket)
    conf = {"RoleARN": ROLE, "BucketARN": f"arn:aws:s3:::{bucket}"}
    firehose.create_delivery_stream(DeliveryStreamName=name, S3DestinationConfiguration=conf)
    err, _ = error_of(firehose.create_delivery_stream, DeliveryStreamName=name, S3DestinationConfiguration=conf)
    assert (err["Code"], err["Message"]) == ("ResourceInUseException", f"Firehose {name} under accountId {ACCOUNT} already exists")
    firehose.delete_delivery_stream(DeliveryStreamName=name)


def test_kinesis_source_to_s3(firehose, s3, aws_client):
    kinesis = aws_client("kinesis")
    stream, bucket, name = unique("src"), unique("fh-bucket"), unique("fh")
    kinesis.create_stream(StreamName=stream, ShardCount=2)
    stream_arn = kinesis.describe_stream_summary(StreamName=stream)["StreamDescriptionSummary"]["StreamARN"]
    s3.create_bucket(Bucket=bucket)
    firehose.create_delivery_stream(
        DeliveryStreamName=name, DeliveryStreamType="KinesisStreamAsSource",
        KinesisStreamSourceConfiguration={"KinesisStreamARN": stream_arn, "RoleARN": ROLE},
        ExtendedS3DestinationConfiguration={"RoleARN": ROLE, "BucketARN": f"arn:aws:s3:::{bucket}",
                                            "BufferingHints": {"SizeInMBs": 1, "IntervalInSeconds": 1}})
    source = firehose.describe_delivery_stream(DeliveryStreamName=name)["DeliveryStreamDescription"]["Source"]
    assert source["KinesisStreamSourceDescription"]["KinesisStreamARN"] == stream_arn
    err, _ = error_of(firehose.put_record, DeliveryStreamName=name, Record={"Data": b"x"})
    assert err["Code"] == "InvalidArgumentException"
    for i in range(6):
        kinesis.put_record(StreamName=stream, Data=f"r{i};".encode(), PartitionKey=f"pk{i}")

    def delivered():
        got = b"".join(s3.get_object(Bucket=bucket, Key=o["Key"])["Body"].read() for o in objects(s3, bucket))
        return got if len(got) == len(b"r0;") * 6 else None
    got = wait_for(delivered)
    assert sorted(got.decode().rstrip(";").split(";")) == [f"r{i}" for i in range(6)]
    firehose.delete_delivery_stream(DeliveryStreamName=name)


@pytest.mark.parametrize("fmt,ext", [("GZIP", ".gz"), ("ZIP", ".zip"), ("Snappy", ".snappy"), ("HADOOP_SNAPPY", ".snappy")])
def test_compressed_objects(firehose, s3, fmt, ext):
    bucket, name = unique("fh-bucket"), unique("fh")
    s3.create_bucket(Bucket=bucket)
    firehose.create_delivery_stream(
        DeliveryStreamName=name,
        ExtendedS3DestinationConfiguration={"RoleARN": ROLE, "BucketARN": f"arn:aws:s3:::{bucket}", "CompressionFormat": fmt,
                                            "BufferingHints": {"SizeInMBs": 1, "IntervalInSeconds": 60}})
    dest = firehose.describe_delivery_stream(DeliveryStreamName=name)["DeliveryStreamDescription"]["Destinations"][0]
    assert dest["ExtendedS3DestinationDescription"]["CompressionFormat"] == fmt
    records = [f"record {i} ".encode() * 20 + b"\n" for i in range(200)]
    for i in range(0, len(records), 100):
        firehose.put_record_batch(DeliveryStreamName=name, Records=[{"Data": r} for r in records[i:i + 100]])
    firehose.delete_delivery_stream(DeliveryStreamName=name)   # delivers what is buffered
    [obj] = wait_for(lambda: objects(s3, bucket))
    assert obj["Key"].endswith(f"-{obj['Key'][-36 - len(ext):-len(ext)]}{ext}"), obj["Key"]
    body = s3.get_object(Bucket=bucket, Key=obj["Key"])["Body"].read()
    assert decompress(fmt, body) == b"".join(records)
    assert len(body) < len(b"".join(records)) // 4, "compressed"


def decompress(fmt, body):
    import gzip
    import io
    import zipfile
    if fmt == "GZIP":
        return gzip.decompress(body)
    if fmt == "ZIP":
        with zipfile.ZipFile(io.BytesIO(body)) as z:
            [entry] = z.namelist()
            return z.read(entry)
    if fmt == "Snappy":
        return snappy_framed(body)
    return hadoop_snappy(body)


def snappy_block(data):
    """Decodes one raw Snappy block (the format's reference description: a varint length, then literals and copies)."""
    pos, length, shift = 0, 0, 0
    while True:
        b = data[pos]
        pos += 1
        length |= (b & 0x7F) << shift
        shift += 7
        if b < 0x80:
            break
    out = bytearray()
    while pos < len(data):
        tag = data[pos]
        pos += 1
        kind = tag & 3
        if kind == 0:
            n = tag >> 2
            if n >= 60:
                extra = n - 59
                n = int.from_bytes(data[pos:pos + extra], "little")
                pos += extra
            n += 1
            out += data[pos:pos + n]
            pos += n
            continue
        if kind == 1:
            n, offset = ((tag >> 2) & 7) + 4, ((tag >> 5) << 8) | data[pos]
            pos += 1
        elif kind == 2:
            n, offset = (tag >> 2) + 1, int.from_bytes(data[pos:pos + 2], "little")
            pos += 2
        else:
            n, offset = (tag >> 2) + 1, int.from_bytes(data[pos:pos + 4], "little")
            pos += 4
        for _ in range(n):
            out.append(out[-offset])
    assert len(out) == length
    return bytes(out)


def snappy_framed(body):
    """Snappy's framing format: a stream identifier chunk, then compressed (0x00) or uncompressed (0x01) chunks."""
    assert body[:10] == b"\xff\x06\x00\x00sNaPpY"
    pos, out = 10, bytearray()
    while pos < len(body):
        kind, size = body[pos], int.from_bytes(body[pos + 1:pos + 4], "little")
        chunk = body[pos + 4:pos + 4 + size]
        if kind == 0x00:
            out += snappy_block(chunk[4:])   # after a 4-byte masked CRC
        elif kind == 0x01:
            out += chunk[4:]
        pos += 4 + size
    return bytes(out)


def hadoop_snappy(body):
    """Hadoop's block format: big-endian uncompressed length, then big-endian-length-prefixed Snappy blocks."""
    pos, out = 0, bytearray()
    while pos < len(body):
        total = int.from_bytes(body[pos:pos + 4], "big")
        pos += 4
        got = 0
        while got < total:
            size = int.from_bytes(body[pos:pos + 4], "big")
            block = snappy_block(body[pos + 4:pos + 4 + size])
            out += block
            got += len(block)
            pos += 4 + size
    return bytes(out)


@pytest.fixture(scope="module")
def https_endpoint(tmp_path_factory):
    """A local HTTPS endpoint (self-signed certificate for 127.0.0.1) recording each request; `answer` sets how it
    replies: "ok" (200 with the request's requestId), "error" (500)."""
    import base64
    import datetime as dt
    import gzip
    import http.server
    import ipaddress
    import json as jsonlib
    import ssl
    import threading

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = dt.datetime.now(dt.timezone.utc)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now - dt.timedelta(days=1))
            .not_valid_after(now + dt.timedelta(days=1))
            .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), critical=False)
            .sign(key, hashes.SHA256()))
    folder = tmp_path_factory.mktemp("https")
    (folder / "cert.pem").write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    (folder / "key.pem").write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                                       serialization.NoEncryption()))
    state = {"answer": "ok", "requests": []}

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_POST(self):
            raw = self.rfile.read(int(self.headers["Content-Length"]))
            body = gzip.decompress(raw) if self.headers.get("Content-Encoding") == "gzip" else raw
            doc = jsonlib.loads(body)
            state["requests"].append({"headers": dict(self.headers), "body": doc,
                                      "records": [base64.b64decode(r["data"]) for r in doc["records"]]})
            if state["answer"] == "ok":
                reply = jsonlib.dumps({"requestId": doc["requestId"], "timestamp": doc["timestamp"]}).encode()
                self.send_response(200)
            else:
                reply = b'{"errorMessage": "unavailable"}'
                self.send_response(500)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(reply)))
            self.end_headers()
            self.wfile.write(reply)

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(folder / "cert.pem", folder / "key.pem")
    server.socket = context.wrap_socket(server.socket, server_side=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    state["url"] = f"https://127.0.0.1:{server.server_address[1]}/ingest"
    yield state
    server.shutdown()


def test_http_endpoint_destination(firehose, s3, https_endpoint):
    bucket, name = unique("fh-backup"), unique("fh-http")
    s3.create_bucket(Bucket=bucket)
    https_endpoint["answer"], https_endpoint["requests"] = "ok", []
    arn = firehose.create_delivery_stream(DeliveryStreamName=name, HttpEndpointDestinationConfiguration={
        "EndpointConfiguration": {"Url": https_endpoint["url"], "Name": "local", "AccessKey": "secret-key"},
        "RequestConfiguration": {"ContentEncoding": "GZIP", "CommonAttributes": [{"AttributeName": "env", "AttributeValue": "test"}]},
        "BufferingHints": {"SizeInMBs": 1, "IntervalInSeconds": 60},
        "RetryOptions": {"DurationInSeconds": 60},
        "S3BackupMode": "FailedDataOnly",
        "S3Configuration": {"RoleARN": ROLE, "BucketARN": f"arn:aws:s3:::{bucket}"}})["DeliveryStreamARN"]
    d = firehose.describe_delivery_stream(DeliveryStreamName=name)["DeliveryStreamDescription"]["Destinations"][0]
    http = d["HttpEndpointDestinationDescription"]
    assert http["EndpointConfiguration"] == {"Url": https_endpoint["url"], "Name": "local"}, "the access key is not shown"
    assert (http["S3BackupMode"], http["S3DestinationDescription"]["BucketARN"]) == ("FailedDataOnly", f"arn:aws:s3:::{bucket}")

    firehose.put_record_batch(DeliveryStreamName=name, Records=[{"Data": b"a"}, {"Data": b"b"}])
    firehose.put_record(DeliveryStreamName=name, Record={"Data": b"c"})
    # SizeInMBs 1: a 1 MiB batch makes the buffer full; the three small records travel with it.
    big = b"x" * (1024 * 1024)
    firehose.put_record(DeliveryStreamName=name, Record={"Data": big})
    [req] = wait_for(lambda: https_endpoint["requests"])
    assert req["records"] == [b"a", b"b", b"c", big]
    h = {k.lower(): v for k, v in req["headers"].items()}
    assert (h["x-amz-firehose-protocol-version"], h["x-amz-firehose-access-key"], h["x-amz-firehose-source-arn"]) == ("1.0", "secret-key", arn)
    assert json.loads(h["x-amz-firehose-common-attributes"]) == {"commonAttributes": {"env": "test"}}
    assert h["x-amz-firehose-request-id"] == req["body"]["requestId"] and h["content-encoding"] == "gzip"

    # The endpoint refuses: the records are retried, and when the stream is deleted they go to the backup bucket.
    https_endpoint["answer"] = "error"
    firehose.put_record(DeliveryStreamName=name, Record={"Data": b"y" * (1024 * 1024)})
    wait_for(lambda: len(https_endpoint["requests"]) >= 3, timeout=60)   # first attempt and a retry
    assert s3.list_objects_v2(Bucket=bucket).get("KeyCount", 0) == 0, "still retrying"
    firehose.delete_delivery_stream(DeliveryStreamName=name)
    [obj] = wait_for(lambda: s3.list_objects_v2(Bucket=bucket).get("Contents"))
    assert obj["Key"].startswith("http-endpoint-failed/"), obj["Key"]
    [line] = s3.get_object(Bucket=bucket, Key=obj["Key"])["Body"].read().decode().splitlines()
    failed = json.loads(line)
    assert failed["errorCode"] == "HttpEndpoint.InvalidResponseFromDestination" and failed["attemptsMade"] >= 2
    assert base64.b64decode(failed["rawData"]) == b"y" * (1024 * 1024)
