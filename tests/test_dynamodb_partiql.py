"""DynamoDB PartiQL beyond the basics: SELECT from an index ("table"."index"), partition reads, RETURNING,
set_add/set_delete, EXISTS condition checks in ExecuteTransaction, ReturnValuesOnConditionCheckFailure."""
import pytest
from botocore.config import Config

from helpers import error_of, unique

NO_RETRY = Config(retries={"max_attempts": 1, "mode": "standard"})


@pytest.fixture(scope="module")
def ddb(aws_client):
    return aws_client("dynamodb", config=NO_RETRY)


@pytest.fixture(scope="module")
def table(ddb):
    name = unique("pq")
    ddb.create_table(TableName=name, BillingMode="PAY_PER_REQUEST",
                     KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "sk", "KeyType": "RANGE"}],
                     AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}, {"AttributeName": "sk", "AttributeType": "N"},
                                           {"AttributeName": "color", "AttributeType": "S"}],
                     GlobalSecondaryIndexes=[{"IndexName": "by-color", "KeySchema": [{"AttributeName": "color", "KeyType": "HASH"}],
                                              "Projection": {"ProjectionType": "KEYS_ONLY"}}])
    for pk, sk, color in [("a", 1, "red"), ("a", 2, "blue"), ("b", 1, "red"), ("c", 1, "green")]:
        ddb.put_item(TableName=name, Item={"pk": {"S": pk}, "sk": {"N": str(sk)}, "color": {"S": color}, "n": {"N": "0"}})
    return name


def test_select_from_index(ddb, table):
    items = ddb.execute_statement(Statement=f'SELECT * FROM "{table}"."by-color" WHERE color = ?', Parameters=[{"S": "red"}])["Items"]
    # KEYS_ONLY: the index's and the table's keys only.
    assert sorted(items, key=lambda i: i["pk"]["S"]) == [
        {"pk": {"S": "a"}, "sk": {"N": "1"}, "color": {"S": "red"}}, {"pk": {"S": "b"}, "sk": {"N": "1"}, "color": {"S": "red"}}]
    items = ddb.execute_statement(Statement=f'SELECT pk FROM "{table}"."by-color" WHERE color = \'green\'')["Items"]
    assert items == [{"pk": {"S": "c"}}]
    err, _ = error_of(ddb.execute_statement, Statement=f'SELECT * FROM "{table}"."nope"')
    assert (err["Code"], err["Message"]) == ("ValidationException", "The table does not have the specified index: nope")


def test_select_on_partition_pages_within_it(ddb, table):
    first = ddb.execute_statement(Statement=f"SELECT sk FROM \"{table}\" WHERE pk = 'a'", Limit=1)
    assert first["Items"] == [{"sk": {"N": "1"}}] and "NextToken" in first
    second = ddb.execute_statement(Statement=f"SELECT sk FROM \"{table}\" WHERE pk = 'a'", Limit=1, NextToken=first["NextToken"])
    assert second["Items"] == [{"sk": {"N": "2"}}]
    rest = ddb.execute_statement(Statement=f"SELECT sk FROM \"{table}\" WHERE pk = 'a' AND sk > 1")["Items"]
    assert rest == [{"sk": {"N": "2"}}]


def test_returning_and_set_functions(ddb, table):
    out = ddb.execute_statement(Statement=f"UPDATE \"{table}\" SET n = n + 1 SET tags = set_add(tags, <<'x', 'y'>>) "
                                          f"WHERE pk = 'b' AND sk = 1 RETURNING ALL NEW *")
    [item] = out["Items"]
    assert item["n"] == {"N": "1"} and sorted(item["tags"]["SS"]) == ["x", "y"]
    out = ddb.execute_statement(Statement=f"UPDATE \"{table}\" SET tags = set_delete(tags, <<'x'>>) WHERE pk = 'b' AND sk = 1 "
                                          f"RETURNING MODIFIED OLD *")
    assert [sorted(i["tags"]["SS"]) for i in out["Items"]] == [["x", "y"]]
    assert ddb.get_item(TableName=table, Key={"pk": {"S": "b"}, "sk": {"N": "1"}})["Item"]["tags"] == {"SS": ["y"]}
    out = ddb.execute_statement(Statement=f"DELETE FROM \"{table}\" WHERE pk = 'c' AND sk = 1 RETURNING ALL OLD *")
    assert out["Items"] == [{"pk": {"S": "c"}, "sk": {"N": "1"}, "color": {"S": "green"}, "n": {"N": "0"}}]
    assert ddb.execute_statement(Statement=f"UPDATE \"{table}\" SET n = 5 WHERE pk = 'a' AND sk = 1")["Items"] == []
    err, _ = error_of(ddb.execute_statement, Statement=f"DELETE FROM \"{table}\" WHERE pk = 'a' AND sk = 1 RETURNING ALL NEW *")
    assert err["Code"] == "ValidationException"


def test_condition_failure_returns_item_when_asked(ddb, table):
    with pytest.raises(ddb.exceptions.ConditionalCheckFailedException) as info:
        ddb.execute_statement(Statement=f"UPDATE \"{table}\" SET n = 9 WHERE pk = 'a' AND sk = 2 AND n = 42",
                              ReturnValuesOnConditionCheckFailure="ALL_OLD")
    assert info.value.response["Item"]["color"] == {"S": "blue"}


def test_exists_in_transactions(ddb, table):
    ddb.execute_transaction(TransactStatements=[
        {"Statement": f"EXISTS(SELECT * FROM \"{table}\" WHERE pk = 'a' AND sk = 2 AND color = 'blue')"},
        {"Statement": f"UPDATE \"{table}\" SET checked = true WHERE pk = 'a' AND sk = 1"}])
    assert ddb.get_item(TableName=table, Key={"pk": {"S": "a"}, "sk": {"N": "1"}})["Item"]["checked"] == {"BOOL": True}
    with pytest.raises(ddb.exceptions.TransactionCanceledException) as info:
        ddb.execute_transaction(TransactStatements=[
            {"Statement": f"EXISTS(SELECT * FROM \"{table}\" WHERE pk = 'zzz' AND sk = 1)"},
            {"Statement": f"UPDATE \"{table}\" SET checked = false WHERE pk = 'a' AND sk = 1"}])
    assert [r["Code"] for r in info.value.response["CancellationReasons"]] == ["ConditionalCheckFailed", "None"]
    assert ddb.get_item(TableName=table, Key={"pk": {"S": "a"}, "sk": {"N": "1"}})["Item"]["checked"] == {"BOOL": True}
    err, _ = error_of(ddb.execute_statement, Statement=f"EXISTS(SELECT * FROM \"{table}\" WHERE pk = 'a' AND sk = 1)")
    assert err["Code"] == "ValidationException"
