"""S3 answers shaped as AWS sends them today (recorded February 2026): no DisplayName on owners, element
order of ListAllMyBucketsResult, millisecond timestamps, VersionId "null", S3's own HTTP headers, and user
metadata with characters a header cannot carry (stored and returned RFC 2047-encoded, never a 500)."""
import http.client
import re
from urllib.parse import urlparse

import pytest
import requests

from helpers import error_of, unique

OWNER_ID = re.compile(r"^[0-9a-f]{64}$")


@pytest.fixture(scope="module")
def s3(aws_client):
    return aws_client("s3")


@pytest.fixture
def bucket(s3):
    name = unique("shape")
    s3.create_bucket(Bucket=name)
    yield name
    versions = s3.list_object_versions(Bucket=name)
    for v in versions.get("Versions", []) + versions.get("DeleteMarkers", []):
        s3.delete_object(Bucket=name, Key=v["Key"], VersionId=v["VersionId"])
    for u in s3.list_multipart_uploads(Bucket=name).get("Uploads", []):
        s3.abort_multipart_upload(Bucket=name, Key=u["Key"], UploadId=u["UploadId"])
    s3.delete_bucket(Bucket=name)


def test_owners_have_no_display_name_but_initiators_do(s3, bucket):
    s3.put_object(Bucket=bucket, Key="k", Body=b"x")
    owner = s3.list_buckets()["Owner"]
    assert list(owner) == ["ID"] and OWNER_ID.match(owner["ID"])
    assert s3.list_objects_v2(Bucket=bucket, FetchOwner=True)["Contents"][0]["Owner"] == owner
    assert s3.list_objects(Bucket=bucket)["Contents"][0]["Owner"] == owner
    assert s3.list_object_versions(Bucket=bucket)["Versions"][0]["Owner"] == owner
    acl = s3.get_bucket_acl(Bucket=bucket)
    assert acl["Owner"] == owner
    assert acl["Grants"] == [{"Grantee": {"ID": owner["ID"], "Type": "CanonicalUser"}, "Permission": "FULL_CONTROL"}]
    assert s3.get_object_acl(Bucket=bucket, Key="k")["Owner"] == owner
    upload = s3.create_multipart_upload(Bucket=bucket, Key="mp")["UploadId"]
    parts = s3.list_parts(Bucket=bucket, Key="mp", UploadId=upload)
    assert parts["Owner"] == owner
    assert parts["Initiator"]["ID"] == owner["ID"] and "DisplayName" in parts["Initiator"]  # as recorded
    assert parts["PartNumberMarker"] == 0 and parts["NextPartNumberMarker"] == 0
    listed = s3.list_multipart_uploads(Bucket=bucket)["Uploads"][0]
    assert listed["Owner"] == owner


def test_xml_listings_order_and_millisecond_timestamps(s3, bucket, endpoint_url):
    s3.put_object(Bucket=bucket, Key="k", Body=b"x")
    body = requests.get(endpoint_url + "/").text
    root = body[body.index("<ListAllMyBucketsResult"):]
    assert root.index("<Owner>") < root.index("<Buckets>")  # the AWS Java SDK reads the owner first
    assert re.search(r"<CreationDate>\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.000Z</CreationDate>", body)
    for query in ("", "?list-type=2", "?versions"):
        body = requests.get(f"{endpoint_url}/{bucket}{query}").text
        assert re.search(r"<LastModified>\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.000Z</LastModified>", body), body
        entries = "<Version>" if query == "?versions" else "<Contents>"
        assert body.index("<Name>") < body.index(entries)
        assert "DisplayName" not in body


def test_version_id_null_once_versioning_was_configured(s3, bucket):
    s3.put_object(Bucket=bucket, Key="plain", Body=b"x")
    assert "VersionId" not in s3.head_object(Bucket=bucket, Key="plain")
    s3.put_bucket_versioning(Bucket=bucket, VersioningConfiguration={"Status": "Suspended"})
    put = s3.put_object(Bucket=bucket, Key="k", Body=b"x")
    assert "VersionId" not in put  # recorded: PutObject on a suspended bucket sends none
    assert s3.head_object(Bucket=bucket, Key="k")["VersionId"] == "null"
    assert s3.get_object(Bucket=bucket, Key="k")["VersionId"] == "null"
    copied = s3.copy_object(Bucket=bucket, Key="k", CopySource={"Bucket": bucket, "Key": "k"},
                            MetadataDirective="REPLACE")
    assert copied["VersionId"] == "null"
    deleted = s3.delete_object(Bucket=bucket, Key="k")
    assert deleted["DeleteMarker"] is True and deleted["VersionId"] == "null"


def test_s3_http_headers(s3, bucket, endpoint_url):
    for response in (requests.head(f"{endpoint_url}/{bucket}"), requests.get(f"{endpoint_url}/{bucket}"),
                     requests.get(f"{endpoint_url}/{bucket}/missing"), requests.get(f"{endpoint_url}/{unique('none')}")):
        assert response.headers["Server"] == "AmazonS3"
        assert re.match(r"^[0-9a-f-]{36}$", response.headers["x-amz-request-id"])
        assert response.headers["x-amz-id-2"]
        assert "x-amzn-RequestId" not in response.headers
    head = s3.head_bucket(Bucket=bucket)["ResponseMetadata"]["HTTPHeaders"]
    assert head["x-amz-bucket-region"] == "us-east-1" and head["content-length"] == "0"


def test_if_modified_since_in_the_future_is_ignored(s3, bucket):
    import datetime
    s3.put_object(Bucket=bucket, Key="k", Body=b"x")
    future = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(days=1)
    assert s3.get_object(Bucket=bucket, Key="k", IfModifiedSince=future)["Body"].read() == b"x"
    assert s3.head_object(Bucket=bucket, Key="k", IfModifiedSince=future)["ContentLength"] == 1


def _raw(endpoint_url, method, path, headers, body=b""):
    u = urlparse(endpoint_url)
    c = http.client.HTTPConnection(u.hostname, u.port, timeout=30)
    c.putrequest(method, path)
    for k, v in headers.items():
        c.putheader(k, v)
    c.putheader("Content-Length", str(len(body)))
    c.endheaders()
    c.send(body)
    r = c.getresponse()
    data = r.read()
    c.close()
    return r, data


@pytest.mark.parametrize("raw,expected", [
    ("ÄMÄZÕÑ S3".encode(), "=?UTF-8?Q?=C3=84M=C3=84Z=C3=95=C3=91_S3?="),  # recorded form
    ("test_—_é?".encode(), "=?UTF-8?Q?test=5F=E2=80=94=5F=C3=A9=3F?="),
    (b"a\x01b", "=?UTF-8?B?YQFi?="),  # control characters: base64
    (b"\xff\xfe", "=?UTF-8?B?77+977+9?="),  # not UTF-8: replacement characters, base64
    (b"=?UTF-8?Q?actually-ascii?=", "actually-ascii"),  # recorded: ASCII decodes
    (b"=?UTF-8?B?YWJj?=", "abc"),
    (b"=?UTF-8?Q?=C3=84M?=", "=?UTF-8?Q?=C3=84M?="),  # kept as it came
    (b"plain ascii_=?", "plain ascii_=?"),
])
def test_user_metadata_with_non_ascii_bytes(s3, bucket, endpoint_url, raw, expected):
    response, body = _raw(endpoint_url, "PUT", f"/{bucket}/meta", {"x-amz-meta-v": raw}, b"data")
    assert response.status == 200, body
    assert s3.head_object(Bucket=bucket, Key="meta")["Metadata"] == {"v": expected}
    response, _ = _raw(endpoint_url, "GET", f"/{bucket}/meta", {})
    assert response.status == 200 and response.getheader("x-amz-meta-v") == expected


def test_browser_post_unicode_metadata_is_encoded(s3, bucket, endpoint_url):
    fields = {"key": "post", "x-amz-meta-nonascii": "ÄMÄZÕÑ S3", "x-amz-meta-ascii": "plain"}
    response = requests.post(f"{endpoint_url}/{bucket}", data=fields, files={"file": ("f", b"data")})
    assert response.status_code == 204, response.text
    assert s3.head_object(Bucket=bucket, Key="post")["Metadata"] == {
        "nonascii": "=?UTF-8?Q?=C3=84M=C3=84Z=C3=95=C3=91_S3?=", "ascii": "plain"}


def test_no_header_value_makes_a_500(s3, bucket, endpoint_url):
    # whatever a client sends in headers S3 stores, the answer is never a server error
    for value in (b"\x00\x7f", b"\xc3", "日本語".encode(), b"\t tab"):
        response, body = _raw(endpoint_url, "PUT", f"/{bucket}/odd", {"x-amz-meta-v": value, "Cache-Control": value,
                                                                      "Content-Disposition": value}, b"x")
        assert response.status == 200, body
        for method in ("GET", "HEAD"):
            response, _ = _raw(endpoint_url, method, f"/{bucket}/odd", {})
            assert response.status == 200


def test_cors_headers_on_errors_and_empty_answers(s3, bucket, endpoint_url):
    import requests
    s3.put_bucket_cors(Bucket=bucket, CORSConfiguration={"CORSRules": [{
        "AllowedOrigins": ["https://localhost:4200"], "AllowedMethods": ["GET", "PUT", "HEAD", "DELETE"], "MaxAgeSeconds": 3000}]})
    s3.put_object(Bucket=bucket, Key="k", Body=b"test-cors")
    origin = {"Origin": "https://localhost:4200"}
    expected = {"Access-Control-Allow-Origin": "https://localhost:4200", "Access-Control-Allow-Methods": "GET, PUT, HEAD, DELETE",
                "Access-Control-Allow-Credentials": "true", "Access-Control-Max-Age": "3000",
                "Vary": "Origin, Access-Control-Request-Headers, Access-Control-Request-Method"}
    for method, key, status in (("GET", "k", 200), ("GET", "missing", 404), ("HEAD", "k", 200), ("HEAD", "missing", 404),
                                ("DELETE", "k", 204)):
        r = requests.request(method, f"{endpoint_url}/{bucket}/{key}", headers=origin)
        assert r.status_code == status, (method, key)
        assert {k: r.headers.get(k) for k in expected} == expected, (method, key)
    # an origin no rule allows gets no CORS headers at all, as on AWS
    r = requests.get(f"{endpoint_url}/{bucket}/missing", headers={"Origin": "https://other.example"})
    assert r.status_code == 404 and not [h for h in r.headers if h.lower().startswith("access-control")]
