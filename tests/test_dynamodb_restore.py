"""DynamoDB restores (issue 15): DescribeTable's RestoreSummary field by field after RestoreTableFromBackup and
RestoreTableToPointInTime, the restored items, and the errors of a point-in-time restore."""
import datetime

import pytest
from botocore.config import Config

from helpers import error_of, unique

NO_RETRY = Config(retries={"max_attempts": 1, "mode": "standard"})


@pytest.fixture(scope="module")
def ddb(aws_client):
    return aws_client("dynamodb", config=NO_RETRY)


def source_table(ddb):
    name = unique("src")
    arn = ddb.create_table(TableName=name, BillingMode="PAY_PER_REQUEST",
                           AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
                           KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}])["TableDescription"]["TableArn"]
    for i in range(3):
        ddb.put_item(TableName=name, Item={"pk": {"S": f"k{i}"}, "n": {"N": str(i)}})
    return name, arn


def near_now(moment):
    now = datetime.datetime.now(datetime.timezone.utc)
    return abs((now - moment).total_seconds()) < 300


def items_of(ddb, name):
    return sorted((i["pk"]["S"], i["n"]["N"]) for i in ddb.scan(TableName=name, ConsistentRead=True)["Items"])


def test_restore_from_backup_has_a_restore_summary_field_by_field(ddb):
    name, source_arn = source_table(ddb)
    assert "RestoreSummary" not in ddb.describe_table(TableName=name)["Table"]
    backup = ddb.create_backup(TableName=name, BackupName="restore-me")["BackupDetails"]["BackupArn"]
    target = unique("from-backup")
    answered = ddb.restore_table_from_backup(TargetTableName=target, BackupArn=backup)["TableDescription"]
    described = ddb.describe_table(TableName=target)["Table"]
    for summary in (answered["RestoreSummary"], described["RestoreSummary"]):
        assert set(summary) == {"SourceBackupArn", "SourceTableArn", "RestoreDateTime", "RestoreInProgress"}
        assert summary["SourceBackupArn"] == backup
        assert summary["SourceTableArn"] == source_arn
        assert summary["RestoreInProgress"] is False
        assert near_now(summary["RestoreDateTime"])
    assert answered["RestoreSummary"] == described["RestoreSummary"]
    assert described["TableName"] == target and described["TableArn"].endswith(f":table/{target}")
    assert items_of(ddb, target) == [("k0", "0"), ("k1", "1"), ("k2", "2")]


def test_restore_to_point_in_time(ddb):
    name, source_arn = source_table(ddb)
    target = unique("pitr")
    err, status = error_of(ddb.restore_table_to_point_in_time, SourceTableName=name, TargetTableName=target,
                           UseLatestRestorableTime=True)
    assert (status, err["Code"]) == (400, "PointInTimeRecoveryUnavailableException")
    ddb.update_continuous_backups(TableName=name, PointInTimeRecoverySpecification={"PointInTimeRecoveryEnabled": True})
    answered = ddb.restore_table_to_point_in_time(SourceTableName=name, TargetTableName=target,
                                                  UseLatestRestorableTime=True)["TableDescription"]
    described = ddb.describe_table(TableName=target)["Table"]
    for summary in (answered["RestoreSummary"], described["RestoreSummary"]):
        # No backup behind a point-in-time restore: only the source table.
        assert set(summary) == {"SourceTableArn", "RestoreDateTime", "RestoreInProgress"}
        assert summary["SourceTableArn"] == source_arn
        assert summary["RestoreInProgress"] is False
        assert near_now(summary["RestoreDateTime"])
    assert items_of(ddb, target) == [("k0", "0"), ("k1", "1"), ("k2", "2")]
    # By ARN and with an explicit time inside the window.
    by_arn = unique("pitr-arn")
    ddb.restore_table_to_point_in_time(SourceTableArn=source_arn, TargetTableName=by_arn,
                                       RestoreDateTime=datetime.datetime.now(datetime.timezone.utc),
                                       )
    assert ddb.describe_table(TableName=by_arn)["Table"]["RestoreSummary"]["SourceTableArn"] == source_arn


def test_restore_to_point_in_time_errors(ddb):
    name, _ = source_table(ddb)
    ddb.update_continuous_backups(TableName=name, PointInTimeRecoverySpecification={"PointInTimeRecoveryEnabled": True})
    err, _ = error_of(ddb.restore_table_to_point_in_time, SourceTableName=unique("missing"), TargetTableName=unique("t"),
                      UseLatestRestorableTime=True)
    assert err["Code"] == "SourceTableNotFoundException"
    err, _ = error_of(ddb.restore_table_to_point_in_time, SourceTableName=name, TargetTableName=name, UseLatestRestorableTime=True)
    assert err["Code"] == "TableAlreadyExistsException"
    err, _ = error_of(ddb.restore_table_to_point_in_time, SourceTableName=name, TargetTableName=unique("t"),
                      RestoreDateTime=datetime.datetime(2001, 1, 1, tzinfo=datetime.timezone.utc))
    assert err["Code"] == "InvalidRestoreTimeException"
    err, _ = error_of(ddb.restore_table_to_point_in_time, SourceTableName=name, TargetTableName=unique("t"))
    assert err["Code"] == "ValidationException"
