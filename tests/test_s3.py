"""S3 end to end: boto3, raw HTTP (presigned URLs, browser POST, CORS, aws-chunked, virtual hosts) and the AWS CLI."""
import base64
import concurrent.futures
import hashlib
import os
import subprocess
import uuid
import zlib
from urllib.parse import urlparse

import boto3.s3.transfer
import botocore.httpchecksum
import pytest
import requests
from botocore.config import Config
from botocore.exceptions import ClientError


def new_bucket_name(prefix="bkt"):
    return f"{prefix}-{uuid.uuid4().hex[:12]}"


@pytest.fixture(scope="module")
def s3(aws_client):
    return aws_client("s3")


@pytest.fixture
def bucket(s3):
    name = new_bucket_name()
    s3.create_bucket(Bucket=name)
    yield name
    # best-effort cleanup of everything, versions included
    try:
        paginator = s3.get_paginator("list_object_versions")
        for page in paginator.paginate(Bucket=name):
            items = [{"Key": v["Key"], "VersionId": v["VersionId"]}
                     for v in page.get("Versions", []) + page.get("DeleteMarkers", [])]
            for i in range(0, len(items), 1000):
                s3.delete_objects(Bucket=name, Delete={"Objects": items[i:i + 1000], "Quiet": True})
        s3.delete_bucket(Bucket=name)
    except ClientError:
        pass


def _reflected_crc(data, poly, width):
    """Bitwise reflected CRC with all-ones init and final xor (CRC32C, CRC64NVME): no botocore[crt] here."""
    mask = (1 << width) - 1
    crc = mask
    for byte in data:
        crc ^= byte
        for _ in range(8):
            crc = (crc >> 1) ^ poly if crc & 1 else crc >> 1
    return base64.b64encode((crc ^ mask).to_bytes(width // 8, "big")).decode()


def checksum_of(algorithm, data):
    return {
        "CRC32": lambda: base64.b64encode(zlib.crc32(data).to_bytes(4, "big")).decode(),
        "CRC32C": lambda: _reflected_crc(data, 0x82F63B78, 32),
        "CRC64NVME": lambda: _reflected_crc(data, 0x9A6C9329AC4BC9B5, 64),
        "SHA1": lambda: base64.b64encode(hashlib.sha1(data).digest()).decode(),
        "SHA256": lambda: base64.b64encode(hashlib.sha256(data).digest()).decode(),
    }[algorithm]()


def error_code(excinfo):
    return excinfo.value.response["Error"]["Code"]


def test_bucket_lifecycle_and_rules(s3, aws_client):
    name = new_bucket_name()
    assert s3.create_bucket(Bucket=name)["Location"] == f"/{name}"
    assert s3.head_bucket(Bucket=name)["BucketRegion"] == "us-east-1"
    assert name in [b["Name"] for b in s3.list_buckets()["Buckets"]]
    assert s3.get_bucket_location(Bucket=name).get("LocationConstraint") is None
    # bucket names are global: another account cannot take it
    other = aws_client("s3", aws_access_key_id="111111111111", aws_secret_access_key="test")
    with pytest.raises(ClientError) as e:
        other.create_bucket(Bucket=name)
    assert error_code(e) == "BucketAlreadyExists"
    assert name not in [b["Name"] for b in other.list_buckets()["Buckets"]]
    eu = aws_client("s3", region_name="eu-west-1")
    with pytest.raises(ClientError) as e:
        eu.create_bucket(Bucket=name, CreateBucketConfiguration={"LocationConstraint": "eu-west-1"})
    assert error_code(e) == "BucketAlreadyOwnedByYou"
    with pytest.raises(ClientError) as e:
        s3.create_bucket(Bucket="Invalid_Name")
    assert error_code(e) == "InvalidBucketName"
    with pytest.raises(ClientError) as e:
        s3.create_bucket(Bucket=new_bucket_name(), CreateBucketConfiguration={"LocationConstraint": "us-east-1"})
    assert error_code(e) == "InvalidLocationConstraint"
    eu_name = new_bucket_name()
    eu.create_bucket(Bucket=eu_name, CreateBucketConfiguration={"LocationConstraint": "eu-west-1"})
    assert s3.get_bucket_location(Bucket=eu_name)["LocationConstraint"] == "eu-west-1"
    s3.delete_bucket(Bucket=eu_name)
    s3.put_object(Bucket=name, Key="k", Body=b"x")
    with pytest.raises(ClientError) as e:
        s3.delete_bucket(Bucket=name)
    assert error_code(e) == "BucketNotEmpty"
    assert e.value.response["ResponseMetadata"]["HTTPStatusCode"] == 409
    s3.delete_object(Bucket=name, Key="k")
    s3.delete_bucket(Bucket=name)
    with pytest.raises(ClientError) as e:
        s3.head_bucket(Bucket=name)
    assert e.value.response["ResponseMetadata"]["HTTPStatusCode"] == 404
    with pytest.raises(ClientError) as e:
        s3.list_objects_v2(Bucket=name)
    assert error_code(e) == "NoSuchBucket"
    assert e.value.response["Error"]["BucketName"] == name


def test_objects_metadata_ranges_and_conditions(s3, bucket):
    data = b"0123456789" * 10
    put = s3.put_object(Bucket=bucket, Key="dir/obj.txt", Body=data, ContentType="text/plain",
                        Metadata={"Color": "Blue"}, CacheControl="max-age=3", ContentDisposition="inline",
                        ContentLanguage="en", StorageClass="STANDARD_IA", Tagging="a=1&b=2")
    assert put["ETag"] == f'"{hashlib.md5(data).hexdigest()}"'
    head = s3.head_object(Bucket=bucket, Key="dir/obj.txt")
    assert head["ContentLength"] == 100
    assert head["ContentType"] == "text/plain"
    assert head["Metadata"] == {"color": "Blue"}
    assert head["CacheControl"] == "max-age=3"
    assert head["ContentDisposition"] == "inline"
    assert head["ContentLanguage"] == "en"
    assert head["StorageClass"] == "STANDARD_IA"
    got = s3.get_object(Bucket=bucket, Key="dir/obj.txt")
    assert got["Body"].read() == data
    assert got["TagCount"] == 2
    part = s3.get_object(Bucket=bucket, Key="dir/obj.txt", Range="bytes=10-19")
    assert part["ResponseMetadata"]["HTTPStatusCode"] == 206
    assert part["ContentRange"] == "bytes 10-19/100"
    assert part["Body"].read() == b"0123456789"
    assert s3.get_object(Bucket=bucket, Key="dir/obj.txt", Range="bytes=-5")["Body"].read() == b"56789"
    assert s3.get_object(Bucket=bucket, Key="dir/obj.txt", Range="bytes=95-")["Body"].read() == b"56789"
    with pytest.raises(ClientError) as e:
        s3.get_object(Bucket=bucket, Key="dir/obj.txt", Range="bytes=100-200")
    assert error_code(e) == "InvalidRange"
    assert e.value.response["ResponseMetadata"]["HTTPStatusCode"] == 416
    with pytest.raises(ClientError) as e:
        s3.get_object(Bucket=bucket, Key="dir/obj.txt", IfNoneMatch=put["ETag"])
    assert e.value.response["ResponseMetadata"]["HTTPStatusCode"] == 304
    with pytest.raises(ClientError) as e:
        s3.get_object(Bucket=bucket, Key="dir/obj.txt", IfMatch='"0000"')
    assert error_code(e) == "PreconditionFailed"
    with pytest.raises(ClientError) as e:
        s3.head_object(Bucket=bucket, Key="dir/obj.txt", IfModifiedSince=head["LastModified"])
    assert e.value.response["ResponseMetadata"]["HTTPStatusCode"] == 304
    assert s3.get_object(Bucket=bucket, Key="dir/obj.txt", IfMatch=put["ETag"])["Body"].read() == data
    # conditional writes
    with pytest.raises(ClientError) as e:
        s3.put_object(Bucket=bucket, Key="dir/obj.txt", Body=b"new", IfNoneMatch="*")
    assert error_code(e) == "PreconditionFailed"
    s3.put_object(Bucket=bucket, Key="dir/fresh", Body=b"new", IfNoneMatch="*")
    with pytest.raises(ClientError) as e:
        s3.put_object(Bucket=bucket, Key="dir/obj.txt", Body=b"new", IfMatch='"0000"')
    assert error_code(e) == "PreconditionFailed"
    s3.put_object(Bucket=bucket, Key="dir/obj.txt", Body=b"new", IfMatch=put["ETag"])
    assert s3.get_object(Bucket=bucket, Key="dir/obj.txt")["Body"].read() == b"new"
    with pytest.raises(ClientError) as e:
        s3.get_object(Bucket=bucket, Key="missing")
    assert error_code(e) == "NoSuchKey"
    with pytest.raises(ClientError) as e:
        s3.head_object(Bucket=bucket, Key="missing")
    assert e.value.response["ResponseMetadata"]["HTTPStatusCode"] == 404


def test_integrity_md5_and_flexible_checksums(s3, bucket):
    data = b"integrity matters"
    with pytest.raises(ClientError) as e:
        s3.put_object(Bucket=bucket, Key="k", Body=data, ContentMD5=base64.b64encode(b"\0" * 16).decode())
    assert error_code(e) == "BadDigest"
    with pytest.raises(ClientError):
        s3.head_object(Bucket=bucket, Key="k")  # nothing was stored
    s3.put_object(Bucket=bucket, Key="k", Body=data, ContentMD5=base64.b64encode(hashlib.md5(data).digest()).decode())
    for algorithm in ["CRC32", "SHA1", "SHA256"]:  # computed by botocore
        out = s3.put_object(Bucket=bucket, Key=f"c-{algorithm}", Body=data, ChecksumAlgorithm=algorithm)
        assert out[f"Checksum{algorithm}"] == checksum_of(algorithm, data)
    for algorithm in ["CRC32C", "CRC64NVME"]:  # given as values (botocore needs the CRT to compute them)
        value = checksum_of(algorithm, data)
        out = s3.put_object(Bucket=bucket, Key=f"c-{algorithm}", Body=data, **{f"Checksum{algorithm}": value})
        assert out[f"Checksum{algorithm}"] == value
        with pytest.raises(ClientError) as e:
            s3.put_object(Bucket=bucket, Key="wrong", Body=data + b"!", **{f"Checksum{algorithm}": value})
        assert error_code(e) == "BadDigest"
    for algorithm in ["CRC32", "CRC32C", "CRC64NVME", "SHA1", "SHA256"]:
        head = s3.head_object(Bucket=bucket, Key=f"c-{algorithm}", ChecksumMode="ENABLED")
        assert head[f"Checksum{algorithm}"] == checksum_of(algorithm, data)
        got = s3.get_object(Bucket=bucket, Key=f"c-{algorithm}", ChecksumMode="ENABLED")
        assert got["Body"].read() == data
    # without any checksum S3 stores its default, CRC64NVME
    s3_default = s3.put_object(Bucket=bucket, Key="plain", Body=data, ContentMD5=base64.b64encode(hashlib.md5(data).digest()).decode())
    assert s3.head_object(Bucket=bucket, Key="plain")["ETag"] == s3_default["ETag"]
    with pytest.raises(ClientError) as e:
        s3.put_object(Bucket=bucket, Key="bad", Body=data, ChecksumSHA256=base64.b64encode(b"x" * 32).decode())
    assert error_code(e) == "BadDigest"


def test_aws_chunked_uploads_with_trailing_checksums(s3, bucket, monkeypatch, endpoint_url):
    # boto3 sends aws-chunked bodies with a trailing checksum over https; make it believe the URL is https
    real = botocore.httpchecksum.urlparse
    monkeypatch.setattr(botocore.httpchecksum, "urlparse", lambda url: real(url.replace("http://", "https://", 1)))
    data = os.urandom(300_000)
    out = s3.put_object(Bucket=bucket, Key="chunked", Body=data, ChecksumAlgorithm="SHA256")
    assert out["ETag"] == f'"{hashlib.md5(data).hexdigest()}"'
    got = s3.get_object(Bucket=bucket, Key="chunked", ChecksumMode="ENABLED")
    assert got["Body"].read() == data
    assert got["ChecksumSHA256"] == out["ChecksumSHA256"] == checksum_of("SHA256", data)
    assert "ContentEncoding" not in got  # aws-chunked is not stored as the object's encoding
    monkeypatch.undo()
    # a raw aws-chunked request whose trailer does not match the data
    body = b"5\r\nhello\r\n0\r\nx-amz-checksum-crc32:AAAAAA==\r\n\r\n"
    headers = {"Content-Encoding": "aws-chunked", "x-amz-content-sha256": "STREAMING-UNSIGNED-PAYLOAD-TRAILER",
               "x-amz-decoded-content-length": "5", "x-amz-trailer": "x-amz-checksum-crc32"}
    r = requests.put(f"{endpoint_url}/{bucket}/raw", data=body, headers=headers)
    assert r.status_code == 400 and b"BadDigest" in r.content
    good = base64.b64encode(zlib.crc32(b"hello").to_bytes(4, "big")).decode()
    r = requests.put(f"{endpoint_url}/{bucket}/raw", headers=headers,
                     data=f"5\r\nhello\r\n0\r\nx-amz-checksum-crc32:{good}\r\n\r\n".encode())
    assert r.status_code == 200, r.text
    assert s3.get_object(Bucket=bucket, Key="raw")["Body"].read() == b"hello"


def test_upload_and_download_file_multipart_threads(s3, bucket, tmp_path):
    src = tmp_path / "src.bin"
    src.write_bytes(os.urandom(37 * 1024 * 1024 + 123))
    config = boto3.s3.transfer.TransferConfig(multipart_threshold=8 * 1024 * 1024, multipart_chunksize=8 * 1024 * 1024,
                                              max_concurrency=8, use_threads=True)
    s3.upload_file(str(src), bucket, "big.bin", Config=config)
    head = s3.head_object(Bucket=bucket, Key="big.bin")
    assert head["ContentLength"] == src.stat().st_size
    assert head["ETag"].endswith('-5"')
    dst = tmp_path / "dst.bin"
    s3.download_file(bucket, "big.bin", str(dst), Config=config)
    assert hashlib.sha256(dst.read_bytes()).digest() == hashlib.sha256(src.read_bytes()).digest()
    part = s3.get_object(Bucket=bucket, Key="big.bin", PartNumber=5)
    assert part["PartsCount"] == 5
    assert part["ContentLength"] == src.stat().st_size - 4 * 8 * 1024 * 1024


def test_multipart_api_and_errors(s3, bucket):
    upload = s3.create_multipart_upload(Bucket=bucket, Key="mp", Metadata={"m": "1"})["UploadId"]
    p1 = os.urandom(5 * 1024 * 1024)
    e1 = s3.upload_part(Bucket=bucket, Key="mp", UploadId=upload, PartNumber=1, Body=p1)["ETag"]
    e2 = s3.upload_part(Bucket=bucket, Key="mp", UploadId=upload, PartNumber=2, Body=b"small")["ETag"]
    e3 = s3.upload_part(Bucket=bucket, Key="mp", UploadId=upload, PartNumber=3, Body=b"last")["ETag"]
    parts = s3.list_parts(Bucket=bucket, Key="mp", UploadId=upload, MaxParts=2)
    assert [p["PartNumber"] for p in parts["Parts"]] == [1, 2] and parts["IsTruncated"]
    uploads = s3.list_multipart_uploads(Bucket=bucket)["Uploads"]
    assert [u["UploadId"] for u in uploads] == [upload]
    with pytest.raises(ClientError) as e:
        s3.complete_multipart_upload(Bucket=bucket, Key="mp", UploadId=upload, MultipartUpload={"Parts": [
            {"PartNumber": 2, "ETag": e2}, {"PartNumber": 1, "ETag": e1}]})
    assert error_code(e) == "InvalidPartOrder"
    with pytest.raises(ClientError) as e:
        s3.complete_multipart_upload(Bucket=bucket, Key="mp", UploadId=upload, MultipartUpload={"Parts": [
            {"PartNumber": 1, "ETag": e1}, {"PartNumber": 4, "ETag": e2}]})
    assert error_code(e) == "InvalidPart"
    with pytest.raises(ClientError) as e:
        s3.complete_multipart_upload(Bucket=bucket, Key="mp", UploadId=upload, MultipartUpload={"Parts": [
            {"PartNumber": 2, "ETag": e2}, {"PartNumber": 3, "ETag": e3}]})
    assert error_code(e) == "EntityTooSmall"
    done = s3.complete_multipart_upload(Bucket=bucket, Key="mp", UploadId=upload, MultipartUpload={"Parts": [
        {"PartNumber": 1, "ETag": e1}, {"PartNumber": 3, "ETag": e3}]})
    digest = hashlib.md5(hashlib.md5(p1).digest() + hashlib.md5(b"last").digest()).hexdigest()
    assert done["ETag"] == f'"{digest}-2"'
    obj = s3.get_object(Bucket=bucket, Key="mp")
    assert obj["Body"].read() == p1 + b"last"
    assert obj["Metadata"] == {"m": "1"}
    with pytest.raises(ClientError) as e:
        s3.list_parts(Bucket=bucket, Key="mp", UploadId=upload)
    assert error_code(e) == "NoSuchUpload"
    # UploadPartCopy with a range
    upload = s3.create_multipart_upload(Bucket=bucket, Key="copy")["UploadId"]
    copied = s3.upload_part_copy(Bucket=bucket, Key="copy", UploadId=upload, PartNumber=1,
                                 CopySource={"Bucket": bucket, "Key": "mp"}, CopySourceRange="bytes=0-9")
    s3.complete_multipart_upload(Bucket=bucket, Key="copy", UploadId=upload, MultipartUpload={"Parts": [
        {"PartNumber": 1, "ETag": copied["CopyPartResult"]["ETag"]}]})
    assert s3.get_object(Bucket=bucket, Key="copy")["Body"].read() == p1[:10]
    upload = s3.create_multipart_upload(Bucket=bucket, Key="gone")["UploadId"]
    s3.abort_multipart_upload(Bucket=bucket, Key="gone", UploadId=upload)
    with pytest.raises(ClientError) as e:
        s3.upload_part(Bucket=bucket, Key="gone", UploadId=upload, PartNumber=1, Body=b"x")
    assert error_code(e) == "NoSuchUpload"


def test_versioning_and_delete_markers(s3, bucket):
    s3.put_bucket_versioning(Bucket=bucket, VersioningConfiguration={"Status": "Enabled"})
    assert s3.get_bucket_versioning(Bucket=bucket)["Status"] == "Enabled"
    v1 = s3.put_object(Bucket=bucket, Key="v", Body=b"one")["VersionId"]
    v2 = s3.put_object(Bucket=bucket, Key="v", Body=b"two")["VersionId"]
    assert v1 != v2
    assert s3.get_object(Bucket=bucket, Key="v", VersionId=v1)["Body"].read() == b"one"
    marker = s3.delete_object(Bucket=bucket, Key="v")
    assert marker["DeleteMarker"] is True
    with pytest.raises(ClientError) as e:
        s3.get_object(Bucket=bucket, Key="v")
    assert error_code(e) == "NoSuchKey"
    assert "Contents" not in s3.list_objects_v2(Bucket=bucket)
    versions = s3.list_object_versions(Bucket=bucket)
    assert [v["VersionId"] for v in versions["Versions"]] == [v2, v1]
    assert versions["DeleteMarkers"][0]["IsLatest"] is True
    s3.delete_object(Bucket=bucket, Key="v", VersionId=marker["VersionId"])
    assert s3.get_object(Bucket=bucket, Key="v")["Body"].read() == b"two"
    s3.delete_object(Bucket=bucket, Key="v", VersionId=v2)
    assert s3.get_object(Bucket=bucket, Key="v")["Body"].read() == b"one"
    with pytest.raises(ClientError) as e:
        s3.get_object(Bucket=bucket, Key="v", VersionId=v2)
    assert error_code(e) == "NoSuchVersion"


def test_copy_tagging_and_delete_objects(s3, bucket):
    s3.put_object(Bucket=bucket, Key="src", Body=b"copy me", Metadata={"a": "1"})
    s3.copy_object(Bucket=bucket, Key="dst", CopySource={"Bucket": bucket, "Key": "src"})
    assert s3.head_object(Bucket=bucket, Key="dst")["Metadata"] == {"a": "1"}
    s3.copy_object(Bucket=bucket, Key="dst2", CopySource=f"{bucket}/src", MetadataDirective="REPLACE", Metadata={"b": "2"})
    assert s3.head_object(Bucket=bucket, Key="dst2")["Metadata"] == {"b": "2"}
    with pytest.raises(ClientError) as e:
        s3.copy_object(Bucket=bucket, Key="src", CopySource=f"{bucket}/src")
    assert error_code(e) == "InvalidRequest"
    s3.put_object_tagging(Bucket=bucket, Key="dst", Tagging={"TagSet": [{"Key": "t", "Value": "v"}]})
    assert s3.get_object_tagging(Bucket=bucket, Key="dst")["TagSet"] == [{"Key": "t", "Value": "v"}]
    out = s3.delete_objects(Bucket=bucket, Delete={"Objects": [{"Key": "dst"}, {"Key": "dst2"}, {"Key": "none"}]})
    assert sorted(d["Key"] for d in out["Deleted"]) == ["dst", "dst2", "none"]
    assert [o["Key"] for o in s3.list_objects_v2(Bucket=bucket)["Contents"]] == ["src"]


def test_listing_options(s3, bucket):
    keys = ["a/1", "a/2", "b/x/1", "c", "d e+f", "é/ü"]
    for k in keys:
        s3.put_object(Bucket=bucket, Key=k, Body=b"")
    out = s3.list_objects_v2(Bucket=bucket, Delimiter="/")
    assert [c["Key"] for c in out["Contents"]] == ["c", "d e+f"]
    assert [p["Prefix"] for p in out["CommonPrefixes"]] == ["a/", "b/", "é/"]
    out = s3.list_objects_v2(Bucket=bucket, Prefix="b/", Delimiter="/")
    assert [p["Prefix"] for p in out["CommonPrefixes"]] == ["b/x/"]
    out = s3.list_objects_v2(Bucket=bucket, StartAfter="c")
    assert [c["Key"] for c in out["Contents"]] == ["d e+f", "é/ü"]
    out = s3.list_objects(Bucket=bucket, Delimiter="/", MaxKeys=2)
    assert out["IsTruncated"] and out["NextMarker"] == "b/"
    out = s3.list_objects(Bucket=bucket, Delimiter="/", Marker="b/")
    assert [c["Key"] for c in out["Contents"]] == ["c", "d e+f"]
    seen = []
    for page in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket, PaginationConfig={"PageSize": 2}):
        seen += [c["Key"] for c in page.get("Contents", [])]
    assert seen == sorted(keys, key=lambda k: k.encode())
    with pytest.raises(ClientError) as e:
        s3.list_objects_v2(Bucket=bucket, ContinuationToken="not-a-token")
    assert error_code(e) == "InvalidArgument"


def test_listing_twenty_thousand_keys(s3, bucket, endpoint_url):
    keys = [f"many/{i // 1000:02d}/{i:05d}" for i in range(20_000)]

    def create(chunk):  # plain unsigned PUTs (accepted, as LocalStack does): far cheaper than boto3 for 20,000 keys
        with requests.Session() as session:
            for k in chunk:
                assert session.put(f"{endpoint_url}/{bucket}/{k}", data=b"x").status_code == 200

    with concurrent.futures.ThreadPoolExecutor(8) as pool:
        list(pool.map(create, [keys[i::8] for i in range(8)]))
    listed = []
    pages = 0
    for page in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix="many/"):
        listed += [c["Key"] for c in page["Contents"]]
        pages += 1
    assert listed == keys and pages == 20
    out = s3.list_objects_v2(Bucket=bucket, Prefix="many/", Delimiter="/")
    assert len(out["CommonPrefixes"]) == 20 and "Contents" not in out
    out = s3.list_objects_v2(Bucket=bucket, Prefix="many/07/", MaxKeys=10, StartAfter="many/07/07500")
    assert [c["Key"] for c in out["Contents"]][0] == "many/07/07501"
    listed_v1 = []
    for page in s3.get_paginator("list_objects").paginate(Bucket=bucket, Prefix="many/1"):
        listed_v1 += [c["Key"] for c in page["Contents"]]
    assert listed_v1 == keys[10_000:]


def test_concurrent_puts_of_one_key_leave_one_whole_version(s3, bucket):
    bodies = [bytes([i]) * (256 * 1024 + i) for i in range(8)]
    with concurrent.futures.ThreadPoolExecutor(8) as pool:
        list(pool.map(lambda b: s3.put_object(Bucket=bucket, Key="race", Body=b), bodies * 3))
    got = s3.get_object(Bucket=bucket, Key="race")
    data = got["Body"].read()
    assert data in bodies
    assert got["ETag"] == f'"{hashlib.md5(data).hexdigest()}"'


def test_bucket_configurations(s3, bucket):
    with pytest.raises(ClientError) as e:
        s3.get_bucket_tagging(Bucket=bucket)
    assert error_code(e) == "NoSuchTagSet"
    s3.put_bucket_tagging(Bucket=bucket, Tagging={"TagSet": [{"Key": "k", "Value": "v"}]})
    assert s3.get_bucket_tagging(Bucket=bucket)["TagSet"] == [{"Key": "k", "Value": "v"}]
    policy = '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"*"}]}'
    s3.put_bucket_policy(Bucket=bucket, Policy=policy)
    assert s3.get_bucket_policy(Bucket=bucket)["Policy"] == policy
    s3.delete_bucket_policy(Bucket=bucket)
    with pytest.raises(ClientError) as e:
        s3.get_bucket_policy(Bucket=bucket)
    assert error_code(e) == "NoSuchBucketPolicy"
    rules = [{"ID": "r1", "Status": "Enabled", "Filter": {"Prefix": "logs/"}, "Expiration": {"Days": 7}}]
    s3.put_bucket_lifecycle_configuration(Bucket=bucket, LifecycleConfiguration={"Rules": rules})
    assert s3.get_bucket_lifecycle_configuration(Bucket=bucket)["Rules"] == rules
    s3.put_bucket_website(Bucket=bucket, WebsiteConfiguration={"IndexDocument": {"Suffix": "index.html"}})
    assert s3.get_bucket_website(Bucket=bucket)["IndexDocument"] == {"Suffix": "index.html"}
    s3.put_bucket_encryption(Bucket=bucket, ServerSideEncryptionConfiguration={"Rules": [
        {"ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "aws:kms", "KMSMasterKeyID": "alias/x"}}]})
    enc = s3.get_bucket_encryption(Bucket=bucket)["ServerSideEncryptionConfiguration"]
    assert enc["Rules"][0]["ApplyServerSideEncryptionByDefault"]["SSEAlgorithm"] == "aws:kms"
    assert s3.put_object(Bucket=bucket, Key="enc", Body=b"x")["ServerSideEncryption"] == "aws:kms"
    assert s3.get_bucket_ownership_controls(Bucket=bucket)["OwnershipControls"]["Rules"][0]["ObjectOwnership"] == "BucketOwnerEnforced"
    s3.put_public_access_block(Bucket=bucket, PublicAccessBlockConfiguration={"BlockPublicAcls": False})
    # every flag is answered, false where the PUT left it out (recorded from AWS)
    assert s3.get_public_access_block(Bucket=bucket)["PublicAccessBlockConfiguration"] == {
        "BlockPublicAcls": False, "IgnorePublicAcls": False, "BlockPublicPolicy": False, "RestrictPublicBuckets": False}
    s3.put_bucket_acl(Bucket=bucket, ACL="public-read")
    grants = s3.get_bucket_acl(Bucket=bucket)["Grants"]
    assert {"Type": "Group", "URI": "http://acs.amazonaws.com/groups/global/AllUsers"} in [g["Grantee"] for g in grants]
    notification = {"QueueConfigurations": [{"Id": "q", "QueueArn": "arn:aws:sqs:us-east-1:000000000000:q",
                                             "Events": ["s3:ObjectCreated:*"]}]}
    # the queue does not exist: S3 refuses such a configuration unless destination validation is skipped
    s3.put_bucket_notification_configuration(Bucket=bucket, NotificationConfiguration=notification,
                                             SkipDestinationValidation=True)
    got = s3.get_bucket_notification_configuration(Bucket=bucket)
    assert got["QueueConfigurations"] == notification["QueueConfigurations"]


def test_presigned_urls_sigv4_and_sigv2(aws_client, bucket):
    # boto3 presigns S3 with SigV2 unless told otherwise, so each client names its signature version.
    v4 = aws_client("s3", config=Config(signature_version="s3v4"))
    url = v4.generate_presigned_url("put_object", Params={"Bucket": bucket, "Key": "pre"}, ExpiresIn=60)
    assert "X-Amz-Credential=" in url
    assert requests.put(url, data=b"presigned body").status_code == 200
    url = v4.generate_presigned_url("get_object", Params={"Bucket": bucket, "Key": "pre"}, ExpiresIn=60)
    assert requests.get(url).content == b"presigned body"
    v2 = aws_client("s3", config=Config(signature_version="s3"))
    url = v2.generate_presigned_url("get_object", Params={"Bucket": bucket, "Key": "pre",
                                                          "ResponseContentType": "text/x-test"}, ExpiresIn=60)
    assert "AWSAccessKeyId=" in url and "X-Amz-Credential" not in url
    r = requests.get(url)
    assert r.content == b"presigned body" and r.headers["Content-Type"] == "text/x-test"


def test_browser_post_upload(s3, bucket):
    post = s3.generate_presigned_post(bucket, "uploads/${filename}",
                                      Fields={"success_action_status": "201", "x-amz-meta-origin": "form"},
                                      Conditions=[{"success_action_status": "201"}, ["starts-with", "$x-amz-meta-origin", ""]])
    r = requests.post(post["url"], data=post["fields"], files={"file": ("hello.txt", b"form data")})
    assert r.status_code == 201, r.text
    assert b"<Key>uploads/hello.txt</Key>" in r.content
    obj = s3.get_object(Bucket=bucket, Key="uploads/hello.txt")
    assert obj["Body"].read() == b"form data"
    assert obj["Metadata"] == {"origin": "form"}
    post = s3.generate_presigned_post(bucket, "plain")
    r = requests.post(post["url"], data=post["fields"], files={"file": ("x", b"204 please")})
    assert r.status_code == 204
    assert s3.get_object(Bucket=bucket, Key="plain")["Body"].read() == b"204 please"


def test_cors_preflight_and_headers(s3, bucket, endpoint_url):
    r = requests.options(f"{endpoint_url}/{bucket}/k", headers={"Origin": "https://app.test",
                                                               "Access-Control-Request-Method": "GET"})
    assert r.status_code == 403 and b"CORS is not enabled" in r.content
    s3.put_bucket_cors(Bucket=bucket, CORSConfiguration={"CORSRules": [{
        "AllowedOrigins": ["https://*.test"], "AllowedMethods": ["GET", "PUT"], "AllowedHeaders": ["x-amz-*"],
        "ExposeHeaders": ["ETag"], "MaxAgeSeconds": 300}]})
    r = requests.options(f"{endpoint_url}/{bucket}/k", headers={
        "Origin": "https://app.test", "Access-Control-Request-Method": "PUT",
        "Access-Control-Request-Headers": "x-amz-meta-a"})
    assert r.status_code == 200
    assert r.headers["Access-Control-Allow-Origin"] == "https://app.test"
    assert r.headers["Access-Control-Allow-Methods"] == "GET, PUT"
    assert r.headers["Access-Control-Max-Age"] == "300"
    r = requests.options(f"{endpoint_url}/{bucket}/k", headers={"Origin": "https://evil.example",
                                                               "Access-Control-Request-Method": "GET"})
    assert r.status_code == 403
    s3.put_object(Bucket=bucket, Key="k", Body=b"x")
    r = requests.get(f"{endpoint_url}/{bucket}/k", headers={"Origin": "https://app.test"})
    assert r.headers.get("Access-Control-Allow-Origin") == "https://app.test"


def test_virtual_host_style(s3, bucket, endpoint_url):
    port = urlparse(endpoint_url).port
    s3.put_object(Bucket=bucket, Key="vh/key.txt", Body=b"virtual")
    for host in [f"{bucket}.s3.localhost.localstack.cloud:{port}", f"{bucket}.s3.amazonaws.com",
                 f"{bucket}.s3.eu-west-1.amazonaws.com"]:
        r = requests.get(f"{endpoint_url}/vh/key.txt", headers={"Host": host})
        assert r.status_code == 200 and r.content == b"virtual", (host, r.status_code, r.text)
    r = requests.put(f"{endpoint_url}/vh/put.txt", data=b"via vhost",
                     headers={"Host": f"{bucket}.s3.localhost.localstack.cloud:{port}"})
    assert r.status_code == 200
    assert s3.get_object(Bucket=bucket, Key="vh/put.txt")["Body"].read() == b"via vhost"


def test_aws_cli_high_level_and_s3api(aws_cli, endpoint_url, tmp_path):
    env = dict(os.environ, AWS_ACCESS_KEY_ID="test", AWS_SECRET_ACCESS_KEY="test", AWS_DEFAULT_REGION="us-east-1",
               AWS_PAGER="")

    def aws(*args):
        done = subprocess.run(["aws", "--endpoint-url", endpoint_url, *args], env=env, capture_output=True, text=True,
                              timeout=120)
        assert done.returncode == 0, done.stderr
        return done.stdout

    name = new_bucket_name("cli")
    aws("s3", "mb", f"s3://{name}")
    (tmp_path / "up").mkdir()
    (tmp_path / "up" / "a.txt").write_text("alpha")
    (tmp_path / "up" / "sub").mkdir()
    (tmp_path / "up" / "sub" / "b.bin").write_bytes(os.urandom(20 * 1024 * 1024))  # multipart through the CLI
    aws("s3", "cp", str(tmp_path / "up" / "a.txt"), f"s3://{name}/single/a.txt")
    aws("s3", "sync", str(tmp_path / "up"), f"s3://{name}/synced")
    listing = aws("s3", "ls", "--recursive", f"s3://{name}")
    assert "single/a.txt" in listing and "synced/sub/b.bin" in listing and "synced/a.txt" in listing
    aws("s3", "cp", f"s3://{name}/synced/sub/b.bin", str(tmp_path / "b.bin"))
    assert (tmp_path / "b.bin").read_bytes() == (tmp_path / "up" / "sub" / "b.bin").read_bytes()
    assert aws_cli("s3api", "head-object", "--bucket", name, "--key", "synced/a.txt")["ContentLength"] == 5
    assert len(aws_cli("s3api", "list-objects-v2", "--bucket", name, "--prefix", "synced/")["Contents"]) == 2
    aws("s3", "rm", "--recursive", f"s3://{name}/synced")
    aws("s3", "rm", f"s3://{name}/single/a.txt")
    aws("s3", "rb", f"s3://{name}")
    assert name not in aws("s3", "ls")


def _pattern_chunks(total, chunk=1024 * 1024):
    block = hashlib.sha256(b"polystack").digest() * (chunk // 32)
    sent = 0
    while sent < total:
        n = min(chunk, total - sent)
        yield block[:n]
        sent += n


class _PatternStream:
    """A file-like body of a known length produced on the fly (requests sends Content-Length, streams it)."""

    def __init__(self, size):
        self.len = size
        self._chunks = _pattern_chunks(size)
        self._pending = b""

    def read(self, n=-1):
        while n < 0 or len(self._pending) < n:
            chunk = next(self._chunks, None)
            if chunk is None:
                break
            self._pending += chunk
        out, self._pending = (self._pending, b"") if n < 0 else (self._pending[:n], self._pending[n:])
        return out


def test_one_gib_round_trip_with_small_heap(start_server):
    server = start_server(java_opts=["-Xmx256m"])
    client = server.client("s3")
    client.create_bucket(Bucket="large")
    size = 1024 * 1024 * 1024
    md5 = hashlib.md5()
    for c in _pattern_chunks(size):
        md5.update(c)
    r = requests.put(f"{server.endpoint_url}/large/gib.bin", data=_PatternStream(size))
    assert r.status_code == 200, r.text
    assert r.headers["ETag"] == f'"{md5.hexdigest()}"'
    got = hashlib.md5()
    received = 0
    with requests.get(f"{server.endpoint_url}/large/gib.bin", stream=True) as r:
        assert r.status_code == 200
        for c in r.iter_content(1024 * 1024):
            got.update(c)
            received += len(c)
    assert received == size and got.hexdigest() == md5.hexdigest()
    assert server.running


def test_eight_concurrent_eight_mib_round_trips_with_small_heap(start_server):
    """The bench's 8 MiB PUT+GET at c=8 once took the server down: each worker writes and reads back its own
    objects, several rounds, on a heap smaller than the launcher's default; every byte must come back and the
    server must still be there."""
    server = start_server(java_opts=["-Xmx256m"])
    client = server.client("s3")
    client.create_bucket(Bucket="large-concurrent")
    size = 8 * 1024 * 1024

    def worker(n):
        for round_ in range(3):
            body = hashlib.sha256(f"{n}-{round_}".encode()).digest() * (size // 32)
            key = f"w{n}"
            put = client.put_object(Bucket="large-concurrent", Key=key, Body=body)
            assert put["ETag"] == f'"{hashlib.md5(body).hexdigest()}"'
            got = client.get_object(Bucket="large-concurrent", Key=key)
            assert got["ContentLength"] == size
            data = got["Body"].read()
            assert hashlib.md5(data).digest() == hashlib.md5(body).digest()
        return n

    with concurrent.futures.ThreadPoolExecutor(8) as pool:
        assert sorted(pool.map(worker, range(8))) == list(range(8))
    assert server.running, server.log_tail()
    listed = client.list_objects_v2(Bucket="large-concurrent")["Contents"]
    assert sorted(o["Key"] for o in listed) == [f"w{n}" for n in range(8)]
    assert all(o["Size"] == size for o in listed)


def test_persistence_keeps_buckets_objects_and_configs(start_server):
    server = start_server({"PERSISTENCE": "1"})
    client = server.client("s3")
    client.create_bucket(Bucket="kept")
    client.put_bucket_versioning(Bucket="kept", VersioningConfiguration={"Status": "Enabled"})
    v1 = client.put_object(Bucket="kept", Key="k", Body=b"first")["VersionId"]
    client.put_object(Bucket="kept", Key="k", Body=b"second", Metadata={"m": "v"})
    client.put_bucket_tagging(Bucket="kept", Tagging={"TagSet": [{"Key": "a", "Value": "b"}]})
    upload = client.create_multipart_upload(Bucket="kept", Key="mp")["UploadId"]
    client.upload_part(Bucket="kept", Key="mp", UploadId=upload, PartNumber=1, Body=b"part")
    server.stop()
    server.start()
    client = server.client("s3")
    obj = client.get_object(Bucket="kept", Key="k")
    assert obj["Body"].read() == b"second" and obj["Metadata"] == {"m": "v"}
    assert client.get_object(Bucket="kept", Key="k", VersionId=v1)["Body"].read() == b"first"
    assert client.get_bucket_tagging(Bucket="kept")["TagSet"] == [{"Key": "a", "Value": "b"}]
    assert client.get_bucket_versioning(Bucket="kept")["Status"] == "Enabled"
    parts = client.list_parts(Bucket="kept", Key="mp", UploadId=upload)["Parts"]
    assert [p["Size"] for p in parts] == [4]
