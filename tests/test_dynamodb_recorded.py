"""Replays scenarios whose answers were recorded from real AWS (LocalStack's snapshot recordings of DynamoDB and
DynamoDB Streams) against Polystack and compares them field for field: HTTP status, error code and message, and
the exact set of fields at every level. The expected answers are embedded below, so a fresh clone needs nothing
outside the repository. Placeholders stand for what differs on every run: "datetime" (a timestamp), and "<...>"
inside a string (an id, a name, an ARN part); the recordings' account 111111111111 is ours, 000000000000.

Recorded scenarios not replayed here, and why:
- test_valid_local_secondary_index, test_empty_and_binary_values, test_batch_write_binary, test_dynamodb_execute_
  transaction, test_dynamodb_batch_execute_statement, test_dynamodb_partiql_missing, test_transaction_write_items,
  test_transaction_write_binary_data, test_transact_get_items, test_batch_write_items, test_dynamodb_get_batch_items,
  test_dynamodb_idempotent_writing, test_data_encoding_consistency, the stream-record scenarios
  (test_batch_write_items_streaming, test_dynamodb_stream_stream_view_type, test_transact_write_items_streaming*,
  test_dynamodb_stream_records_with_update_item, test_streams_on_global_tables): their requests (items, statements)
  are not part of the recording; the same operations are asserted with AWS's shapes in test_dynamodb.py,
  test_dynamodb_partiql.py and test_dynamodb_streams.py.
- test_dynamodb_create_table_with_partial_sse_specification, test_dynamodb_update_table_without_sse_specification_
  change: covered with the KMS key ARNs in test_dynamodb_sse.py.
- test_enable_kinesis_streaming_destination (streams) and test_kinesis_streaming_destination_crud's success steps:
  need a Kinesis stream and wait on delivery; asserted in test_dynamodb_streams.py. Its error steps are replayed here.
- test_dynamodb_streams_describe_with_exclusive_start_shard_id, test_stream_destination_records: recorded empty.
"""
import datetime
import re

import pytest
from botocore.config import Config
from botocore.exceptions import ClientError

from helpers import unique

NO_RETRY = Config(retries={"max_attempts": 1, "mode": "standard"})
PLACEHOLDER = re.compile(r"<[^<>]*>")


@pytest.fixture(scope="module")
def ddb(aws_client):
    return aws_client("dynamodb", config=NO_RETRY)


@pytest.fixture(scope="module")
def ddb_unvalidated(aws_client):
    """A client that sends what botocore would refuse, as the recording's client did (AWS answers it)."""
    return aws_client("dynamodb", config=NO_RETRY.merge(Config(parameter_validation=False)))


@pytest.fixture(scope="module")
def streams(aws_client):
    return aws_client("dynamodbstreams", config=NO_RETRY)


def pattern(recorded):
    """A recorded string with placeholders as a regular expression."""
    parts = PLACEHOLDER.split(recorded.replace("111111111111", "000000000000"))
    return re.compile(".+?".join(re.escape(p) for p in parts), re.S)


def same(expected, actual, path="$"):
    """Asserts that actual has exactly expected's fields, with its values (placeholders match what varies)."""
    if expected == "datetime":
        assert isinstance(actual, datetime.datetime), f"{path}: {actual!r} is not a timestamp"
    elif isinstance(expected, dict):
        assert isinstance(actual, dict), f"{path}: {actual!r} is not a structure"
        actual = {k: v for k, v in actual.items() if k != "ResponseMetadata"}
        assert set(actual) == set(expected), f"{path}: fields {sorted(actual)} != recorded {sorted(expected)}"
        for k, v in expected.items():
            same(v, actual[k], f"{path}.{k}")
    elif isinstance(expected, list):
        assert isinstance(actual, list) and len(actual) == len(expected), f"{path}: {actual!r} != {expected!r}"
        for i, (e, a) in enumerate(zip(expected, actual)):
            same(e, a, f"{path}[{i}]")
    elif isinstance(expected, str) and PLACEHOLDER.search(expected):
        assert isinstance(actual, str) and pattern(expected).fullmatch(actual), f"{path}: {actual!r} !~ {expected!r}"
    else:
        assert actual == expected, f"{path}: {actual!r} != recorded {expected!r}"


def error(call, **kwargs):
    """The error answer as botocore parses it: Error (Code, Message), the status, and any extra fields."""
    with pytest.raises(ClientError) as e:
        call(**kwargs)
    r = dict(e.value.response)
    status = r.pop("ResponseMetadata")["HTTPStatusCode"]
    r.pop("message", None)
    r["Error"] = {k: v for k, v in r["Error"].items() if k in ("Code", "Message")}
    return r, status


def recorded_error(expected, status, call, **kwargs):
    got, got_status = error(call, **kwargs)
    assert got_status == status
    same(expected, got)


def hash_table(ddb, name, **kwargs):
    kwargs.setdefault("ProvisionedThroughput", {"ReadCapacityUnits": 5, "WriteCapacityUnits": 5})
    return ddb.create_table(TableName=name, AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
                            KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}], **kwargs)


TABLE_ARN = "arn:aws:dynamodb:us-east-1:111111111111:table/<table-name:1>"
THROUGHPUT_5 = {"NumberOfDecreasesToday": 0, "ReadCapacityUnits": 5, "WriteCapacityUnits": 5}
THROUGHPUT_0 = {"NumberOfDecreasesToday": 0, "ReadCapacityUnits": 0, "WriteCapacityUnits": 0}
ID_DEFS = [{"AttributeName": "id", "AttributeType": "S"}]
ID_KEY = [{"AttributeName": "id", "KeyType": "HASH"}]


# ---- test_table_crud ------------------------------------------------------------------------------------------

def test_table_crud(ddb):
    name = unique("crud")
    base = {"AttributeDefinitions": ID_DEFS, "CreationDateTime": "datetime", "DeletionProtectionEnabled": False,
            "ItemCount": 0, "KeySchema": ID_KEY, "ProvisionedThroughput": THROUGHPUT_5, "TableArn": TABLE_ARN,
            "TableId": "<uuid:1>", "TableName": "<table-name:1>", "TableSizeBytes": 0}
    same({"TableDescription": {**base, "TableStatus": "CREATING"}}, hash_table(ddb, name))
    same({"Table": {**base, "TableStatus": "ACTIVE",
                    "WarmThroughput": {"ReadUnitsPerSecond": 5, "Status": "ACTIVE", "WriteUnitsPerSecond": 5}}},
         ddb.describe_table(TableName=name))
    same({"TableDescription": {"DeletionProtectionEnabled": False, "ItemCount": 0, "ProvisionedThroughput": THROUGHPUT_5,
                               "TableArn": TABLE_ARN, "TableId": "<uuid:1>", "TableName": "<table-name:1>",
                               "TableSizeBytes": 0, "TableStatus": "DELETING"}},
         ddb.delete_table(TableName=name))
    recorded_error({"Error": {"Code": "ResourceNotFoundException", "Message": "Requested resource not found: Table: non-existent not found"}},
                   400, ddb.delete_table, TableName="non-existent")


# ---- test_table_warm_throughput -----------------------------------------------------------------------------------

def test_table_warm_throughput(ddb):
    name = unique("warm")
    base = {"AttributeDefinitions": ID_DEFS, "CreationDateTime": "datetime", "DeletionProtectionEnabled": False,
            "ItemCount": 0, "KeySchema": ID_KEY, "ProvisionedThroughput": THROUGHPUT_5, "TableArn": TABLE_ARN,
            "TableId": "<uuid:1>", "TableName": "<table-name:1>", "TableSizeBytes": 0}
    created = hash_table(ddb, name, WarmThroughput={"ReadUnitsPerSecond": 1000, "WriteUnitsPerSecond": 1200})
    same({"TableDescription": {**base, "TableStatus": "CREATING",
                               "WarmThroughput": {"ReadUnitsPerSecond": 1000, "Status": "UPDATING", "WriteUnitsPerSecond": 1200}}},
         created)
    same({"Table": {**base, "TableStatus": "ACTIVE",
                    "WarmThroughput": {"ReadUnitsPerSecond": 1000, "Status": "ACTIVE", "WriteUnitsPerSecond": 1200}}},
         ddb.describe_table(TableName=name))
    ddb.delete_table(TableName=name)


# ---- test_gsi_with_billing_mode[PAY_PER_REQUEST] ----------------------------------------------------------------------

def test_gsi_with_billing_mode_pay_per_request(ddb):
    name = unique("gsi")
    created = ddb.create_table(
        TableName=name, BillingMode="PAY_PER_REQUEST",
        AttributeDefinitions=[{"AttributeName": "TID", "AttributeType": "S"}, {"AttributeName": "TRID", "AttributeType": "S"}],
        KeySchema=[{"AttributeName": "TID", "KeyType": "HASH"}],
        GlobalSecondaryIndexes=[{"IndexName": "TransactionRecordID", "KeySchema": [{"AttributeName": "TRID", "KeyType": "HASH"}],
                                 "Projection": {"ProjectionType": "ALL"}}])
    index = {"IndexArn": TABLE_ARN + "/index/TransactionRecordID", "IndexName": "TransactionRecordID", "IndexSizeBytes": 0,
             "IndexStatus": "<index-status>", "ItemCount": 0, "KeySchema": [{"AttributeName": "TRID", "KeyType": "HASH"}],
             "Projection": {"ProjectionType": "ALL"}, "ProvisionedThroughput": THROUGHPUT_0}
    base = {"AttributeDefinitions": [{"AttributeName": "TID", "AttributeType": "S"}, {"AttributeName": "TRID", "AttributeType": "S"}],
            "CreationDateTime": "datetime", "DeletionProtectionEnabled": False, "ItemCount": 0,
            "KeySchema": [{"AttributeName": "TID", "KeyType": "HASH"}], "ProvisionedThroughput": THROUGHPUT_0,
            "TableArn": TABLE_ARN, "TableId": "<uuid:1>", "TableName": "<table-name:1>", "TableSizeBytes": 0,
            "TableStatus": "<table-status>"}
    same({"TableDescription": {**base, "BillingModeSummary": {"BillingMode": "PAY_PER_REQUEST"}, "GlobalSecondaryIndexes": [index]}},
         created)
    warm = {"ReadUnitsPerSecond": 12000, "Status": "ACTIVE", "WriteUnitsPerSecond": 4000}
    same({"Table": {**base, "BillingModeSummary": {"BillingMode": "PAY_PER_REQUEST", "LastUpdateToPayPerRequestDateTime": "datetime"},
                    "GlobalSecondaryIndexes": [{**index, "WarmThroughput": warm}], "WarmThroughput": warm}},
         ddb.describe_table(TableName=name))
    ddb.delete_table(TableName=name)


# ---- items: test_return_values_in_put_item, test_return_values_on_conditions_check_failure -----------------------------

def test_return_values_in_put_item(ddb):
    name = unique("rv")
    hash_table(ddb, name)
    item = {"id": {"S": "id1"}, "data": {"S": "foobar"}}
    same({}, ddb.put_item(TableName=name, Item=item))
    same({"Attributes": {"data": {"S": "foobar"}, "id": {"S": "id1"}}}, ddb.put_item(TableName=name, Item=item, ReturnValues="ALL_OLD"))
    same({"Attributes": {"data": {"S": "foobar"}, "id": {"S": "id1"}}},
         ddb.put_item(TableName=name, Item={"id": {"S": "id1"}, "data": {"S": "barfoo"}}, ReturnValues="ALL_OLD"))
    same({}, ddb.put_item(TableName=name, Item={"id": {"S": "id2"}, "data": {"S": "foobar"}}, ReturnValues="ALL_OLD"))
    same({}, ddb.put_item(TableName=name, Item={"id": {"S": "id2"}, "data": {"S": "foobar"}}, ReturnValues="NONE"))
    ddb.delete_table(TableName=name)


def test_return_values_on_conditions_check_failure(ddb):
    name = unique("rvf")
    hash_table(ddb, name)
    ddb.put_item(TableName=name, Item={"id": {"S": "456"}, "price": {"N": "650"}, "product": {"S": "sporting goods"}})
    recorded_error({"Error": {"Code": "ConditionalCheckFailedException", "Message": "The conditional request failed"},
                    "Item": {"id": {"S": "456"}, "price": {"N": "650"}, "product": {"S": "sporting goods"}}},
                   400, ddb.put_item, TableName=name, Item={"id": {"S": "456"}, "price": {"N": "700"}},
                   ConditionExpression="attribute_not_exists(id)", ReturnValuesOnConditionCheckFailure="ALL_OLD")
    ddb.delete_table(TableName=name)


# ---- errors recorded as botocore's message ------------------------------------------------------------------------

def message(call, **kwargs):
    with pytest.raises(ClientError) as e:
        call(**kwargs)
    return str(e.value)


def test_create_duplicate_table(ddb):
    name = unique("dup")
    hash_table(ddb, name)
    assert message(hash_table, ddb=ddb, name=name) == (
        f"An error occurred (ResourceInUseException) when calling the CreateTable operation: Table already exists: {name}")
    ddb.delete_table(TableName=name)


def test_dynamodb_pay_per_request(ddb):
    assert message(hash_table, ddb=ddb, name=unique("ppr"), BillingMode="PAY_PER_REQUEST") == (
        "An error occurred (ValidationException) when calling the CreateTable operation: One or more parameter values were "
        "invalid: Neither ReadCapacityUnits nor WriteCapacityUnits can be specified when BillingMode is PAY_PER_REQUEST")


def test_batch_write_not_matching_schema(ddb):
    name = unique("schema")
    hash_table(ddb, name)
    assert message(ddb.batch_write_item, RequestItems={name: [{"PutRequest": {"Item": {"other": {"S": "x"}}}}]}) == (
        "An error occurred (ValidationException) when calling the BatchWriteItem operation: The provided key element does not match the schema")
    ddb.delete_table(TableName=name)


def test_transaction_write_canceled(ddb):
    name = unique("tx")
    hash_table(ddb, name)
    ddb.put_item(TableName=name, Item={"id": {"S": "exists"}})
    assert message(ddb.transact_write_items, TransactItems=[
        {"ConditionCheck": {"TableName": name, "Key": {"id": {"S": "exists"}}, "ConditionExpression": "attribute_not_exists(id)"}},
        {"Put": {"TableName": name, "Item": {"id": {"S": "new"}}}}]) == (
        "An error occurred (TransactionCanceledException) when calling the TransactWriteItems operation: Transaction cancelled, "
        "please refer cancellation reasons for specific reasons [ConditionalCheckFailed, None]")
    ddb.delete_table(TableName=name)


def test_batch_write_not_existing_table(ddb):
    recorded_error({"Error": {"Code": "ResourceNotFoundException", "Message": "Requested resource not found"}}, 400,
                   ddb.transact_write_items, TransactItems=[{"Put": {"TableName": "non-existent-table", "Item": {"id": {"S": "x"}}}}])


def test_dynamodb_execute_statement_empty_parameter(ddb, ddb_unvalidated):
    name = unique("pq")
    hash_table(ddb, name)
    recorded_error({"Error": {"Code": "ValidationException", "Message": "1 validation error detected: Value '[]' at 'parameters' "
                                                                      "failed to satisfy constraint: Member must have length greater than or equal to 1"}},
                   400, ddb_unvalidated.execute_statement, Statement=f'SELECT * FROM "{name}"', Parameters=[])
    ddb.delete_table(TableName=name)


# ---- backups and contributor insights -------------------------------------------------------------------------------

def test_continuous_backup_update(ddb):
    name = unique("pitr")
    hash_table(ddb, name)
    pitr = {"ContinuousBackupsDescription": {"ContinuousBackupsStatus": "ENABLED", "PointInTimeRecoveryDescription": {
        "EarliestRestorableDateTime": "datetime", "LatestRestorableDateTime": "datetime",
        "PointInTimeRecoveryStatus": "ENABLED", "RecoveryPeriodInDays": 35}}}
    same(pitr, ddb.update_continuous_backups(TableName=name, PointInTimeRecoverySpecification={"PointInTimeRecoveryEnabled": True}))
    same(pitr, ddb.describe_continuous_backups(TableName=name))
    ddb.delete_table(TableName=name)


def test_dynamodb_describe_contributor_insights(ddb):
    name = unique("ci")
    hash_table(ddb, name)
    same({"ContributorInsightsStatus": "DISABLED", "TableName": "<table-name:1>"}, ddb.describe_contributor_insights(TableName=name))
    ddb.delete_table(TableName=name)


# ---- test_kinesis_streaming_destination_crud (its error steps) ---------------------------------------------------------

def test_kinesis_streaming_destination_errors(ddb):
    name = unique("kds")
    hash_table(ddb, name)
    stream_arn = "arn:aws:kinesis:us-east-1:000000000000:stream/bad-stream"
    not_found = {"Error": {"Code": "ResourceNotFoundException", "Message": "Requested resource not found: Table: bad-table not found"}}
    recorded_error(not_found, 400, ddb.enable_kinesis_streaming_destination, TableName="bad-table", StreamArn=stream_arn)
    recorded_error(not_found, 400, ddb.disable_kinesis_streaming_destination, TableName="bad-table", StreamArn=stream_arn)
    recorded_error({"Error": {"Code": "ValidationException", "Message": "Streaming destination cannot be updated with given parameters: "
                                                                      "UpdateKinesisStreamingConfiguration cannot be null or contain only null values"}},
                   400, ddb.update_kinesis_streaming_destination, TableName=name, StreamArn=stream_arn, UpdateKinesisStreamingConfiguration={})
    recorded_error({"Error": {"Code": "ValidationException", "Message": "1 validation error detected: Value 'SECOND' at "
                                                                      "'updateKinesisStreamingConfiguration.approximateCreationDateTimePrecision' failed to "
                                                                      "satisfy constraint: Member must satisfy enum value set: [MILLISECOND, MICROSECOND]"}},
                   400, ddb.update_kinesis_streaming_destination, TableName=name, StreamArn=stream_arn,
                   UpdateKinesisStreamingConfiguration={"ApproximateCreationDateTimePrecision": "SECOND"})
    recorded_error({"Error": {"Code": "ValidationException", "Message": "Table is not in a valid state to enable Kinesis Streaming Destination: "
                                                                      "No streaming destination with streamArn: arn:aws:kinesis:us-east-1:111111111111:"
                                                                      "stream/bad-stream found for table with tableName: <table-name:1>"}},
                   400, ddb.update_kinesis_streaming_destination, TableName=name, StreamArn=stream_arn,
                   UpdateKinesisStreamingConfiguration={"ApproximateCreationDateTimePrecision": "MICROSECOND"})
    ddb.delete_table(TableName=name)


# ---- DynamoDB Streams: test_table_v2_stream, test_non_existent_stream ----------------------------------------------------

def test_table_v2_stream(ddb):
    name = unique("v2")
    ddb.create_table(TableName=name, BillingMode="PAY_PER_REQUEST", AttributeDefinitions=ID_DEFS, KeySchema=ID_KEY,
                     StreamSpecification={"StreamEnabled": True, "StreamViewType": "NEW_AND_OLD_IMAGES"})
    same({"Table": {"AttributeDefinitions": ID_DEFS,
                    "BillingModeSummary": {"BillingMode": "PAY_PER_REQUEST", "LastUpdateToPayPerRequestDateTime": "datetime"},
                    "CreationDateTime": "datetime", "DeletionProtectionEnabled": False, "ItemCount": 0, "KeySchema": ID_KEY,
                    "LatestStreamArn": "<latest-stream-arn:1>", "LatestStreamLabel": "<latest-stream-label:1>",
                    "ProvisionedThroughput": THROUGHPUT_0,
                    "StreamSpecification": {"StreamEnabled": True, "StreamViewType": "NEW_AND_OLD_IMAGES"},
                    "TableArn": "<table-arn:1>", "TableId": "<uuid:1>", "TableName": "<table-name:1>", "TableSizeBytes": 0,
                    "TableStatus": "ACTIVE", "WarmThroughput": {"ReadUnitsPerSecond": 12000, "Status": "ACTIVE", "WriteUnitsPerSecond": 4000}}},
         ddb.describe_table(TableName=name))
    ddb.delete_table(TableName=name)


def test_non_existent_stream(streams):
    arn = "arn:aws:dynamodb:us-east-1:000000000000:table/no-such-table/stream/2024-11-18T14:36:44.149"
    recorded_error({"Error": {"Code": "ResourceNotFoundException",
                              "Message": "Requested resource not found: Stream: arn:aws:dynamodb:us-east-1:111111111111:table/<table-name>/stream/2024-11-18T14:36:44.149 not found"}},
                   400, streams.describe_stream, StreamArn=arn)
