"""DynamoDB end to end through boto3: tables, items, the expression language, queries and scans, batches,
transactions, TTL, tags, and AWS's errors (texts as recorded from real AWS)."""
import decimal
import threading
import time

import pytest
from botocore.config import Config

from helpers import error_of, unique

NO_RETRY = Config(retries={"max_attempts": 1, "mode": "standard"})


@pytest.fixture(scope="module")
def ddb(aws_client):
    return aws_client("dynamodb", config=NO_RETRY)


@pytest.fixture(scope="module")
def streams(aws_client):
    return aws_client("dynamodbstreams", config=NO_RETRY)


def make_table(ddb, hash_key=("pk", "S"), range_key=None, **kwargs):
    name = unique("t")
    defs = [{"AttributeName": hash_key[0], "AttributeType": hash_key[1]}]
    schema = [{"AttributeName": hash_key[0], "KeyType": "HASH"}]
    if range_key:
        defs.append({"AttributeName": range_key[0], "AttributeType": range_key[1]})
        schema.append({"AttributeName": range_key[0], "KeyType": "RANGE"})
    defs += kwargs.pop("extra_defs", [])
    kwargs.setdefault("BillingMode", "PAY_PER_REQUEST")
    ddb.create_table(TableName=name, AttributeDefinitions=defs, KeySchema=schema, **kwargs)
    return name


# ---- tables ---------------------------------------------------------------------------------------------------

def test_table_crud_shapes(ddb):
    name = unique("crud")
    created = ddb.create_table(TableName=name, AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
                               KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
                               ProvisionedThroughput={"ReadCapacityUnits": 5, "WriteCapacityUnits": 5})["TableDescription"]
    assert created["TableStatus"] == "CREATING"
    assert set(created) == {"AttributeDefinitions", "TableName", "KeySchema", "TableStatus", "CreationDateTime",
                            "ProvisionedThroughput", "TableSizeBytes", "ItemCount", "TableArn", "TableId",
                            "DeletionProtectionEnabled"}
    assert created["TableArn"] == f"arn:aws:dynamodb:us-east-1:000000000000:table/{name}"
    assert created["ProvisionedThroughput"] == {"NumberOfDecreasesToday": 0, "ReadCapacityUnits": 5, "WriteCapacityUnits": 5}
    ddb.get_waiter("table_exists").wait(TableName=name, WaiterConfig={"Delay": 1, "MaxAttempts": 5})
    table = ddb.describe_table(TableName=name)["Table"]
    assert table["TableStatus"] == "ACTIVE"
    assert table["WarmThroughput"] == {"ReadUnitsPerSecond": 5, "WriteUnitsPerSecond": 5, "Status": "ACTIVE"}
    assert table["TableId"] == created["TableId"]
    assert name in ddb.list_tables()["TableNames"]
    deleted = ddb.delete_table(TableName=name)["TableDescription"]
    assert deleted["TableStatus"] == "DELETING"
    assert "KeySchema" not in deleted and "AttributeDefinitions" not in deleted
    err, status = error_of(ddb.delete_table, TableName="non-existent")
    assert (err["Code"], err["Message"], status) == (
        "ResourceNotFoundException", "Requested resource not found: Table: non-existent not found", 400)


def test_warm_throughput_asked_at_creation(ddb):
    name = unique("warm")
    created = ddb.create_table(TableName=name, AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
                               KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
                               ProvisionedThroughput={"ReadCapacityUnits": 5, "WriteCapacityUnits": 5},
                               WarmThroughput={"ReadUnitsPerSecond": 1000, "WriteUnitsPerSecond": 1200})["TableDescription"]
    assert created["WarmThroughput"] == {"ReadUnitsPerSecond": 1000, "WriteUnitsPerSecond": 1200, "Status": "UPDATING"}
    table = ddb.describe_table(TableName=name)["Table"]
    assert table["WarmThroughput"] == {"ReadUnitsPerSecond": 1000, "WriteUnitsPerSecond": 1200, "Status": "ACTIVE"}
    assert table["ProvisionedThroughput"] == {"NumberOfDecreasesToday": 0, "ReadCapacityUnits": 5, "WriteCapacityUnits": 5}


def test_create_table_errors(ddb):
    name = make_table(ddb)
    err, _ = error_of(ddb.create_table, TableName=name, AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
                      KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}], BillingMode="PAY_PER_REQUEST")
    assert (err["Code"], err["Message"]) == ("ResourceInUseException", f"Table already exists: {name}")
    err, _ = error_of(ddb.create_table, TableName=unique("t"), BillingMode="PAY_PER_REQUEST",
                      AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
                      KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
                      ProvisionedThroughput={"ReadCapacityUnits": 1, "WriteCapacityUnits": 1})
    assert err["Message"] == ("One or more parameter values were invalid: Neither ReadCapacityUnits nor WriteCapacityUnits "
                              "can be specified when BillingMode is PAY_PER_REQUEST")
    err, _ = error_of(ddb.create_table, TableName=unique("t"), BillingMode="PAY_PER_REQUEST",
                      AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}, {"AttributeName": "x", "AttributeType": "S"}],
                      KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}])
    assert err["Message"] == ("One or more parameter values were invalid: Number of attributes in KeySchema does not exactly "
                              "match number of attributes defined in AttributeDefinitions")


def test_gsi_description_on_demand(ddb):
    name = make_table(ddb, ("TID", "S"), extra_defs=[{"AttributeName": "TRID", "AttributeType": "S"}],
                      GlobalSecondaryIndexes=[{"IndexName": "ByTrid", "KeySchema": [{"AttributeName": "TRID", "KeyType": "HASH"}],
                                               "Projection": {"ProjectionType": "ALL"}}])
    table = ddb.describe_table(TableName=name)["Table"]
    assert table["BillingModeSummary"]["BillingMode"] == "PAY_PER_REQUEST"
    [gsi] = table["GlobalSecondaryIndexes"]
    assert gsi["IndexArn"] == table["TableArn"] + "/index/ByTrid"
    assert gsi["ProvisionedThroughput"] == {"NumberOfDecreasesToday": 0, "ReadCapacityUnits": 0, "WriteCapacityUnits": 0}
    assert gsi["WarmThroughput"] == {"ReadUnitsPerSecond": 12000, "WriteUnitsPerSecond": 4000, "Status": "ACTIVE"}


def test_list_tables_pagination(ddb):
    names = sorted(make_table(ddb) for _ in range(3))
    seen, start = [], None
    while True:
        page = ddb.list_tables(Limit=2, **({"ExclusiveStartTableName": start} if start else {}))
        seen += page["TableNames"]
        start = page.get("LastEvaluatedTableName")
        if not start:
            break
    assert all(n in seen for n in names)
    assert seen == sorted(seen)


# ---- items ----------------------------------------------------------------------------------------------------

def test_put_get_update_delete_and_return_values(ddb):
    name = make_table(ddb)
    assert "Attributes" not in ddb.put_item(TableName=name, Item={"pk": {"S": "a"}, "data": {"S": "foobar"}})
    old = ddb.put_item(TableName=name, Item={"pk": {"S": "a"}, "data": {"S": "x"}}, ReturnValues="ALL_OLD")
    assert old["Attributes"] == {"pk": {"S": "a"}, "data": {"S": "foobar"}}
    assert ddb.get_item(TableName=name, Key={"pk": {"S": "a"}})["Item"] == {"pk": {"S": "a"}, "data": {"S": "x"}}
    assert "Item" not in ddb.get_item(TableName=name, Key={"pk": {"S": "missing"}})
    err, _ = error_of(ddb.update_item, TableName=name, Key={"pk": {"S": "a"}}, UpdateExpression="SET data = :d",
                      ExpressionAttributeValues={":d": {"S": "y"}})
    assert err["Message"] == "Invalid UpdateExpression: Attribute name is a reserved keyword; reserved keyword: data"
    out = ddb.update_item(TableName=name, Key={"pk": {"S": "a"}}, UpdateExpression="SET n = :one, #d = :d",
                          ExpressionAttributeNames={"#d": "data"},
                          ExpressionAttributeValues={":one": {"N": "1"}, ":d": {"S": "y"}}, ReturnValues="UPDATED_NEW")
    assert out["Attributes"] == {"n": {"N": "1"}, "data": {"S": "y"}}
    out = ddb.update_item(TableName=name, Key={"pk": {"S": "a"}}, UpdateExpression="ADD n :two",
                          ExpressionAttributeValues={":two": {"N": "2"}}, ReturnValues="UPDATED_OLD")
    assert out["Attributes"] == {"n": {"N": "1"}}
    out = ddb.update_item(TableName=name, Key={"pk": {"S": "a"}}, UpdateExpression="REMOVE #d", ExpressionAttributeNames={"#d": "data"},
                          ReturnValues="ALL_NEW")
    assert out["Attributes"] == {"pk": {"S": "a"}, "n": {"N": "3"}}
    out = ddb.delete_item(TableName=name, Key={"pk": {"S": "a"}}, ReturnValues="ALL_OLD")
    assert out["Attributes"] == {"pk": {"S": "a"}, "n": {"N": "3"}}
    assert "Item" not in ddb.get_item(TableName=name, Key={"pk": {"S": "a"}})


def test_numbers_are_decimals_with_38_digits(ddb):
    name = make_table(ddb)
    big = "12345678901234567890123456789012345678"
    ddb.put_item(TableName=name, Item={"pk": {"S": "n"}, "big": {"N": big}, "f": {"N": "1.50"}, "e": {"N": "1E+2"}})
    item = ddb.get_item(TableName=name, Key={"pk": {"S": "n"}})["Item"]
    assert item["big"] == {"N": big} and item["f"] == {"N": "1.5"} and item["e"] == {"N": "100"}
    ddb.update_item(TableName=name, Key={"pk": {"S": "n"}}, UpdateExpression="ADD f :x",
                    ExpressionAttributeValues={":x": {"N": "0.1"}})
    assert ddb.get_item(TableName=name, Key={"pk": {"S": "n"}})["Item"]["f"] == {"N": "1.6"}
    err, _ = error_of(ddb.put_item, TableName=name, Item={"pk": {"S": "m"}, "x": {"N": "1" * 39}})
    assert err["Message"] == "Attempting to store more than 38 significant digits in a Number"
    err, _ = error_of(ddb.put_item, TableName=name, Item={"pk": {"S": "m"}, "x": {"N": "1E126"}})
    assert err["Message"] == "Number overflow. Attempting to store a number with magnitude larger than supported range"
    err, _ = error_of(ddb.put_item, TableName=name, Item={"pk": {"S": "m"}, "x": {"N": "abc"}})
    assert err["Message"] == "A value provided cannot be converted into a number"


def test_sets_nesting_empty_values_and_binary(ddb):
    name = make_table(ddb)
    item = {"pk": {"S": "s"}, "ss": {"SS": ["a", "b"]}, "ns": {"NS": ["1", "2"]}, "bs": {"BS": [b"\x00", b"\x90"]},
            "m": {"M": {"l": {"L": [{"S": "x"}, {"NULL": True}, {"BOOL": False}]}}}, "empty": {"S": ""}, "b": {"B": b"\x90"}}
    ddb.put_item(TableName=name, Item=item)
    got = ddb.get_item(TableName=name, Key={"pk": {"S": "s"}})["Item"]
    assert set(got["ss"]["SS"]) == {"a", "b"} and set(got["ns"]["NS"]) == {"1", "2"}
    assert got["m"] == item["m"] and got["empty"] == {"S": ""} and got["b"] == {"B": b"\x90"}
    err, _ = error_of(ddb.put_item, TableName=name, Item={"pk": {"S": "t"}, "ss": {"SS": []}})
    assert err["Message"] == "One or more parameter values were invalid: An string set  may not be empty"
    err, _ = error_of(ddb.put_item, TableName=name, Item={"pk": {"S": "t"}, "ss": {"SS": ["a", "a"]}})
    assert err["Message"] == "One or more parameter values were invalid: Input collection [a, a] contains duplicates."
    err, _ = error_of(ddb.put_item, TableName=name, Item={"pk": {"S": ""}})
    assert err["Message"] == ("One or more parameter values are not valid. The AttributeValue for a key attribute cannot "
                              "contain an empty string value. Key: pk")
    deep = {"S": "x"}
    for _ in range(33):
        deep = {"L": [deep]}
    err, _ = error_of(ddb.put_item, TableName=name, Item={"pk": {"S": "t"}, "d": deep})
    assert err["Message"] == "Nesting Levels have exceeded supported limits"
    err, _ = error_of(ddb.put_item, TableName=name, Item={"pk": {"S": "t"}, "big": {"S": "x" * (400 * 1024)}})
    assert err["Message"] == "Item size has exceeded the maximum allowed size"


def test_key_errors(ddb):
    name = make_table(ddb, range_key=("sk", "N"))
    err, _ = error_of(ddb.put_item, TableName=name, Item={"pk": {"S": "a"}})
    assert err["Message"] == "One or more parameter values were invalid: Missing the key sk in the item"
    err, _ = error_of(ddb.put_item, TableName=name, Item={"pk": {"S": "a"}, "sk": {"S": "x"}})
    assert err["Message"] == "One or more parameter values were invalid: Type mismatch for key sk expected: N actual: S"
    err, _ = error_of(ddb.get_item, TableName=name, Key={"pk": {"S": "a"}})
    assert (err["Code"], err["Message"]) == ("ValidationException", "The provided key element does not match the schema")
    err, _ = error_of(ddb.get_item, TableName="nope-table", Key={"pk": {"S": "a"}})
    assert (err["Code"], err["Message"]) == ("ResourceNotFoundException", "Requested resource not found")
    err, _ = error_of(ddb.update_item, TableName=name, Key={"pk": {"S": "a"}, "sk": {"N": "1"}},
                      UpdateExpression="SET pk = :v", ExpressionAttributeValues={":v": {"S": "b"}})
    assert err["Message"] == "One or more parameter values were invalid: Cannot update attribute pk. This attribute is part of the key"


# ---- expressions ----------------------------------------------------------------------------------------------

def test_condition_expressions(ddb):
    name = make_table(ddb)
    ddb.put_item(TableName=name, Item={"pk": {"S": "c"}, "price": {"N": "650"}, "tags": {"SS": ["x", "y"]},
                                       "name": {"S": "sporting goods"}, "doc": {"M": {"a": {"L": [{"N": "1"}, {"N": "2"}]}}}})

    def holds(expr, values=None, names=None):
        kwargs = {"ConditionExpression": expr}
        if values:
            kwargs["ExpressionAttributeValues"] = values
        if names:
            kwargs["ExpressionAttributeNames"] = names
        try:
            ddb.update_item(TableName=name, Key={"pk": {"S": "c"}}, UpdateExpression="SET touched = :touched",
                            **{**kwargs, "ExpressionAttributeValues": {**(values or {}), ":touched": {"BOOL": True}}})
            return True
        except ddb.exceptions.ConditionalCheckFailedException:
            return False

    n = lambda v: {"N": str(v)}
    s = lambda v: {"S": v}
    assert holds("price > :a", {":a": n(600)}) and not holds("price < :a", {":a": n(600)})
    assert holds("price BETWEEN :a AND :b", {":a": n(600), ":b": n(700)})
    assert holds("price IN (:a, :b)", {":a": n(1), ":b": n(650)})
    assert holds("attribute_exists(price) AND attribute_not_exists(nothing)")
    assert holds("attribute_type(tags, :t)", {":t": s("SS")})
    assert holds("begins_with(#n, :p)", {":p": s("sport")}, {"#n": "name"})
    assert holds("contains(tags, :x) AND contains(#n, :g)", {":x": s("x"), ":g": s("goods")}, {"#n": "name"})
    assert holds("size(tags) = :two AND size(doc.a) = :two", {":two": n(2)})
    assert holds("doc.a[1] = :two", {":two": n(2)})
    assert holds("NOT (price = :a OR price = :b)", {":a": n(1), ":b": n(2)})
    assert holds("nothing <> :a", {":a": n(1)})
    assert not holds("price > :s", {":s": s("1")})

    err, _ = error_of(ddb.put_item, TableName=name, Item={"pk": {"S": "c"}}, ConditionExpression="attribute_not_exists(pk)",
                      ReturnValuesOnConditionCheckFailure="ALL_OLD")
    assert (err["Code"], err["Message"]) == ("ConditionalCheckFailedException", "The conditional request failed")


def test_condition_failure_returns_item(ddb):
    name = make_table(ddb)
    ddb.put_item(TableName=name, Item={"pk": {"S": "456"}, "price": {"N": "650"}})
    with pytest.raises(ddb.exceptions.ConditionalCheckFailedException) as e:
        ddb.put_item(TableName=name, Item={"pk": {"S": "456"}}, ConditionExpression="attribute_not_exists(pk)",
                     ReturnValuesOnConditionCheckFailure="ALL_OLD")
    assert e.value.response["Item"] == {"pk": {"S": "456"}, "price": {"N": "650"}}


def test_expression_validation_errors(ddb):
    name = make_table(ddb)
    key = {"pk": {"S": "e"}}

    def msg(**kwargs):
        err, status = error_of(ddb.update_item, TableName=name, Key=key, **kwargs)
        assert (err["Code"], status) == ("ValidationException", 400)
        return err["Message"]

    assert msg(UpdateExpression="SET a = :v", ExpressionAttributeValues={":v": {"S": "x"}, ":unused": {"S": "y"}}) == \
        "Value provided in ExpressionAttributeValues unused in expressions: keys: {:unused}"
    assert msg(UpdateExpression="SET a = :v", ExpressionAttributeValues={":v": {"S": "x"}}, ExpressionAttributeNames={"#n": "b"}) == \
        "Value provided in ExpressionAttributeNames unused in expressions: keys: {#n}"
    assert msg(UpdateExpression="SET a = :missing") == \
        "Invalid UpdateExpression: An expression attribute value used in expression is not defined; attribute value: :missing"
    assert msg(UpdateExpression="SET #x = :v", ExpressionAttributeValues={":v": {"S": "x"}}) == \
        "Invalid UpdateExpression: An expression attribute name used in the document path is not defined; attribute name: #x"
    assert msg(UpdateExpression="SET name = :v", ExpressionAttributeValues={":v": {"S": "x"}}) == \
        "Invalid UpdateExpression: Attribute name is a reserved keyword; reserved keyword: name"
    assert msg(UpdateExpression="SET a = :v, a.b = :v", ExpressionAttributeValues={":v": {"S": "x"}}) == \
        "Invalid UpdateExpression: Two document paths overlap with each other; must remove or rewrite one of these paths; path one: [a], path two: [a, b]"
    assert msg(UpdateExpression="SET a = :v REMOVE a", ExpressionAttributeValues={":v": {"S": "x"}}) == \
        "Invalid UpdateExpression: Two document paths conflict with each other; must remove or rewrite one of these paths; path one: [a], path two: [a]"
    assert msg(UpdateExpression="SET a = :v SET b = :v", ExpressionAttributeValues={":v": {"S": "x"}}) == \
        'Invalid UpdateExpression: The "SET" section can only be used once in an update expression;'
    assert msg(UpdateExpression="SET a = :v", ConditionExpression="a = ", ExpressionAttributeValues={":v": {"S": "x"}}).startswith(
        'Invalid ConditionExpression: Syntax error; token: "<EOF>"')
    assert msg(UpdateExpression="SET a = :v", ConditionExpression="foo(a)", ExpressionAttributeValues={":v": {"S": "x"}}) == \
        "Invalid ConditionExpression: Invalid function name; function: foo"
    assert msg(UpdateExpression="ADD a :v", ExpressionAttributeValues={":v": {"S": "x"}}) == \
        "Invalid UpdateExpression: Incorrect operand type for operator or function; operator: ADD, operand type: STRING"
    assert msg(UpdateExpression="SET a = b + :v", ExpressionAttributeValues={":v": {"N": "1"}}) == \
        "The provided expression refers to an attribute that does not exist in the item"
    ddb.put_item(TableName=name, Item={"pk": {"S": "e"}, "s": {"S": "x"}})
    assert msg(UpdateExpression="SET s = s + :v", ExpressionAttributeValues={":v": {"N": "1"}}) == \
        "An operand in the update expression has an incorrect data type"
    assert msg(UpdateExpression="SET nope.deeper = :v", ExpressionAttributeValues={":v": {"N": "1"}}) == \
        "The document path provided in the update expression is invalid for update"
    # nothing stored was lost by the failed updates
    assert ddb.get_item(TableName=name, Key=key)["Item"] == {"pk": {"S": "e"}, "s": {"S": "x"}}


def test_update_expression_features(ddb):
    name = make_table(ddb)
    key = {"pk": {"S": "u"}}
    ddb.put_item(TableName=name, Item={**key, "l": {"L": [{"N": "1"}, {"N": "2"}, {"N": "3"}]}, "ss": {"SS": ["a", "b"]},
                                       "m": {"M": {"x": {"N": "1"}}}})
    ddb.update_item(TableName=name, Key=key,
                    UpdateExpression="SET l = list_append(l, :more), m.y = if_not_exists(m.y, :zero), c = if_not_exists(c, :zero) + :one "
                                     "REMOVE m.x ADD ss :c",
                    ExpressionAttributeValues={":more": {"L": [{"N": "4"}]}, ":zero": {"N": "0"}, ":one": {"N": "1"},
                                               ":c": {"SS": ["c"]}})
    ddb.update_item(TableName=name, Key=key, UpdateExpression="DELETE ss :a", ExpressionAttributeValues={":a": {"SS": ["a"]}})
    item = ddb.get_item(TableName=name, Key=key)["Item"]
    assert item["l"] == {"L": [{"N": "1"}, {"N": "2"}, {"N": "3"}, {"N": "4"}]}
    assert item["m"] == {"M": {"y": {"N": "0"}}} and item["c"] == {"N": "1"} and set(item["ss"]["SS"]) == {"b", "c"}
    ddb.update_item(TableName=name, Key=key, UpdateExpression="REMOVE l[0], l[2] DELETE ss :all",
                    ExpressionAttributeValues={":all": {"SS": ["b", "c"]}})
    item = ddb.get_item(TableName=name, Key=key)["Item"]
    assert item["l"] == {"L": [{"N": "2"}, {"N": "4"}]} and "ss" not in item
    got = ddb.get_item(TableName=name, Key=key, ProjectionExpression="l[1], m.y, #c", ExpressionAttributeNames={"#c": "c"})["Item"]
    assert got == {"l": {"L": [{"N": "4"}]}, "m": {"M": {"y": {"N": "0"}}}, "c": {"N": "1"}}


def test_legacy_parameters(ddb):
    name = make_table(ddb, range_key=("sk", "N"))
    for i in range(5):
        ddb.put_item(TableName=name, Item={"pk": {"S": "p"}, "sk": {"N": str(i)}, "v": {"N": str(i * 10)}})
    ddb.put_item(TableName=name, Item={"pk": {"S": "p"}, "sk": {"N": "0"}, "v": {"N": "5"}},
                 Expected={"v": {"Value": {"N": "0"}}})
    with pytest.raises(ddb.exceptions.ConditionalCheckFailedException):
        ddb.put_item(TableName=name, Item={"pk": {"S": "p"}, "sk": {"N": "0"}}, Expected={"v": {"Exists": False}})
    ddb.update_item(TableName=name, Key={"pk": {"S": "p"}, "sk": {"N": "1"}},
                    AttributeUpdates={"v": {"Action": "ADD", "Value": {"N": "1"}}, "w": {"Action": "PUT", "Value": {"S": "x"}}})
    out = ddb.query(TableName=name, KeyConditions={"pk": {"ComparisonOperator": "EQ", "AttributeValueList": [{"S": "p"}]},
                                                   "sk": {"ComparisonOperator": "GE", "AttributeValueList": [{"N": "1"}]}},
                    QueryFilter={"v": {"ComparisonOperator": "GT", "AttributeValueList": [{"N": "15"}]}},
                    AttributesToGet=["sk"])
    assert out["Items"] == [{"sk": {"N": "2"}}, {"sk": {"N": "3"}}, {"sk": {"N": "4"}}] and out["ScannedCount"] == 4
    err, _ = error_of(ddb.get_item, TableName=name, Key={"pk": {"S": "p"}, "sk": {"N": "1"}}, AttributesToGet=["v"],
                      ProjectionExpression="v")
    assert err["Message"] == ("Can not use both expression and non-expression parameters in the same request: "
                              "Non-expression parameters: {AttributesToGet} Expression parameters: {ProjectionExpression}")


# ---- query and scan ------------------------------------------------------------------------------------------

def test_query_ranges_order_limit_and_pages(ddb):
    name = make_table(ddb, range_key=("sk", "S"))
    with_batch = [{"PutRequest": {"Item": {"pk": {"S": "q"}, "sk": {"S": f"item#{i:03d}"}, "n": {"N": str(i)}}}} for i in range(60)]
    for i in range(0, 60, 25):
        ddb.batch_write_item(RequestItems={name: with_batch[i:i + 25]})
    ddb.put_item(TableName=name, Item={"pk": {"S": "other"}, "sk": {"S": "item#000"}})

    def q(expr, values, **kwargs):
        return ddb.query(TableName=name, KeyConditionExpression=expr, ExpressionAttributeValues=values, **kwargs)

    out = q("pk = :p AND begins_with(sk, :b)", {":p": {"S": "q"}, ":b": {"S": "item#01"}})
    assert [i["n"]["N"] for i in out["Items"]] == [str(i) for i in range(10, 20)]
    out = q("pk = :p AND sk BETWEEN :a AND :b", {":p": {"S": "q"}, ":a": {"S": "item#005"}, ":b": {"S": "item#007"}},
            ScanIndexForward=False)
    assert [i["n"]["N"] for i in out["Items"]] == ["7", "6", "5"]
    out = q("pk = :p AND sk > :a", {":p": {"S": "q"}, ":a": {"S": "item#057"}}, Select="COUNT")
    assert out["Count"] == 2 and "Items" not in out
    collected, start = [], None
    while True:
        kwargs = {"Limit": 7}
        if start:
            kwargs["ExclusiveStartKey"] = start
        out = q("pk = :p", {":p": {"S": "q"}, ":ten": {"N": "10"}}, FilterExpression="n >= :ten", **kwargs)
        collected += [int(i["n"]["N"]) for i in out["Items"]]
        assert out["ScannedCount"] <= 7
        start = out.get("LastEvaluatedKey")
        if not start:
            break
    assert collected == list(range(10, 60))
    err, _ = error_of(q, "sk = :a", {":a": {"S": "x"}})
    assert err["Message"] == "Query condition missed key schema element: pk"
    err, _ = error_of(q, "pk = :p AND sk BETWEEN :b AND :a", {":p": {"S": "q"}, ":a": {"S": "a"}, ":b": {"S": "b"}})
    assert err["Message"].startswith("Invalid KeyConditionExpression: The BETWEEN operator requires upper bound to be greater than or equal to lower bound")


def test_query_one_megabyte_pages(ddb):
    name = make_table(ddb, range_key=("sk", "N"))
    blob = "x" * 100_000
    for i in range(0, 25, 5):
        ddb.batch_write_item(RequestItems={name: [{"PutRequest": {"Item": {"pk": {"S": "big"}, "sk": {"N": str(j)}, "d": {"S": blob}}}}
                                                  for j in range(i, i + 5)]})
    first = ddb.query(TableName=name, KeyConditionExpression="pk = :p", ExpressionAttributeValues={":p": {"S": "big"}})
    assert 10 <= first["Count"] < 25 and "LastEvaluatedKey" in first
    rest = ddb.query(TableName=name, KeyConditionExpression="pk = :p", ExpressionAttributeValues={":p": {"S": "big"}},
                     ExclusiveStartKey=first["LastEvaluatedKey"])
    assert first["Count"] + rest["Count"] + (ddb.query(TableName=name, KeyConditionExpression="pk = :p",
                                                       ExpressionAttributeValues={":p": {"S": "big"}},
                                                       ExclusiveStartKey=rest["LastEvaluatedKey"])["Count"]
                                             if "LastEvaluatedKey" in rest else 0) == 25


def test_indexes(ddb):
    name = make_table(ddb, ("PK", "S"), ("SK", "S"),
                      extra_defs=[{"AttributeName": "LSI1SK", "AttributeType": "N"}, {"AttributeName": "g", "AttributeType": "S"}],
                      LocalSecondaryIndexes=[{"IndexName": "LSI1", "KeySchema": [{"AttributeName": "PK", "KeyType": "HASH"},
                                                                                  {"AttributeName": "LSI1SK", "KeyType": "RANGE"}],
                                              "Projection": {"ProjectionType": "ALL"}}],
                      GlobalSecondaryIndexes=[{"IndexName": "GIdx", "KeySchema": [{"AttributeName": "g", "KeyType": "HASH"}],
                                               "Projection": {"ProjectionType": "KEYS_ONLY"}}])
    ddb.put_item(TableName=name, Item={"PK": {"S": "test one"}, "SK": {"S": "hello"}, "LSI1SK": {"N": "123"}, "g": {"S": "G1"}, "x": {"S": "y"}})
    ddb.put_item(TableName=name, Item={"PK": {"S": "test one"}, "SK": {"S": "other"}})
    out = ddb.query(TableName=name, IndexName="LSI1", KeyConditionExpression="PK = :p AND LSI1SK > :n",
                    ExpressionAttributeValues={":p": {"S": "test one"}, ":n": {"N": "100"}})
    assert out["Count"] == 1 and out["ScannedCount"] == 1 and out["Items"][0]["x"] == {"S": "y"}
    out = ddb.query(TableName=name, IndexName="GIdx", KeyConditionExpression="g = :g", ExpressionAttributeValues={":g": {"S": "G1"}})
    assert out["Items"] == [{"PK": {"S": "test one"}, "SK": {"S": "hello"}, "g": {"S": "G1"}}]
    assert ddb.scan(TableName=name, IndexName="GIdx")["Count"] == 1
    err, _ = error_of(ddb.query, TableName=name, IndexName="GIdx", KeyConditionExpression="g = :g",
                      ExpressionAttributeValues={":g": {"S": "G1"}}, ConsistentRead=True)
    assert err["Message"] == "Consistent reads are not supported on global secondary indexes"
    ddb.update_table(TableName=name, AttributeDefinitions=[{"AttributeName": "x", "AttributeType": "S"}],
                     GlobalSecondaryIndexUpdates=[{"Create": {"IndexName": "XIdx", "KeySchema": [{"AttributeName": "x", "KeyType": "HASH"}],
                                                              "Projection": {"ProjectionType": "ALL"}}}])
    out = ddb.query(TableName=name, IndexName="XIdx", KeyConditionExpression="x = :x", ExpressionAttributeValues={":x": {"S": "y"}})
    assert out["Count"] == 1


def test_parallel_scan_covers_each_item_once(ddb):
    name = make_table(ddb)
    for i in range(0, 100, 25):
        ddb.batch_write_item(RequestItems={name: [{"PutRequest": {"Item": {"pk": {"S": f"k{j}"}}}} for j in range(i, i + 25)]})
    seen = []
    for segment in range(4):
        seen += [i["pk"]["S"] for i in ddb.scan(TableName=name, Segment=segment, TotalSegments=4)["Items"]]
    assert sorted(seen) == sorted(f"k{j}" for j in range(100))
    err, _ = error_of(ddb.scan, TableName=name, Segment=4, TotalSegments=4)
    assert err["Message"] == "The Segment parameter is zero-based and must be less than parameter TotalSegments: Segment: 4 is not less than TotalSegments: 4"
    out = ddb.scan(TableName=name, FilterExpression="begins_with(pk, :p)", ExpressionAttributeValues={":p": {"S": "k9"}})
    assert out["Count"] == 11 and out["ScannedCount"] == 100


# ---- batches and transactions ---------------------------------------------------------------------------------

def test_batch_get_and_write(ddb):
    name = make_table(ddb)
    ddb.batch_write_item(RequestItems={name: [{"PutRequest": {"Item": {"pk": {"S": f"b{i}"}, "v": {"N": str(i)}}}} for i in range(3)]})
    out = ddb.batch_get_item(RequestItems={name: {"Keys": [{"pk": {"S": "b0"}}, {"pk": {"S": "b2"}}, {"pk": {"S": "none"}}],
                                                  "ProjectionExpression": "v"}})
    assert sorted(i["v"]["N"] for i in out["Responses"][name]) == ["0", "2"] and out["UnprocessedKeys"] == {}
    out = ddb.batch_write_item(RequestItems={name: [{"DeleteRequest": {"Key": {"pk": {"S": "b0"}}}}]})
    assert out["UnprocessedItems"] == {}
    err, _ = error_of(ddb.batch_write_item, RequestItems={name: [{"PutRequest": {"Item": {"wrong": {"S": "x"}}}}]})
    assert err["Message"] == "The provided key element does not match the schema"
    err, _ = error_of(ddb.batch_write_item, RequestItems={name: [{"PutRequest": {"Item": {"pk": {"S": f"x{i}"}}}} for i in range(26)]})
    assert err["Code"] == "ValidationException"
    err, _ = error_of(ddb.batch_get_item, RequestItems={name: {"Keys": [{"pk": {"S": f"x{i}"}} for i in range(101)]}})
    assert err["Message"] == "Too many items requested for the BatchGetItem call"
    err, _ = error_of(ddb.batch_get_item, RequestItems={name: {"Keys": [{"pk": {"S": "a"}}, {"pk": {"S": "a"}}]}})
    assert err["Message"] == "Provided list of item keys contains duplicates"


def test_transactions(ddb):
    name = make_table(ddb)
    ddb.put_item(TableName=name, Item={"pk": {"S": "t1"}, "n": {"N": "1"}})
    table_arn = ddb.describe_table(TableName=name)["Table"]["TableArn"]
    ddb.transact_write_items(TransactItems=[
        {"Put": {"TableName": name, "Item": {"pk": {"S": "t2"}}, "ConditionExpression": "attribute_not_exists(pk)"}},
        {"Update": {"TableName": table_arn, "Key": {"pk": {"S": "t1"}}, "UpdateExpression": "ADD n :one",
                    "ExpressionAttributeValues": {":one": {"N": "1"}}}},
    ])
    got = ddb.transact_get_items(TransactItems=[{"Get": {"TableName": name, "Key": {"pk": {"S": "t1"}}}},
                                                {"Get": {"TableName": table_arn, "Key": {"pk": {"S": "t2"}}}},
                                                {"Get": {"TableName": name, "Key": {"pk": {"S": "none"}}}}])["Responses"]
    assert got == [{"Item": {"pk": {"S": "t1"}, "n": {"N": "2"}}}, {"Item": {"pk": {"S": "t2"}}}, {}]
    with pytest.raises(ddb.exceptions.TransactionCanceledException) as e:
        ddb.transact_write_items(TransactItems=[
            {"ConditionCheck": {"TableName": name, "Key": {"pk": {"S": "t1"}}, "ConditionExpression": "n = :five",
                                "ExpressionAttributeValues": {":five": {"N": "5"}}, "ReturnValuesOnConditionCheckFailure": "ALL_OLD"}},
            {"Delete": {"TableName": name, "Key": {"pk": {"S": "t2"}}}},
        ])
    assert e.value.response["Error"]["Message"] == \
        "Transaction cancelled, please refer cancellation reasons for specific reasons [ConditionalCheckFailed, None]"
    assert e.value.response["CancellationReasons"] == [
        {"Code": "ConditionalCheckFailed", "Message": "The conditional request failed", "Item": {"pk": {"S": "t1"}, "n": {"N": "2"}}},
        {"Code": "None"}]
    assert "Item" in ddb.get_item(TableName=name, Key={"pk": {"S": "t2"}})  # the delete did not happen
    err, _ = error_of(ddb.transact_write_items, TransactItems=[
        {"Delete": {"TableName": name, "Key": {"pk": {"S": "t2"}}}},
        {"Put": {"TableName": name, "Item": {"pk": {"S": "t2"}}}}])
    assert err["Message"] == "Transaction request cannot include multiple operations on one item"
    err, _ = error_of(ddb.transact_write_items, TransactItems=[{"Put": {"TableName": "missing-table", "Item": {"pk": {"S": "x"}}}}])
    assert (err["Code"], err["Message"]) == ("ResourceNotFoundException", "Requested resource not found")


def test_transaction_idempotency_token(ddb):
    name = make_table(ddb)
    ddb.put_item(TableName=name, Item={"pk": {"S": "i"}, "n": {"N": "0"}})
    items = [{"Update": {"TableName": name, "Key": {"pk": {"S": "i"}}, "UpdateExpression": "ADD n :one",
                         "ExpressionAttributeValues": {":one": {"N": "1"}}}}]
    token = unique("tok")
    ddb.transact_write_items(TransactItems=items, ClientRequestToken=token)
    ddb.transact_write_items(TransactItems=items, ClientRequestToken=token)
    assert ddb.get_item(TableName=name, Key={"pk": {"S": "i"}})["Item"]["n"] == {"N": "1"}
    err, _ = error_of(ddb.transact_write_items, ClientRequestToken=token, TransactItems=[
        {"Put": {"TableName": name, "Item": {"pk": {"S": "other"}}}}])
    assert err["Code"] == "IdempotentParameterMismatchException"


def test_concurrent_conditional_writes_and_adds(endpoint_url, aws_client):
    ddb = aws_client("dynamodb", config=Config(retries={"max_attempts": 1}, max_pool_connections=20))
    name = make_table(ddb)
    ddb.put_item(TableName=name, Item={"pk": {"S": "counter"}, "n": {"N": "0"}})
    wins, errors = [], []

    def claim(worker):
        for k in range(20):
            try:
                ddb.put_item(TableName=name, Item={"pk": {"S": f"lock{k}"}, "owner": {"N": str(worker)}},
                             ConditionExpression="attribute_not_exists(pk)")
                wins.append(k)
            except ddb.exceptions.ConditionalCheckFailedException:
                pass
            except Exception as e:  # noqa: BLE001 - any other failure fails the test below
                errors.append(e)
            ddb.update_item(TableName=name, Key={"pk": {"S": "counter"}}, UpdateExpression="ADD n :one",
                            ExpressionAttributeValues={":one": {"N": "1"}})

    threads = [threading.Thread(target=claim, args=(w,)) for w in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not errors
    assert sorted(wins) == list(range(20))  # exactly one winner per lock
    assert ddb.get_item(TableName=name, Key={"pk": {"S": "counter"}})["Item"]["n"] == {"N": "160"}  # no lost ADD


# ---- TTL, tags, settings ---------------------------------------------------------------------------------------

def test_ttl_expiry_and_stream_record(ddb, streams):
    name = make_table(ddb, StreamSpecification={"StreamEnabled": True, "StreamViewType": "OLD_IMAGE"})
    assert ddb.describe_time_to_live(TableName=name)["TimeToLiveDescription"] == {"TimeToLiveStatus": "DISABLED"}
    ddb.update_time_to_live(TableName=name, TimeToLiveSpecification={"Enabled": True, "AttributeName": "exp"})
    assert ddb.describe_time_to_live(TableName=name)["TimeToLiveDescription"] == {"TimeToLiveStatus": "ENABLED", "AttributeName": "exp"}
    err, _ = error_of(ddb.update_time_to_live, TableName=name, TimeToLiveSpecification={"Enabled": True, "AttributeName": "exp"})
    assert err["Message"] == "TimeToLive is already enabled"
    now = int(time.time())
    ddb.put_item(TableName=name, Item={"pk": {"S": "old"}, "exp": {"N": str(now - 10)}})
    ddb.put_item(TableName=name, Item={"pk": {"S": "new"}, "exp": {"N": str(now + 3600)}})
    deadline = time.time() + 15
    while "Item" in ddb.get_item(TableName=name, Key={"pk": {"S": "old"}}) and time.time() < deadline:
        time.sleep(0.2)
    assert "Item" not in ddb.get_item(TableName=name, Key={"pk": {"S": "old"}})
    assert "Item" in ddb.get_item(TableName=name, Key={"pk": {"S": "new"}})
    arn = ddb.describe_table(TableName=name)["Table"]["LatestStreamArn"]
    shard = streams.describe_stream(StreamArn=arn)["StreamDescription"]["Shards"][0]["ShardId"]
    it = streams.get_shard_iterator(StreamArn=arn, ShardId=shard, ShardIteratorType="TRIM_HORIZON")["ShardIterator"]
    records = streams.get_records(ShardIterator=it)["Records"]
    removal = [r for r in records if r["eventName"] == "REMOVE"]
    assert len(removal) == 1 and removal[0]["userIdentity"] == {"PrincipalId": "dynamodb.amazonaws.com", "Type": "Service"}


def test_tags_and_settings(ddb):
    name = make_table(ddb, Tags=[{"Key": "a", "Value": "1"}])
    arn = ddb.describe_table(TableName=name)["Table"]["TableArn"]
    ddb.tag_resource(ResourceArn=arn, Tags=[{"Key": "b", "Value": "2"}])
    ddb.untag_resource(ResourceArn=arn, TagKeys=["a"])
    assert ddb.list_tags_of_resource(ResourceArn=arn)["Tags"] == [{"Key": "b", "Value": "2"}]
    out = ddb.update_continuous_backups(TableName=name, PointInTimeRecoverySpecification={"PointInTimeRecoveryEnabled": True})
    assert out["ContinuousBackupsDescription"]["PointInTimeRecoveryDescription"]["RecoveryPeriodInDays"] == 35
    assert ddb.describe_continuous_backups(TableName=name)["ContinuousBackupsDescription"]["ContinuousBackupsStatus"] == "ENABLED"
    assert ddb.describe_contributor_insights(TableName=name)["ContributorInsightsStatus"] == "DISABLED"
    assert ddb.describe_limits()["TableMaxReadCapacityUnits"] == 40000
    ddb.update_table(TableName=name, DeletionProtectionEnabled=True)
    err, _ = error_of(ddb.delete_table, TableName=name)
    assert err["Code"] == "ValidationException"
    ddb.update_table(TableName=name, DeletionProtectionEnabled=False)
    ddb.delete_table(TableName=name)


def test_backups_and_restore(ddb):
    name = make_table(ddb, range_key=("sk", "N"))
    for i in range(3):
        ddb.put_item(TableName=name, Item={"pk": {"S": "b"}, "sk": {"N": str(i)}})
    details = ddb.create_backup(TableName=name, BackupName="nightly")["BackupDetails"]
    assert (details["BackupName"], details["BackupStatus"], details["BackupType"]) == ("nightly", "AVAILABLE", "USER")
    arn = details["BackupArn"]
    ddb.put_item(TableName=name, Item={"pk": {"S": "b"}, "sk": {"N": "99"}})  # after the backup: not restored
    described = ddb.describe_backup(BackupArn=arn)["BackupDescription"]
    assert described["SourceTableDetails"]["TableName"] == name and described["SourceTableDetails"]["ItemCount"] == 3
    assert arn in [b["BackupArn"] for b in ddb.list_backups(TableName=name)["BackupSummaries"]]
    target = unique("restored")
    restored = ddb.restore_table_from_backup(TargetTableName=target, BackupArn=arn)["TableDescription"]
    assert restored["RestoreSummary"]["SourceBackupArn"] == arn
    out = ddb.query(TableName=target, KeyConditionExpression="pk = :p", ExpressionAttributeValues={":p": {"S": "b"}})
    assert [i["sk"]["N"] for i in out["Items"]] == ["0", "1", "2"]
    err, _ = error_of(ddb.restore_table_from_backup, TargetTableName=target, BackupArn=arn)
    assert err["Code"] == "TableAlreadyExistsException"
    assert ddb.delete_backup(BackupArn=arn)["BackupDescription"]["BackupDetails"]["BackupStatus"] == "DELETED"
    err, _ = error_of(ddb.describe_backup, BackupArn=arn)
    assert (err["Code"], err["Message"]) == ("BackupNotFoundException", f"Backup not found: {arn}")


# ---- PartiQL --------------------------------------------------------------------------------------------------

def test_partiql_statements(ddb, aws_client):
    name = make_table(ddb, ("Username", "S"))
    ddb.execute_statement(Statement=f'INSERT INTO "{name}" VALUE {{\'Username\': ?, \'FirstName\': ?}}',
                          Parameters=[{"S": "Alice123"}, {"S": "Alice"}])
    ddb.execute_statement(Statement=f"INSERT INTO \"{name}\" VALUE {{'Username': 'Bob', 'Age': 20, 'Tags': <<'a', 'b'>>}}")
    err, _ = error_of(ddb.execute_statement, Statement=f"INSERT INTO \"{name}\" VALUE {{'Username': 'Bob'}}")
    assert (err["Code"], err["Message"]) == ("DuplicateItemException", "Duplicate primary key exists in table")
    items = ddb.execute_statement(Statement=f'SELECT * FROM "{name}" WHERE FirstName IS NOT MISSING')["Items"]
    assert items == [{"FirstName": {"S": "Alice"}, "Username": {"S": "Alice123"}}]
    items = ddb.execute_statement(Statement=f'SELECT Age FROM "{name}" WHERE Username = ?', Parameters=[{"S": "Bob"}])["Items"]
    assert items == [{"Age": {"N": "20"}}]
    ddb.execute_statement(Statement=f"UPDATE \"{name}\" SET Age = Age + 1 WHERE Username = 'Bob'")
    assert ddb.get_item(TableName=name, Key={"Username": {"S": "Bob"}})["Item"]["Age"] == {"N": "21"}
    with pytest.raises(ddb.exceptions.ConditionalCheckFailedException):
        ddb.execute_statement(Statement=f"UPDATE \"{name}\" SET Age = 1 WHERE Username = 'Nobody'")
    first = ddb.execute_statement(Statement=f'SELECT * FROM "{name}"', Limit=1)
    assert len(first["Items"]) == 1 and "NextToken" in first
    second = ddb.execute_statement(Statement=f'SELECT * FROM "{name}"', NextToken=first["NextToken"])
    assert len(second["Items"]) == 1
    ddb.execute_statement(Statement=f"DELETE FROM \"{name}\" WHERE Username = 'Bob'")
    assert "Item" not in ddb.get_item(TableName=name, Key={"Username": {"S": "Bob"}})
    unchecked = aws_client("dynamodb", config=Config(parameter_validation=False, retries={"max_attempts": 1}))
    err, _ = error_of(unchecked.execute_statement, Statement=f'SELECT * FROM "{name}" WHERE Username = ?', Parameters=[])
    assert err["Message"] == ("1 validation error detected: Value '[]' at 'parameters' failed to satisfy constraint: "
                              "Member must have length greater than or equal to 1")


def test_partiql_batch_and_transaction(ddb):
    name = make_table(ddb, ("Username", "S"))
    out = ddb.batch_execute_statement(Statements=[
        {"Statement": f"INSERT INTO \"{name}\" VALUE {{'Username': 'user01'}}"},
        {"Statement": f"INSERT INTO \"{name}\" VALUE {{'Username': 'user02', 'Age': ?}}", "Parameters": [{"N": "20"}]}])
    assert out["Responses"] == [{"TableName": name}, {"TableName": name}]
    out = ddb.batch_execute_statement(Statements=[
        {"Statement": f"SELECT * FROM \"{name}\" WHERE Username = 'user02'"},
        {"Statement": f"INSERT INTO \"{name}\" VALUE {{'Username': 'user01'}}"}])
    assert out["Responses"][0]["Item"] == {"Age": {"N": "20"}, "Username": {"S": "user02"}}
    assert out["Responses"][1]["Error"]["Code"] == "DuplicateItem"
    out = ddb.execute_transaction(TransactStatements=[
        {"Statement": f"INSERT INTO \"{name}\" VALUE {{'Username': 'user03'}}"},
        {"Statement": f"UPDATE \"{name}\" SET Age = 30 WHERE Username = 'user01'"}])
    assert out["Responses"] == []
    assert ddb.scan(TableName=name)["Count"] == 3
    with pytest.raises(ddb.exceptions.TransactionCanceledException):
        ddb.execute_transaction(TransactStatements=[
            {"Statement": f"INSERT INTO \"{name}\" VALUE {{'Username': 'user04'}}"},
            {"Statement": f"UPDATE \"{name}\" SET Age = 1 WHERE Username = 'nobody'"}])
    assert "Item" not in ddb.get_item(TableName=name, Key={"Username": {"S": "user04"}})
