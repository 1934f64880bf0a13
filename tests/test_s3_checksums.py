"""S3 checksums as AWS computes and reports them (values recorded from AWS): FULL_OBJECT vs COMPOSITE multipart
uploads, the "-N" suffix only on COMPOSITE, part and range reads, GetObjectAttributes, and copies of multipart objects."""
import base64
import zlib

import xml.etree.ElementTree as ET

import pytest
import requests
from botocore.auth import S3SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

from helpers import error_of, unique
from test_s3 import checksum_of

BIG = 5 * 1024 * 1024 + 1
# three parts of b"a": two of 5 MiB + 1 byte, then 10 bytes, as in AWS's recording
BODIES = [b"a" * BIG, b"a" * BIG, b"a" * 10]
PART_CRC32 = ["NRU+Sw==", "NRU+Sw==", "TBHN8A=="]
MULTIPART_ETAG = '"4d45984fc3feb2ac9b22683c49674b56-3"'
WHOLE_MD5_ETAG = '"a0397ee2df08832642af5d7e57c5760c"'
WHOLE_CRC32 = "qSEQSA=="


@pytest.fixture(scope="module")
def s3(aws_client):
    return aws_client("s3")


@pytest.fixture(scope="module")
def bucket(s3):
    name = unique("cks")
    s3.create_bucket(Bucket=name)
    yield name
    for o in s3.list_objects_v2(Bucket=name).get("Contents", []):
        s3.delete_object(Bucket=name, Key=o["Key"])
    for u in s3.list_multipart_uploads(Bucket=name).get("Uploads", []):
        s3.abort_multipart_upload(Bucket=name, Key=u["Key"], UploadId=u["UploadId"])
    s3.delete_bucket(Bucket=name)


def _multipart(s3, bucket, key, algorithm=None, checksum_type=None, bodies=BODIES):
    create = {}
    if algorithm:
        create["ChecksumAlgorithm"] = algorithm
    if checksum_type:
        create["ChecksumType"] = checksum_type
    upload = s3.create_multipart_upload(Bucket=bucket, Key=key, **create)
    parts, answers = [], []
    for number, body in enumerate(bodies, 1):
        sent = {"ChecksumAlgorithm": algorithm} if algorithm else {}
        answer = s3.upload_part(Bucket=bucket, Key=key, UploadId=upload["UploadId"], PartNumber=number, Body=body, **sent)
        answers.append(answer)
        part = {"ETag": answer["ETag"], "PartNumber": number}
        if algorithm and checksum_type != "FULL_OBJECT":
            part["Checksum" + algorithm] = answer["Checksum" + algorithm]
        parts.append(part)
    done = s3.complete_multipart_upload(Bucket=bucket, Key=key, UploadId=upload["UploadId"], MultipartUpload={"Parts": parts})
    return upload, answers, done


def test_composite_crc32(s3, bucket):
    upload, answers, done = _multipart(s3, bucket, "composite", "CRC32")
    assert (upload["ChecksumAlgorithm"], upload["ChecksumType"]) == ("CRC32", "COMPOSITE")
    assert [a["ChecksumCRC32"] for a in answers] == PART_CRC32
    assert (done["ChecksumCRC32"], done["ChecksumType"], done["ETag"]) == ("5FRUiw==-3", "COMPOSITE", MULTIPART_ETAG)
    head = s3.head_object(Bucket=bucket, Key="composite", ChecksumMode="ENABLED")
    assert (head["ChecksumCRC32"], head["ChecksumType"]) == ("5FRUiw==-3", "COMPOSITE")
    # a part read answers that part's own checksum
    part = s3.get_object(Bucket=bucket, Key="composite", PartNumber=3, ChecksumMode="ENABLED")
    assert (part["ChecksumCRC32"], part["ChecksumType"], part["PartsCount"]) == ("TBHN8A==", "COMPOSITE", 3)
    assert part["ContentRange"] == "bytes 10485762-10485771/10485772" and part["Body"].read() == b"a" * 10
    # a range read answers none
    ranged = s3.get_object(Bucket=bucket, Key="composite", Range="bytes=0-9", ChecksumMode="ENABLED")
    assert "ChecksumCRC32" not in ranged and "ChecksumType" not in ranged
    # GetObjectAttributes: the checksum without "-N", and the parts with theirs, paginated
    attrs = s3.get_object_attributes(Bucket=bucket, Key="composite", ObjectAttributes=["Checksum", "ETag", "ObjectParts"])
    assert attrs["Checksum"] == {"ChecksumCRC32": "5FRUiw==", "ChecksumType": "COMPOSITE"}
    assert attrs["ETag"] == MULTIPART_ETAG.strip('"')
    parts = attrs["ObjectParts"]
    assert (parts["TotalPartsCount"], parts["PartNumberMarker"], parts["NextPartNumberMarker"], parts["MaxParts"],
            parts["IsTruncated"]) == (3, 0, 3, 1000, False)
    assert parts["Parts"] == [{"ChecksumCRC32": c, "PartNumber": n, "Size": len(b)}
                              for n, (c, b) in enumerate(zip(PART_CRC32, BODIES), 1)]
    page = s3.get_object_attributes(Bucket=bucket, Key="composite", ObjectAttributes=["ObjectParts"], MaxParts=1,
                                    PartNumberMarker=1)["ObjectParts"]
    assert ([p["PartNumber"] for p in page["Parts"]], page["NextPartNumberMarker"], page["IsTruncated"]) == ([2], 2, True)
    past = s3.get_object_attributes(Bucket=bucket, Key="composite", ObjectAttributes=["ObjectParts"], MaxParts=1,
                                    PartNumberMarker=10)["ObjectParts"]
    assert "Parts" not in past and (past["NextPartNumberMarker"], past["IsTruncated"]) == (0, False)
    # a copy is one new object: MD5 ETag, FULL_OBJECT checksum over the whole
    copied = s3.copy_object(Bucket=bucket, Key="composite-copy", CopySource={"Bucket": bucket, "Key": "composite"})
    result = copied["CopyObjectResult"]
    assert (result["ETag"], result["ChecksumCRC32"], result["ChecksumType"]) == (WHOLE_MD5_ETAG, WHOLE_CRC32, "FULL_OBJECT")
    copy_attrs = s3.get_object_attributes(Bucket=bucket, Key="composite-copy", ObjectAttributes=["Checksum", "ObjectParts"])
    assert copy_attrs["Checksum"] == {"ChecksumCRC32": WHOLE_CRC32, "ChecksumType": "FULL_OBJECT"}
    assert "ObjectParts" not in copy_attrs


def test_full_object_crc32(s3, bucket):
    upload, answers, done = _multipart(s3, bucket, "full", "CRC32", "FULL_OBJECT")
    assert upload["ChecksumType"] == "FULL_OBJECT"
    assert [a["ChecksumCRC32"] for a in answers] == PART_CRC32
    # the CRC of the whole object, no "-N"
    assert (done["ChecksumCRC32"], done["ChecksumType"], done["ETag"]) == (WHOLE_CRC32, "FULL_OBJECT", MULTIPART_ETAG)
    listed = s3.list_objects_v2(Bucket=bucket, Prefix="full")["Contents"][0]
    assert (listed["ChecksumAlgorithm"], listed["ChecksumType"]) == (["CRC32"], "FULL_OBJECT")
    # no per-part CRC is kept for a full-object checksum: a part read of several answers none
    part = s3.get_object(Bucket=bucket, Key="full", PartNumber=3, ChecksumMode="ENABLED")
    assert "ChecksumCRC32" not in part and part["PartsCount"] == 3
    attrs = s3.get_object_attributes(Bucket=bucket, Key="full", ObjectAttributes=["Checksum", "ObjectParts"])
    assert attrs["Checksum"] == {"ChecksumCRC32": WHOLE_CRC32, "ChecksumType": "FULL_OBJECT"}
    assert attrs["ObjectParts"] == {"TotalPartsCount": 3}
    copied = s3.copy_object(Bucket=bucket, Key="full-copy", CopySource={"Bucket": bucket, "Key": "full"})["CopyObjectResult"]
    assert (copied["ETag"], copied["ChecksumCRC32"]) == (WHOLE_MD5_ETAG, WHOLE_CRC32)


def test_single_part_upload_reports_the_part_checksum(s3, bucket):
    for checksum_type in ("COMPOSITE", "FULL_OBJECT"):
        key = f"one-{checksum_type}"
        _, answers, done = _multipart(s3, bucket, key, "CRC32", checksum_type, bodies=[b"test content 123"])
        part_crc = answers[0]["ChecksumCRC32"]
        # COMPOSITE: the CRC of the parts' CRCs, "-1"; FULL_OBJECT: the part's CRC is the object's
        crc_of_crcs = base64.b64encode(zlib.crc32(base64.b64decode(part_crc)).to_bytes(4, "big")).decode()
        expected_whole = crc_of_crcs + "-1" if checksum_type == "COMPOSITE" else part_crc
        assert done["ChecksumCRC32"] == expected_whole and done["ETag"] == '"b972025bc34adf8d76d6d51e93c035cc-1"'
        for call in (s3.get_object, s3.head_object):
            part = call(Bucket=bucket, Key=key, PartNumber=1, ChecksumMode="ENABLED")
            assert (part["ChecksumCRC32"], part["ChecksumType"]) == (part_crc, checksum_type)
            assert (part["ResponseMetadata"]["HTTPStatusCode"], part["ContentRange"], part["PartsCount"]) == (206, "bytes 0-15/16", 1)


def test_default_checksum_is_full_object_crc64nvme(s3, bucket, endpoint_url):
    upload, answers, done = _multipart(s3, bucket, "default", bodies=[b"a" * BIG, b"xyz"])
    assert "ChecksumAlgorithm" not in upload and "ChecksumType" not in upload
    assert all("ChecksumCRC64NVME" not in a for a in answers)  # not asked for: parts do not report it
    assert done["ChecksumType"] == "FULL_OBJECT" and done["ChecksumCRC64NVME"] and "-" not in done["ChecksumCRC64NVME"]
    part = s3.get_object(Bucket=bucket, Key="default", PartNumber=1, ChecksumMode="ENABLED")
    assert "ChecksumCRC64NVME" not in part
    # a single PUT of the same bytes without a checksum gets S3's default, the same full-object CRC64NVME
    # (a plain HTTP PUT: boto3 would add a CRC32, and computes CRC64NVME only with awscrt)
    assert requests.put(f"{endpoint_url}/{bucket}/default-put", data=b"a" * BIG + b"xyz").status_code == 200
    head = s3.head_object(Bucket=bucket, Key="default-put", ChecksumMode="ENABLED")
    assert (head["ChecksumCRC64NVME"], head["ChecksumType"]) == (done["ChecksumCRC64NVME"], "FULL_OBJECT")


def test_sha256_is_composite_by_default(s3, bucket):
    upload, answers, done = _multipart(s3, bucket, "sha", "SHA256", bodies=[b"a" * BIG, b"a" * 10])
    assert upload["ChecksumType"] == "COMPOSITE"
    assert answers[1]["ChecksumSHA256"] == "vyy1imj2hNlaO3jvj2Ycmk5bCegsyPnMiMzpBSjK6yc="
    assert done["ChecksumSHA256"].endswith("-2")
    attrs = s3.get_object_attributes(Bucket=bucket, Key="sha", ObjectAttributes=["Checksum"])
    assert attrs["Checksum"]["ChecksumSHA256"] == done["ChecksumSHA256"][:-2]


@pytest.mark.parametrize("checksum_type,algorithm,message", [
    ("COMPOSITE", "CRC64NVME", "The COMPOSITE checksum type cannot be used with the crc64nvme checksum algorithm."),
    ("FULL_OBJECT", "SHA1", "The FULL_OBJECT checksum type cannot be used with the sha1 checksum algorithm."),
    ("FULL_OBJECT", "SHA256", "The FULL_OBJECT checksum type cannot be used with the sha256 checksum algorithm."),
])
def test_checksum_type_compatibility(s3, bucket, checksum_type, algorithm, message):
    error, status = error_of(s3.create_multipart_upload, Bucket=bucket, Key="bad", ChecksumAlgorithm=algorithm,
                             ChecksumType=checksum_type)
    assert (error["Code"], error["Message"], status) == ("InvalidRequest", message, 400)


def _signed_upload_part(endpoint_url, bucket, key, upload, body, checksum_headers):
    """UploadPart as a SigV4-signed raw request: boto3 computes CRC32C and CRC64NVME only with awscrt, absent here."""
    request = AWSRequest(method="PUT", url=f"{endpoint_url}/{bucket}/{key}", params={"partNumber": "1", "uploadId": upload},
                         data=body, headers=checksum_headers)
    S3SigV4Auth(Credentials("test", "test"), "s3", "us-east-1").add_auth(request)
    prepared = request.prepare()
    return requests.put(prepared.url, headers=dict(prepared.headers), data=prepared.body, timeout=60)


def _error(response):
    root = ET.fromstring(response.content)
    return root.findtext("Code"), root.findtext("Message"), response.status_code


def test_upload_part_with_another_algorithm_than_the_default(s3, bucket, endpoint_url):
    key = "default-other-part"
    upload = s3.create_multipart_upload(Bucket=bucket, Key=key)["UploadId"]
    wrong = _signed_upload_part(endpoint_url, bucket, key, upload, b"aaa", {"x-amz-checksum-crc32c": checksum_of("CRC32C", b"bbb")})
    assert _error(wrong) == ("BadDigest", "The CRC32C you specified did not match the calculated checksum.", 400)
    part = _signed_upload_part(endpoint_url, bucket, key, upload, b"aaa", {"x-amz-checksum-crc32c": checksum_of("CRC32C", b"aaa")})
    # the part answers in the client's algorithm; the object still gets S3's default full-object CRC64NVME
    assert part.status_code == 200 and part.headers["x-amz-checksum-crc32c"] == "45fn2Q=="
    assert part.headers["ETag"] == '"47bce5c74f589f4867dbd57e9ca9f808"' and "x-amz-checksum-crc64nvme" not in part.headers
    listed = s3.list_parts(Bucket=bucket, Key=key, UploadId=upload)["Parts"]
    assert [sorted(p) for p in listed] == [["ETag", "LastModified", "PartNumber", "Size"]]
    done = s3.complete_multipart_upload(Bucket=bucket, Key=key, UploadId=upload,
                                        MultipartUpload={"Parts": [{"ETag": part.headers["ETag"], "PartNumber": 1}]})
    assert (done["ChecksumCRC64NVME"], done["ChecksumType"], done["ETag"]) == (
        "Rnr2/5P7Gsk=", "FULL_OBJECT", '"e2c3da976e66ec9e7dc128fbc782fc91-1"')


def test_upload_part_must_use_the_uploads_algorithm(s3, bucket, endpoint_url):
    key = "crc32c-parts"
    upload = s3.create_multipart_upload(Bucket=bucket, Key=key, ChecksumAlgorithm="CRC32C", ChecksumType="FULL_OBJECT")["UploadId"]
    other = _signed_upload_part(endpoint_url, bucket, key, upload, b"abc", {"x-amz-checksum-crc32": checksum_of("CRC32", b"abc")})
    assert _error(other) == ("InvalidRequest", "Checksum Type mismatch occurred, expected checksum Type: crc32c, "
                             "actual checksum Type: crc32", 400)
    wrong = _signed_upload_part(endpoint_url, bucket, key, upload, b"abc", {"x-amz-checksum-crc32c": checksum_of("CRC32C", b"abd")})
    assert _error(wrong) == ("BadDigest", "The CRC32C you specified did not match the calculated checksum.", 400)
    part = _signed_upload_part(endpoint_url, bucket, key, upload, b"abc", {"x-amz-checksum-crc32c": "Nks/tw=="})
    assert part.status_code == 200 and part.headers["x-amz-checksum-crc32c"] == "Nks/tw=="
    done = s3.complete_multipart_upload(Bucket=bucket, Key=key, UploadId=upload, MultipartUpload={"Parts": [
        {"ETag": part.headers["ETag"], "PartNumber": 1, "ChecksumCRC32C": "Nks/tw=="}]})
    assert (done["ChecksumCRC32C"], done["ChecksumType"], done["ETag"]) == (
        "Nks/tw==", "FULL_OBJECT", '"af5da9f45af7a300e3aded972f8ff687-1"')
