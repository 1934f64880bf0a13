"""Platform behaviour of the gateway: LocalStack's endpoints, init hooks, CORS, request ids, error shapes,
routing, clean shutdown. Service-specific behaviour lives in each service's own test module."""
import json
import os
import stat
import textwrap
import time

import pytest
import requests

SIGNED_FOR = "AWS4-HMAC-SHA256 Credential=test/20240101/us-east-1/{service}/aws4_request, " \
             "SignedHeaders=host;x-amz-date, Signature=0000"


def _services(endpoint_url):
    return requests.get(endpoint_url + "/_localstack/health", timeout=10).json()["services"]


def require_service(endpoint_url, service):
    state = _services(endpoint_url).get(service)
    if state not in ("available", "running"):
        pytest.skip(f"{service} is not served by this build (state {state!r})")


def _assert_request_id(response):
    rid = response.headers.get("x-amzn-RequestId")
    assert rid and len(rid) >= 16
    assert response.headers.get("x-amz-request-id") == rid


# --- /_localstack/health, /_localstack/info ----------------------------------------------------------

def test_health_lists_services_edition_and_version(endpoint_url):
    r = requests.get(endpoint_url + "/_localstack/health", timeout=10)
    assert r.status_code == 200
    body = r.json()
    assert body["edition"] == "community"
    assert isinstance(body["version"], str) and body["version"]
    assert isinstance(body["services"], dict)
    for name, state in body["services"].items():
        assert state in ("available", "running", "starting", "disabled", "error"), (name, state)
    _assert_request_id(r)


def test_health_head_answers_without_body(endpoint_url):
    r = requests.head(endpoint_url + "/_localstack/health", timeout=10)
    assert r.status_code == 200
    assert r.content == b""


def test_info_reports_version_and_session(endpoint_url):
    r = requests.get(endpoint_url + "/_localstack/info", timeout=10)
    assert r.status_code == 200
    info = r.json()
    assert info["edition"] == "community"
    assert info["session_id"]
    assert info["uptime"] >= 0
    assert info["version"] == requests.get(endpoint_url + "/_localstack/health").json()["version"]


def test_init_lists_all_stages(endpoint_url):
    r = requests.get(endpoint_url + "/_localstack/init", timeout=10)
    assert r.status_code == 200
    body = r.json()
    assert set(body["completed"]) == {"BOOT", "START", "READY", "SHUTDOWN"}
    assert body["completed"]["BOOT"] is True and body["completed"]["SHUTDOWN"] is False
    assert isinstance(body["scripts"], list)
    stage = requests.get(endpoint_url + "/_localstack/init/boot", timeout=10).json()
    assert stage["completed"] is True
    assert requests.get(endpoint_url + "/_localstack/init/nope", timeout=10).status_code == 404


# --- errors --------------------------------------------------------------------------------------------

def test_unknown_service_gets_json_error_for_json_requests(endpoint_url):
    r = requests.post(endpoint_url + "/", data="{}", timeout=10, headers={
        "Authorization": SIGNED_FOR.format(service="nosuchservice"),
        "X-Amz-Target": "NoSuchService_20200101.DoThing",
        "Content-Type": "application/x-amz-json-1.1"})
    assert r.status_code == 400
    body = r.json()
    assert body["__type"] == "UnknownService"
    assert "nosuchservice" in body["message"]
    _assert_request_id(r)


def test_unknown_service_gets_xml_error_for_other_requests(endpoint_url):
    r = requests.post(endpoint_url + "/", data="Action=DoThing&Version=2020-01-01", timeout=10, headers={
        "Authorization": SIGNED_FOR.format(service="nosuchservice"),
        "Content-Type": "application/x-www-form-urlencoded"})
    assert r.status_code == 400
    assert b"<Code>UnknownService</Code>" in r.content
    assert b"Exception" not in r.content and b"at dev." not in r.content


def test_unknown_json_operation_of_known_service(aws_client, endpoint_url):
    require_service(endpoint_url, "sqs")
    r = requests.post(endpoint_url + "/", data="{}", timeout=10, headers={
        "Authorization": SIGNED_FOR.format(service="sqs"),
        "X-Amz-Target": "AmazonSQS.NoSuchOperation",
        "Content-Type": "application/x-amz-json-1.0"})
    assert r.status_code == 400
    assert "UnknownOperation" in r.json()["__type"] or "InvalidAction" in r.json()["__type"]


def test_unknown_query_action_of_known_service(endpoint_url):
    require_service(endpoint_url, "sqs")
    r = requests.post(endpoint_url + "/", data="Action=NoSuchAction&Version=2012-11-05", timeout=10, headers={
        "Authorization": SIGNED_FOR.format(service="sqs"),
        "Content-Type": "application/x-www-form-urlencoded"})
    assert r.status_code == 400
    assert b"InvalidAction" in r.content


# --- routing ---------------------------------------------------------------------------------------------

def test_boto3_and_cli_reach_sqs(aws_client, aws_cli, endpoint_url):
    require_service(endpoint_url, "sqs")
    sqs = aws_client("sqs")
    url = sqs.create_queue(QueueName="platform-routing")["QueueUrl"]
    assert url in sqs.list_queues()["QueueUrls"]
    assert url in aws_cli("sqs", "list-queues")["QueueUrls"]


def test_account_comes_from_a_12_digit_access_key(aws_client, endpoint_url):
    require_service(endpoint_url, "sqs")
    sqs = aws_client("sqs", aws_access_key_id="111122223333")
    url = sqs.create_queue(QueueName="platform-account")["QueueUrl"]
    assert "/111122223333/" in url
    default = aws_client("sqs").create_queue(QueueName="platform-account")["QueueUrl"]
    assert "/000000000000/" in default


def test_s3_virtual_host_style_is_rewritten_to_path_style(aws_client, endpoint_url):
    require_service(endpoint_url, "s3")
    s3 = aws_client("s3")
    s3.create_bucket(Bucket="platform-vhost")
    s3.put_object(Bucket="platform-vhost", Key="dir/key.txt", Body=b"hello")
    port = endpoint_url.rsplit(":", 1)[1]
    r = requests.get(endpoint_url + "/dir/key.txt", timeout=10,
                     headers={"Host": f"platform-vhost.s3.localhost.localstack.cloud:{port}"})
    assert r.status_code == 200 and r.content == b"hello"
    r = requests.get(endpoint_url + "/dir/key.txt", timeout=10,
                     headers={"Host": "platform-vhost.s3.us-east-1.amazonaws.com"})
    assert r.status_code == 200 and r.content == b"hello"


# --- CORS --------------------------------------------------------------------------------------------

def test_cors_preflight_from_allowed_origin(endpoint_url):
    port = endpoint_url.rsplit(":", 1)[1]
    origin = f"http://localhost:{port}" if "127.0.0.1" in endpoint_url else "https://app.localstack.cloud"
    r = requests.options(endpoint_url + "/_localstack/health", timeout=10, headers={
        "Origin": origin, "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "x-amz-target,content-type"})
    assert r.status_code == 200
    assert r.headers["Access-Control-Allow-Origin"] == origin
    assert "POST" in r.headers["Access-Control-Allow-Methods"]
    assert "x-amz-target" in r.headers["Access-Control-Allow-Headers"]
    r = requests.get(endpoint_url + "/_localstack/health", headers={"Origin": origin}, timeout=10)
    assert r.headers["Access-Control-Allow-Origin"] == origin


def test_cors_refuses_unknown_origin_by_default(endpoint_url):
    r = requests.get(endpoint_url + "/_localstack/health", headers={"Origin": "http://evil.example"}, timeout=10)
    assert r.status_code == 403


def test_cors_settings(start_server):
    srv = start_server({"EXTRA_CORS_ALLOWED_ORIGINS": "http://my.app,http://other.app"})
    ok = requests.get(srv.endpoint_url + "/_localstack/health", headers={"Origin": "http://other.app"}, timeout=10)
    assert ok.status_code == 200 and ok.headers["Access-Control-Allow-Origin"] == "http://other.app"
    assert requests.get(srv.endpoint_url + "/_localstack/health", headers={"Origin": "http://evil.example"},
                        timeout=10).status_code == 403
    srv.stop()
    srv.env = {"DISABLE_CORS_CHECKS": "1"}
    srv.start()
    r = requests.get(srv.endpoint_url + "/_localstack/health", headers={"Origin": "http://evil.example"}, timeout=10)
    assert r.status_code == 200 and r.headers["Access-Control-Allow-Origin"] == "http://evil.example"


# --- init hooks, life cycle ---------------------------------------------------------------------------------

def _script(folder, name, body, executable=True):
    os.makedirs(folder, exist_ok=True)
    path = os.path.join(folder, name)
    with open(path, "w") as f:
        f.write("#!/bin/sh\n" + textwrap.dedent(body))
    if executable:
        os.chmod(path, os.stat(path).st_mode | stat.S_IXUSR)
    return path


def test_init_hooks_run_in_order_and_report_outcomes(start_server, tmp_path):
    init = tmp_path / "init"
    out = tmp_path / "out.txt"
    _script(init / "boot.d", "02-second.sh", f"echo boot2 >> {out}\n")
    _script(init / "boot.d", "01-first.sh", f"echo boot1 >> {out}\n")
    _script(init / "boot.d", "03-fails.sh", "exit 3\n")
    _script(init / "boot.d", "04-not-executable.sh", f"echo never >> {out}\n", executable=False)
    _script(init / "ready.d", "ready.sh", f'curl -fs "$AWS_ENDPOINT_URL/_localstack/health" >/dev/null '
                                          f'&& echo ready >> {out}\n')
    _script(init / "shutdown.d", "bye.sh", f"echo shutdown >> {out}\n")
    srv = start_server({"POLYSTACK_INIT_DIR": str(init)})
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        status = requests.get(srv.endpoint_url + "/_localstack/init", timeout=10).json()
        if status["completed"]["READY"]:
            break
        time.sleep(0.1)
    states = {s["name"]: (s["stage"], s["state"]) for s in status["scripts"]}
    assert states == {"01-first.sh": ("BOOT", "SUCCESSFUL"), "02-second.sh": ("BOOT", "SUCCESSFUL"),
                      "03-fails.sh": ("BOOT", "ERROR"), "ready.sh": ("READY", "SUCCESSFUL"),
                      "bye.sh": ("SHUTDOWN", "UNKNOWN")}
    srv.stop()
    assert out.read_text().split() == ["boot1", "boot2", "ready", "shutdown"]


def test_sigterm_stops_the_server_cleanly(start_server):
    srv = start_server()
    code = srv.stop()
    assert code in (0, 143), srv.log_tail()
    assert "Exception" not in srv.log_tail()
    with pytest.raises(requests.ConnectionError):
        requests.get(srv.endpoint_url + "/_localstack/health", timeout=5)


def test_ready_line_names_address_and_startup_time(start_server):
    srv = start_server()
    log = srv.log_tail()
    line = next(l for l in log.splitlines() if "ready" in l.lower())
    assert srv.endpoint_url in line and " ms" in line
    assert line.endswith("Ready.")  # what LocalStack prints and Testcontainers waits for


def test_services_setting_disables_other_services(start_server):
    srv = start_server({"SERVICES": "sqs"})
    services = requests.get(srv.endpoint_url + "/_localstack/health", timeout=10).json()["services"]
    if "s3" not in services:
        pytest.skip("no s3 provider in this build")
    assert services["s3"] == "disabled"
    r = requests.get(srv.endpoint_url + "/some-bucket", timeout=10)
    assert r.status_code == 501
    assert b"SERVICES" in r.content


# --- request content encodings ---------------------------------------------------------------------------

def _aws_chunked(data, chunk, signed, trailers=b""):
    out = b""
    for i in range(0, len(data), chunk):
        part = data[i:i + chunk]
        ext = b";chunk-signature=" + b"a" * 64 if signed else b""
        out += b"%x" % len(part) + ext + b"\r\n" + part + b"\r\n"
    out += b"0" + (b";chunk-signature=" + b"b" * 64 if signed else b"") + b"\r\n" + trailers + b"\r\n"
    return out


@pytest.mark.parametrize("signed", [True, False])
def test_aws_chunked_uploads_are_decoded(aws_client, endpoint_url, signed):
    require_service(endpoint_url, "s3")
    s3 = aws_client("s3")
    s3.create_bucket(Bucket="platform-chunked")
    data = os.urandom(150_000)
    import zlib, base64
    crc = base64.b64encode(zlib.crc32(data).to_bytes(4, "big")).decode()
    trailers = f"x-amz-checksum-crc32:{crc}\r\n".encode() if not signed else b""
    headers = {
        "Authorization": SIGNED_FOR.format(service="s3"),
        "Content-Encoding": "aws-chunked",
        "x-amz-decoded-content-length": str(len(data)),
        "x-amz-content-sha256": "STREAMING-AWS4-HMAC-SHA256-PAYLOAD" if signed else "STREAMING-UNSIGNED-PAYLOAD-TRAILER",
    }
    if not signed:
        headers["x-amz-trailer"] = "x-amz-checksum-crc32"
    key = f"chunked-{signed}"
    r = requests.put(f"{endpoint_url}/platform-chunked/{key}", data=_aws_chunked(data, 65_536, signed, trailers),
                     headers=headers, timeout=30)
    assert r.status_code == 200, r.text
    got = s3.get_object(Bucket="platform-chunked", Key=key)
    assert got["Body"].read() == data
    assert got["ContentLength"] == len(data)
    assert "aws-chunked" not in (got.get("ContentEncoding") or "")


def test_gzip_request_bodies_are_decoded(endpoint_url):
    require_service(endpoint_url, "sns")
    import gzip
    body = gzip.compress(b"Action=CreateTopic&Name=platform-gzip&Version=2010-03-31")
    r = requests.post(endpoint_url + "/", data=body, timeout=10, headers={
        "Authorization": SIGNED_FOR.format(service="sns"), "Content-Encoding": "gzip",
        "Content-Type": "application/x-www-form-urlencoded"})
    assert r.status_code == 200, r.text
    assert b"arn:aws:sns:us-east-1:000000000000:platform-gzip" in r.content


def _xml_code(response):
    import xml.etree.ElementTree as ET
    root = ET.fromstring(response.content)
    return root.findtext("Code") or root.findtext(".//{*}Code")


@pytest.mark.parametrize("body, declared, code", [
    (b"5\r\nhello\r\nzz\r\n", 5, "InvalidRequest"),            # a chunk header that is not hex
    (b"5\r\nhel", 5, "IncompleteBody"),                          # ends inside a chunk
    (b"5\r\nhello\r\n0\r\n\r\n", 9, "IncompleteBody"),           # shorter than x-amz-decoded-content-length
    (b"3\r\nhello\r\n0\r\n\r\n", 5, "InvalidRequest"),           # a chunk longer than its size
])
def test_malformed_aws_chunked_body_is_a_400_and_the_server_keeps_serving(aws_client, endpoint_url, body, declared, code):
    require_service(endpoint_url, "s3")
    s3 = aws_client("s3")
    s3.create_bucket(Bucket="platform-bad-chunks")
    for content_type in ("application/octet-stream", "application/x-www-form-urlencoded"):  # (the router reads forms)
        r = requests.put(f"{endpoint_url}/platform-bad-chunks/broken", data=body, timeout=30, headers={
            "Authorization": SIGNED_FOR.format(service="s3"), "Content-Encoding": "aws-chunked",
            "Content-Type": content_type, "x-amz-content-sha256": "STREAMING-UNSIGNED-PAYLOAD-TRAILER",
            "x-amz-decoded-content-length": str(declared)})
        assert r.status_code == 400, r.text
        assert r.headers["Content-Type"].startswith("application/xml")
        assert _xml_code(r) == code, r.text
        # S3 names the request x-amz-request-id (and x-amz-id-2, no x-amzn-RequestId) once routed to S3; a body that
        # fails while the router reads it as a form has no service yet and gets the gateway's generic ids
        assert len(r.headers.get("x-amz-request-id", "")) >= 16
        assert r.headers.get("x-amzn-RequestId", r.headers["x-amz-request-id"]) == r.headers["x-amz-request-id"]
    with pytest.raises(s3.exceptions.ClientError) as e:
        s3.head_object(Bucket="platform-bad-chunks", Key="broken")
    assert e.value.response["Error"]["Code"] == "404"
    s3.put_object(Bucket="platform-bad-chunks", Key="fine", Body=b"still serving")
    assert s3.get_object(Bucket="platform-bad-chunks", Key="fine")["Body"].read() == b"still serving"


def test_gzip_encoding_over_a_body_that_is_not_gzip_is_a_400(aws_client, endpoint_url):
    require_service(endpoint_url, "sqs")
    r = requests.post(endpoint_url + "/", data=b"{}", timeout=10, headers={
        "Authorization": SIGNED_FOR.format(service="sqs"), "Content-Encoding": "gzip",
        "X-Amz-Target": "AmazonSQS.ListQueues", "Content-Type": "application/x-amz-json-1.0"})
    assert r.status_code == 400, r.text
    assert r.json()["__type"] == "InvalidRequest"
    r = requests.post(endpoint_url + "/", data=b"Action=ListQueues&Version=2012-11-05", timeout=10, headers={
        "Authorization": SIGNED_FOR.format(service="sqs"), "Content-Encoding": "gzip",
        "Content-Type": "application/x-www-form-urlencoded"})
    assert r.status_code == 400, r.text
    assert _xml_code(r) == "InvalidRequest"
    assert aws_client("sqs").list_queues()["ResponseMetadata"]["HTTPStatusCode"] == 200


# --- region from the Host header (unsigned requests) ---------------------------------------------------

def test_unsigned_request_takes_its_region_from_the_host(aws_client, endpoint_url):
    require_service(endpoint_url, "sqs")
    port = endpoint_url.rsplit(":", 1)[1]
    r = requests.post(endpoint_url + "/", data="Action=CreateQueue&QueueName=platform-host-region&Version=2012-11-05",
                      timeout=10, headers={"Host": f"sqs.eu-west-1.localhost.localstack.cloud:{port}",
                                           "Content-Type": "application/x-www-form-urlencoded"})
    assert r.status_code == 200, r.text
    assert b"sqs.eu-west-1.localhost.localstack.cloud" in r.content
    assert aws_client("sqs", region_name="eu-west-1").get_queue_url(QueueName="platform-host-region")["QueueUrl"]
    with pytest.raises(aws_client("sqs").exceptions.QueueDoesNotExist):
        aws_client("sqs", region_name="us-east-1").get_queue_url(QueueName="platform-host-region")


def test_unsigned_s3_request_takes_its_region_from_the_host(aws_client, endpoint_url):
    require_service(endpoint_url, "s3")
    # Outside us-east-1 a bucket needs a matching location constraint, as on AWS: the host's region decides.
    r = requests.put(endpoint_url + "/platform-host-region-a", timeout=10, headers={"Host": "s3.eu-west-2.amazonaws.com"})
    assert r.status_code == 400, r.text
    assert _xml_code(r) == "IllegalLocationConstraintException"
    constraint = ('<CreateBucketConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/">'
                  '<LocationConstraint>eu-central-1</LocationConstraint></CreateBucketConfiguration>')
    r = requests.put(endpoint_url + "/", data=constraint, timeout=10,
                     headers={"Host": "platform-host-region-b.s3.eu-central-1.amazonaws.com"})
    assert r.status_code == 200, r.text
    location = aws_client("s3").get_bucket_location(Bucket="platform-host-region-b")["LocationConstraint"]
    assert location == "eu-central-1"


# --- HTTP/2 and TLS -----------------------------------------------------------------------------------

def _curl_http_version(*args):
    import subprocess
    out = subprocess.run(["curl", "-s", "-o", "/dev/null", "-w", "%{http_version} %{http_code}", *args],
                         capture_output=True, text=True, timeout=30)
    return out.stdout.strip()


def test_h2c_by_prior_knowledge_and_by_upgrade(endpoint_url):
    assert _curl_http_version("--http2-prior-knowledge", endpoint_url + "/_localstack/health") == "2 200"
    assert _curl_http_version("--http2", endpoint_url + "/_localstack/health") == "2 200"  # HTTP/1.1 Upgrade: h2c
    assert _curl_http_version("--http1.1", endpoint_url + "/_localstack/health") == "1.1 200"
    # a service request over h2c: an AWS-shaped answer, not just the platform endpoints
    assert _curl_http_version("--http2-prior-knowledge", "-X", "POST", "-H", "Authorization: " + SIGNED_FOR.format(service="sts"),
                              "-d", "Action=GetCallerIdentity&Version=2011-06-15", endpoint_url + "/") == "2 200"


def test_use_ssl_serves_https_with_alpn_h2(start_server):
    srv = start_server({"USE_SSL": "1"})
    assert srv.endpoint_url.startswith("https://")
    assert _curl_http_version("-k", "--http2", srv.endpoint_url + "/_localstack/health") == "2 200"
    assert _curl_http_version("-k", "--http1.1", srv.endpoint_url + "/_localstack/health") == "1.1 200"
    s3 = srv.client("s3")  # verify=False: the certificate is self-signed
    s3.create_bucket(Bucket="platform-tls")
    data = os.urandom(70_000)
    s3.put_object(Bucket="platform-tls", Key="k", Body=data)  # boto3 sends aws-chunked with a trailer over https
    assert s3.get_object(Bucket="platform-tls", Key="k")["Body"].read() == data
    located = s3.create_bucket(Bucket="platform-tls-eu", CreateBucketConfiguration={"LocationConstraint": "eu-west-1"})
    assert located["Location"].startswith("https://platform-tls-eu.s3.localhost.localstack.cloud:"), located
    upload = s3.create_multipart_upload(Bucket="platform-tls", Key="mp")["UploadId"]
    etag = s3.upload_part(Bucket="platform-tls", Key="mp", UploadId=upload, PartNumber=1, Body=b"part")["ETag"]
    done = s3.complete_multipart_upload(Bucket="platform-tls", Key="mp", UploadId=upload,
                                        MultipartUpload={"Parts": [{"PartNumber": 1, "ETag": etag}]})
    assert done["Location"].startswith("https://") and done["Location"].endswith("/platform-tls/mp"), done
    sqs = srv.client("sqs")  # queue URLs handed out carry the scheme clients reach the server with
    url = sqs.create_queue(QueueName="platform-tls")["QueueUrl"]
    assert url.startswith("https://sqs.us-east-1.localhost.localstack.cloud:"), url
    sqs.send_message(QueueUrl=url, MessageBody="over tls")
    assert sqs.receive_message(QueueUrl=url)["Messages"][0]["Body"] == "over tls"
    pem = os.path.join(srv.data_dir, "cache", "server.test.pem")
    with open(pem) as f:
        text = f.read()
    assert "BEGIN CERTIFICATE" in text and "PRIVATE KEY" in text
    first = text
    srv.stop()
    srv.start()  # the saved certificate is reused
    with open(pem) as f:
        assert f.read() == first
    assert srv.client("sts").get_caller_identity()["Account"] == "000000000000"


def test_warm_lambda_runtimes_do_not_hold_the_gateways_threads(start_server):
    # Requests run on virtual threads; a blocking native read (a runtime's output pipe) pins the carrier it runs
    # on. With one carrier, a single warm function whose output reader pinned it froze the whole server (seen in
    # CI on 2 cores, where the default is two carriers: two warm functions stopped every request for minutes).
    srv = start_server(java_opts=["-Djdk.virtualThreadScheduler.parallelism=1",
                                  "-Djdk.virtualThreadScheduler.maxPoolSize=1"])
    lam = srv.client("lambda")
    from lambda_helpers import ROLE, ECHO_PY, zip_of
    for name in ("carrier-a", "carrier-b"):
        lam.create_function(FunctionName=name, Runtime="python3.12", Role=ROLE, Handler="index.handler",
                            Code={"ZipFile": zip_of({"index.py": ECHO_PY})})
        lam.get_waiter("function_active_v2").wait(FunctionName=name, WaiterConfig={"Delay": 1, "MaxAttempts": 30})
        answer = lam.invoke(FunctionName=name, Payload=b'{"n": 1}')
        assert json.loads(answer["Payload"].read()) == {"n": 1}
    # both runtimes stay warm (waiting for their next event); the gateway must still serve everything else
    for _ in range(3):
        assert requests.get(srv.endpoint_url + "/_localstack/health", timeout=10).status_code == 200
    assert srv.client("sts").get_caller_identity()["Account"] == "000000000000"
    assert json.loads(lam.invoke(FunctionName="carrier-a", Payload=b'{"n": 2}')["Payload"].read()) == {"n": 2}
