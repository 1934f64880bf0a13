"""Data Firehose record processing end to end: a real Python Lambda function transforming records (Ok, Dropped,
ProcessingFailed, function errors), dynamic partitioning with a JQ MetadataExtraction query and with keys the function
returns, failed records under the error prefix as Firehose writes them, and AWS's refusals of bad settings."""
import base64
import json

import pytest
from helpers import error_of, unique, wait_for
from lambda_helpers import functions, lambda_client  # noqa: F401 (fixtures)

ACCOUNT = "000000000000"
ROLE = f"arn:aws:iam::{ACCOUNT}:role/firehose"
# Functions start cold, and the box is shared: deliveries get minutes, not seconds.
DELIVERY_TIMEOUT = 180

TRANSFORM_PY = """
import base64, json

def handler(event, context):
    out = []
    for r in event['records']:
        data = json.loads(base64.b64decode(r['data']))
        if data.get('drop'):
            out.append({'recordId': r['recordId'], 'result': 'Dropped', 'data': r['data']})
        elif data.get('fail'):
            out.append({'recordId': r['recordId'], 'result': 'ProcessingFailed', 'data': r['data']})
        else:
            data['stream'] = event['deliveryStreamArn']
            data['region'] = event['region']
            data['hasArrival'] = isinstance(r['approximateArrivalTimestamp'], int)
            body = base64.b64encode((json.dumps(data, sort_keys=True) + '\\n').encode()).decode()
            out.append({'recordId': r['recordId'], 'result': 'Ok', 'data': body,
                        'metadata': {'partitionKeys': {'team': data.get('team', 'none')}}})
    return {'records': out}
"""

FAILING_PY = "def handler(event, context):\n    raise ValueError('cannot transform')\n"


@pytest.fixture(scope="module")
def firehose(aws_client):
    return aws_client("firehose")


@pytest.fixture(scope="module")
def s3(aws_client):
    return aws_client("s3")


@pytest.fixture(scope="module")
def transform_arn(functions):  # noqa: F811
    _, answer = functions.create(files={"index.py": TRANSFORM_PY}, prefix="fh-transform")
    return answer["FunctionArn"]


def bucket_with_stream(firehose, s3, **destination):
    bucket, name = unique("fh-bucket"), unique("fh")
    s3.create_bucket(Bucket=bucket)
    conf = {"RoleARN": ROLE, "BucketARN": f"arn:aws:s3:::{bucket}",
            "BufferingHints": {"SizeInMBs": 1, "IntervalInSeconds": 1}, **destination}
    firehose.create_delivery_stream(DeliveryStreamName=name, DeliveryStreamType="DirectPut",
                                    ExtendedS3DestinationConfiguration=conf)
    return bucket, name


def bodies(s3, bucket, prefix):
    """{key: body} of the objects under a prefix."""
    return {o["Key"]: s3.get_object(Bucket=bucket, Key=o["Key"])["Body"].read()
            for o in s3.list_objects_v2(Bucket=bucket, Prefix=prefix).get("Contents", [])}


def wait_for_objects(s3, bucket, prefix, count):
    return wait_for(lambda: (lambda got: got if len(got) >= count else None)(bodies(s3, bucket, prefix)),
                    timeout=DELIVERY_TIMEOUT, interval=0.3)


def lambda_processor(arn, **params):
    parameters = [{"ParameterName": "LambdaArn", "ParameterValue": arn}]
    parameters += [{"ParameterName": k, "ParameterValue": str(v)} for k, v in params.items()]
    return {"Type": "Lambda", "Parameters": parameters}


def failure_lines(body):
    return [json.loads(line) for line in body.decode().splitlines()]


def test_lambda_transformation_ok_dropped_and_failed(firehose, s3, transform_arn):
    bucket, name = bucket_with_stream(
        firehose, s3, Prefix="out/",
        ProcessingConfiguration={"Enabled": True, "Processors": [lambda_processor(transform_arn, BufferSizeInMBs=1)]})
    stream_arn = f"arn:aws:firehose:us-east-1:{ACCOUNT}:deliverystream/{name}"
    described = firehose.describe_delivery_stream(DeliveryStreamName=name)["DeliveryStreamDescription"]
    processing = described["Destinations"][0]["ExtendedS3DestinationDescription"]["ProcessingConfiguration"]
    assert processing["Enabled"] is True and processing["Processors"][0]["Type"] == "Lambda"

    records = [{"n": 1}, {"n": 2, "drop": True}, {"n": 3, "fail": True}, {"n": 4}]
    firehose.put_record_batch(DeliveryStreamName=name, Records=[{"Data": json.dumps(r).encode()} for r in records])

    [ok] = wait_for_objects(s3, bucket, "out/", 1).values()
    lines = [json.loads(line) for line in ok.decode().splitlines()]
    assert [line["n"] for line in lines] == [1, 4], "Ok records transformed in order; the Dropped one is gone"
    assert all(line["stream"] == stream_arn and line["region"] == "us-east-1" and line["hasArrival"] for line in lines)

    [failed] = wait_for_objects(s3, bucket, "processing-failed/", 1).values()
    [line] = failure_lines(failed)
    assert line["errorCode"] == "Lambda.ProcessingFailedStatus"
    assert line["lambdaArn"] == transform_arn
    assert json.loads(base64.b64decode(line["rawData"])) == {"n": 3, "fail": True}, "the record as it was put"
    assert line["attemptsMade"] >= 1
    assert line["arrivalTimestamp"] <= line["attemptEndingTimestamp"]
    firehose.delete_delivery_stream(DeliveryStreamName=name)


def test_function_error_sends_the_batch_to_the_error_prefix(firehose, s3, functions):  # noqa: F811
    _, failing = functions.create(files={"index.py": FAILING_PY}, prefix="fh-failing")
    bucket, name = bucket_with_stream(
        firehose, s3, Prefix="out/", ErrorOutputPrefix="errors/!{firehose:error-output-type}/",
        ProcessingConfiguration={"Enabled": True, "Processors": [
            lambda_processor(failing["FunctionArn"], NumberOfRetries=1)]})
    firehose.put_record_batch(DeliveryStreamName=name, Records=[{"Data": b'{"a": 1}'}, {"Data": b'{"a": 2}'}])

    [failed] = wait_for_objects(s3, bucket, "errors/processing-failed/", 1).values()
    lines = failure_lines(failed)
    assert [base64.b64decode(line["rawData"]) for line in lines] == [b'{"a": 1}', b'{"a": 2}']
    assert {line["errorCode"] for line in lines} == {"Lambda.FunctionError"}
    assert all(line["attemptsMade"] == 2 for line in lines), "the first call and one retry"
    assert "cannot transform" in lines[0]["errorMessage"]
    assert bodies(s3, bucket, "out/") == {}, "nothing was delivered"
    firehose.delete_delivery_stream(DeliveryStreamName=name)


def test_dynamic_partitioning_with_a_jq_query(firehose, s3):
    bucket, name = bucket_with_stream(
        firehose, s3, Prefix="customer=!{partitionKeyFromQuery:customer}/kind=!{partitionKeyFromQuery:kind}/",
        ErrorOutputPrefix="errors/!{firehose:error-output-type}/",
        DynamicPartitioningConfiguration={"Enabled": True},
        ProcessingConfiguration={"Enabled": True, "Processors": [
            {"Type": "MetadataExtraction", "Parameters": [
                {"ParameterName": "MetadataExtractionQuery", "ParameterValue": "{customer: .customer, kind: .event.kind}"},
                {"ParameterName": "JsonParsingEngine", "ParameterValue": "JQ-1.6"}]},
            {"Type": "AppendDelimiterToRecord", "Parameters": []}]})
    records = [{"customer": "acme", "event": {"kind": "click"}, "n": 1},
               {"customer": "acme", "event": {"kind": "view"}, "n": 2},
               {"customer": "zeta", "event": {"kind": "click"}, "n": 3},
               {"customer": "acme", "event": {"kind": "click"}, "n": 4},
               {"event": {"kind": "click"}, "n": 5}]
    firehose.put_record_batch(DeliveryStreamName=name,
                              Records=[{"Data": json.dumps(r).encode()} for r in records] + [{"Data": b"not json"}])

    def partition(prefix):
        [body] = wait_for_objects(s3, bucket, prefix, 1).values()
        return [json.loads(line)["n"] for line in body.decode().splitlines()]
    assert partition("customer=acme/kind=click/") == [1, 4], "one object per partition, records newline-delimited"
    assert partition("customer=acme/kind=view/") == [2]
    assert partition("customer=zeta/kind=click/") == [3]
    [failed] = wait_for_objects(s3, bucket, "errors/processing-failed/", 1).values()
    raw = sorted(base64.b64decode(line["rawData"]) for line in failure_lines(failed))
    assert raw == sorted([json.dumps(records[4]).encode(), b"not json"])
    assert {line["errorCode"] for line in failure_lines(failed)} == {"DynamicPartitioning.MetadataExtractionFailed"}
    objects = s3.list_objects_v2(Bucket=bucket)["Contents"]
    assert len(objects) == 4, [o["Key"] for o in objects]
    firehose.delete_delivery_stream(DeliveryStreamName=name)


def test_dynamic_partitioning_with_keys_from_the_function(firehose, s3, transform_arn):
    bucket, name = bucket_with_stream(
        firehose, s3, Prefix="team=!{partitionKeyFromLambda:team}/!{timestamp:yyyy}/",
        ErrorOutputPrefix="errors/", DynamicPartitioningConfiguration={"Enabled": True},
        ProcessingConfiguration={"Enabled": True, "Processors": [lambda_processor(transform_arn)]})
    records = [{"team": "red", "n": 1}, {"team": "blue", "n": 2}, {"team": "red", "n": 3}]
    firehose.put_record_batch(DeliveryStreamName=name, Records=[{"Data": json.dumps(r).encode()} for r in records])

    def partition(team):
        got = wait_for_objects(s3, bucket, f"team={team}/", 1)
        [(key, body)] = got.items()
        assert key.split("/")[1].isdigit() and len(key.split("/")[1]) == 4, key
        return [json.loads(line)["n"] for line in body.decode().splitlines()]
    assert partition("red") == [1, 3]
    assert partition("blue") == [2]
    firehose.delete_delivery_stream(DeliveryStreamName=name)


def test_bad_processing_settings_are_refused(firehose, s3):
    bucket = unique("fh-bucket")
    base = {"RoleARN": ROLE, "BucketARN": f"arn:aws:s3:::{bucket}"}
    query = {"Type": "MetadataExtraction", "Parameters": [
        {"ParameterName": "MetadataExtractionQuery", "ParameterValue": "{k: .k"},
        {"ParameterName": "JsonParsingEngine", "ParameterValue": "JQ-1.6"}]}
    cases = [
        {**base, "Prefix": "k=!{partitionKeyFromQuery:k}/", "DynamicPartitioningConfiguration": {"Enabled": True}},
        {**base, "Prefix": "plain/", "ErrorOutputPrefix": "e/", "DynamicPartitioningConfiguration": {"Enabled": True}},
        {**base, "Prefix": "k=!{partitionKeyFromQuery:k}/", "ErrorOutputPrefix": "e/"},
        {**base, "ProcessingConfiguration": {"Enabled": True, "Processors": [query]}},
        {**base, "ProcessingConfiguration": {"Enabled": True, "Processors": [
            {"Type": "Lambda", "Parameters": [{"ParameterName": "NumberOfRetries", "ParameterValue": "2"}]}]}},
    ]
    for conf in cases:
        name = unique("fh")
        err, status = error_of(firehose.create_delivery_stream, DeliveryStreamName=name,
                               ExtendedS3DestinationConfiguration=conf)
        assert (err["Code"], status) == ("InvalidArgumentException", 400), conf
        assert name not in firehose.list_delivery_streams(Limit=1000)["DeliveryStreamNames"]
