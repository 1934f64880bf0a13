"""S3 bucket configurations kept by id (metrics, inventory, analytics, intelligent-tiering) and CreateBucket
tags: AWS's answers, messages and pagination as recorded (February 2026)."""
import pytest
from botocore.config import Config

from helpers import error_of, unique

MALFORMED = "The XML you provided was not well-formed or did not validate against our published schema"
NO_CONFIG = ("NoSuchConfiguration", "The specified configuration does not exist.")


@pytest.fixture(scope="module")
def s3(aws_client):
    return aws_client("s3")


@pytest.fixture(scope="module")
def s3_unvalidated(aws_client):
    return aws_client("s3", config=Config(parameter_validation=False))


@pytest.fixture
def bucket(s3):
    name = unique("cfg")
    s3.create_bucket(Bucket=name)
    yield name
    s3.delete_bucket(Bucket=name)


def _error(call, **kwargs):
    error, status = error_of(call, **kwargs)
    return error["Code"], error["Message"], status


def test_metrics_configurations_crud_and_pagination(s3, bucket):
    put = s3.put_bucket_metrics_configuration(Bucket=bucket, Id="m1", MetricsConfiguration={"Id": "m1", "Filter": {"Prefix": "logs/"}})
    assert put["ResponseMetadata"]["HTTPStatusCode"] == 204
    assert s3.get_bucket_metrics_configuration(Bucket=bucket, Id="m1")["MetricsConfiguration"] == {
        "Id": "m1", "Filter": {"Prefix": "logs/"}}
    s3.put_bucket_metrics_configuration(Bucket=bucket, Id="m1", MetricsConfiguration={"Id": "m1", "Filter": {"Prefix": "new/"}})
    assert s3.get_bucket_metrics_configuration(Bucket=bucket, Id="m1")["MetricsConfiguration"]["Filter"] == {"Prefix": "new/"}
    for i in range(101):
        s3.put_bucket_metrics_configuration(Bucket=bucket, Id=f"p{i:03}", MetricsConfiguration={"Id": f"p{i:03}"})
    page1 = s3.list_bucket_metrics_configurations(Bucket=bucket)
    assert len(page1["MetricsConfigurationList"]) == 100 and page1["IsTruncated"] is True
    assert page1["MetricsConfigurationList"][0]["Id"] == "m1"  # sorted by id
    page2 = s3.list_bucket_metrics_configurations(Bucket=bucket, ContinuationToken=page1["NextContinuationToken"])
    assert [c["Id"] for c in page2["MetricsConfigurationList"]] == ["p099", "p100"]
    assert page2["IsTruncated"] is False and page2["ContinuationToken"] == page1["NextContinuationToken"]
    assert "NextContinuationToken" not in page2
    assert s3.delete_bucket_metrics_configuration(Bucket=bucket, Id="m1")["ResponseMetadata"]["HTTPStatusCode"] == 204
    assert _error(s3.get_bucket_metrics_configuration, Bucket=bucket, Id="m1") == (*NO_CONFIG, 404)
    assert _error(s3.delete_bucket_metrics_configuration, Bucket=bucket, Id="m1") == (*NO_CONFIG, 404)
    for i in range(101):
        s3.delete_bucket_metrics_configuration(Bucket=bucket, Id=f"p{i:03}")
    assert "MetricsConfigurationList" not in s3.list_bucket_metrics_configurations(Bucket=bucket)


def _inventory(config_id, destination, **overrides):
    config = {"Id": config_id, "IsEnabled": True, "IncludedObjectVersions": "All", "Schedule": {"Frequency": "Daily"},
              "Destination": {"S3BucketDestination": {"Bucket": f"arn:aws:s3:::{destination}", "Format": "CSV"}}}
    config.update(overrides)
    return config


def test_inventory_configurations_and_validation(s3, s3_unvalidated, bucket):
    for config_id in ("z-test", "a-test", "test-1"):
        s3.put_bucket_inventory_configuration(Bucket=bucket, Id=config_id, InventoryConfiguration=_inventory(config_id, bucket))
    listed = s3.list_bucket_inventory_configurations(Bucket=bucket)
    assert [c["Id"] for c in listed["InventoryConfigurationList"]] == ["a-test", "test-1", "z-test"]
    assert listed["IsTruncated"] is False
    got = s3.get_bucket_inventory_configuration(Bucket=bucket, Id="a-test")["InventoryConfiguration"]
    assert got["Destination"]["S3BucketDestination"] == {"Bucket": f"arn:aws:s3:::{bucket}", "Format": "CSV"}
    for config_id in ("z-test", "a-test", "test-1"):
        s3.delete_bucket_inventory_configuration(Bucket=bucket, Id=config_id)
    assert _error(s3.get_bucket_inventory_configuration, Bucket=bucket, Id="a-test") == (*NO_CONFIG, 404)

    def put(config):
        return _error(s3_unvalidated.put_bucket_inventory_configuration, Bucket=bucket, Id="inv", InventoryConfiguration=config)

    assert put(_inventory("other", bucket)) == ("IdMismatch", "Document ID does not match the specified configuration ID.", 400)
    bad_arn = _inventory("inv", bucket)
    bad_arn["Destination"]["S3BucketDestination"]["Bucket"] = bucket
    assert put(bad_arn) == ("InvalidS3DestinationBucket", "Invalid bucket ARN.", 400)
    bad_format = _inventory("inv", bucket)
    bad_format["Destination"]["S3BucketDestination"]["Format"] = "WRONG-FORMAT"
    assert put(bad_format) == ("MalformedXML", MALFORMED, 400)
    assert put(_inventory("inv", bucket, Schedule={"Frequency": "Hourly"})) == ("MalformedXML", MALFORMED, 400)
    assert put(_inventory("inv", bucket, IncludedObjectVersions="Wrong")) == ("MalformedXML", MALFORMED, 400)
    assert put(_inventory("inv", bucket, OptionalFields=["TestField"])) == ("MalformedXML", MALFORMED, 400)


def test_analytics_configurations(s3, bucket):
    def config(config_id, prefix):
        return {"Id": config_id, "Filter": {"Prefix": prefix}, "StorageClassAnalysis": {"DataExport": {
            "OutputSchemaVersion": "V_1",
            "Destination": {"S3BucketDestination": {"Format": "CSV", "Bucket": f"arn:aws:s3:::{bucket}", "Prefix": "t"}}}}}

    assert _error(s3.put_bucket_analytics_configuration, Bucket=bucket, Id="different",
                  AnalyticsConfiguration=config("c1", "p")) == ("MalformedXML", MALFORMED, 400)
    assert _error(s3.get_bucket_analytics_configuration, Bucket=bucket, Id="c1") == (*NO_CONFIG, 404)
    assert _error(s3.delete_bucket_analytics_configuration, Bucket=bucket, Id="c1") == (*NO_CONFIG, 404)
    s3.put_bucket_analytics_configuration(Bucket=bucket, Id="c1", AnalyticsConfiguration=config("c1", "a"))
    s3.put_bucket_analytics_configuration(Bucket=bucket, Id="c1", AnalyticsConfiguration=config("c1", "b"))
    s3.put_bucket_analytics_configuration(Bucket=bucket, Id="c2", AnalyticsConfiguration=config("c2", "c"))
    assert s3.get_bucket_analytics_configuration(Bucket=bucket, Id="c1")["AnalyticsConfiguration"] == config("c1", "b")
    listed = s3.list_bucket_analytics_configurations(Bucket=bucket)["AnalyticsConfigurationList"]
    assert listed == [config("c1", "b"), config("c2", "c")]
    s3.delete_bucket_analytics_configuration(Bucket=bucket, Id="c2")
    assert s3.list_bucket_analytics_configurations(Bucket=bucket)["AnalyticsConfigurationList"] == [config("c1", "b")]
    s3.delete_bucket_analytics_configuration(Bucket=bucket, Id="c1")


def test_intelligent_tiering_configurations(s3, bucket):
    def config(config_id, prefix):
        return {"Id": config_id, "Filter": {"Prefix": prefix}, "Status": "Enabled",
                "Tierings": [{"Days": 90, "AccessTier": "ARCHIVE_ACCESS"}]}

    assert _error(s3.put_bucket_intelligent_tiering_configuration, Bucket=bucket, Id="incorrect_id",
                  IntelligentTieringConfiguration=config("t1", "p")) == ("MalformedXML", MALFORMED, 400)
    s3.put_bucket_intelligent_tiering_configuration(Bucket=bucket, Id="t1", IntelligentTieringConfiguration=config("t1", "test1"))
    s3.put_bucket_intelligent_tiering_configuration(Bucket=bucket, Id="t2", IntelligentTieringConfiguration=config("t2", "test2"))
    got = s3.get_bucket_intelligent_tiering_configuration(Bucket=bucket, Id="t1")["IntelligentTieringConfiguration"]
    assert got == {"Id": "t1", "Filter": {"Prefix": "test1"}, "Status": "Enabled",
                   "Tierings": [{"Days": 90, "AccessTier": "ARCHIVE_ACCESS"}]}
    listed = s3.list_bucket_intelligent_tiering_configurations(Bucket=bucket)
    assert [c["Id"] for c in listed["IntelligentTieringConfigurationList"]] == ["t1", "t2"] and listed["IsTruncated"] is False
    error, status = error_of(s3.delete_bucket_intelligent_tiering_configuration, Bucket=unique("nobucket"), Id="t1")
    assert (error["Code"], error["Message"], status) == ("NoSuchBucket", "The specified bucket does not exist", 404)
    s3.delete_bucket_intelligent_tiering_configuration(Bucket=bucket, Id="t1")
    assert _error(s3.delete_bucket_intelligent_tiering_configuration, Bucket=bucket, Id="t1") == (*NO_CONFIG, 404)
    s3.delete_bucket_intelligent_tiering_configuration(Bucket=bucket, Id="t2")


def test_create_bucket_with_tags(s3, s3_unvalidated):
    name = unique("tagged")
    created = s3.create_bucket(Bucket=name, CreateBucketConfiguration={"Tags": [{"Key": "tag1", "Value": "value1"}]})
    try:
        assert created["Location"] == f"/{name}"
        assert s3.get_bucket_tagging(Bucket=name)["TagSet"] == [{"Key": "tag1", "Value": "value1"}]
        # us-east-1 answers a repeated create with success, unless it asks for tags (recorded)
        assert _error(s3.create_bucket, Bucket=name, CreateBucketConfiguration={"Tags": [{"Key": "t", "Value": "v"}]})[0] == \
            "BucketAlreadyOwnedByYou"
        s3.create_bucket(Bucket=name)
        s3.create_bucket(Bucket=name, CreateBucketConfiguration={"Tags": []})
        assert s3.get_bucket_tagging(Bucket=name)["TagSet"] == [{"Key": "tag1", "Value": "value1"}]
    finally:
        s3.delete_bucket(Bucket=name)
    empty = unique("untagged")
    s3.create_bucket(Bucket=empty, CreateBucketConfiguration={"Tags": []})
    error, status = error_of(s3.get_bucket_tagging, Bucket=empty)
    assert (error["Code"], status) == ("NoSuchTagSet", 404)
    s3.delete_bucket(Bucket=empty)

    def create(tags):
        return _error(s3_unvalidated.create_bucket, Bucket=unique("bad"), CreateBucketConfiguration={"Tags": tags})

    assert create([{"Key": None, "Value": "value1"}]) == ("MalformedXML", MALFORMED, 400)
    assert create([{"Key": "key1", "Value": None}]) == ("MalformedXML", MALFORMED, 400)
    assert create([{"Key": "aws:test", "Value": "value1"}]) == ("InvalidTag", 'User-defined tag keys can\'t start with "aws:". '
                                                               'This prefix is reserved for system tags. Remove "aws:" from '
                                                               'your tag keys and try again.', 400)
    error, status = error_of(s3_unvalidated.create_bucket, Bucket=unique("bad"),
                             CreateBucketConfiguration={"Tags": [{"Key": "test", "Value": "value1,value2"}]})
    assert (error["Code"], error["Message"], error["TagKey"], error["TagValue"], status) == (
        "InvalidTag", "The TagValue you have provided is invalid", "test", "value1,value2", 400)
    error, status = error_of(s3_unvalidated.create_bucket, Bucket=unique("bad"),
                             CreateBucketConfiguration={"Tags": [{"Key": "test,test2", "Value": "v"}]})
    assert (error["Code"], error["Message"], error["TagKey"]) == ("InvalidTag", "The TagKey you have provided is invalid", "test,test2")
    # a repeated key: AWS answers 500 InternalError (recorded); Polystack refuses it as a client error instead
    assert create([{"Key": "k", "Value": "v"}, {"Key": "k", "Value": "v"}])[2] == 400


def test_restore_object_from_archive_classes(s3, bucket):
    s3.put_object(Bucket=bucket, Key="deep", Body=b"archived", StorageClass="DEEP_ARCHIVE")
    s3.put_object(Bucket=bucket, Key="std", Body=b"x")
    error, status = error_of(s3.get_object, Bucket=bucket, Key="deep")
    assert (error["Code"], error["Message"], error["StorageClass"], status) == (
        "InvalidObjectState", "The operation is not valid for the object's storage class", "DEEP_ARCHIVE", 403)
    assert "Restore" not in s3.head_object(Bucket=bucket, Key="deep")
    restored = s3.restore_object(Bucket=bucket, Key="deep", RestoreRequest={"Days": 30, "GlacierJobParameters": {"Tier": "Bulk"}})
    assert restored["ResponseMetadata"]["HTTPStatusCode"] == 202
    head = s3.head_object(Bucket=bucket, Key="deep")
    assert head["Restore"].startswith('ongoing-request="false", expiry-date="') and head["StorageClass"] == "DEEP_ARCHIVE"
    assert s3.get_object(Bucket=bucket, Key="deep")["Body"].read() == b"archived"
    again = s3.restore_object(Bucket=bucket, Key="deep", RestoreRequest={"Days": 30})
    assert again["ResponseMetadata"]["HTTPStatusCode"] == 200
    error, status = error_of(s3.restore_object, Bucket=bucket, Key="std", RestoreRequest={"Days": 1})
    assert (error["Code"], status) == ("InvalidObjectState", 403)
    for key in ("deep", "std"):
        s3.delete_object(Bucket=bucket, Key=key)


def test_expiration_header_for_objects_a_rule_expires(s3, bucket):
    s3.put_bucket_lifecycle_configuration(Bucket=bucket, LifecycleConfiguration={"Rules": [
        {"ID": "rule_number_one", "Filter": {"Prefix": "logs/"}, "Status": "Enabled", "Expiration": {"Days": 7}}]})
    put = s3.put_object(Bucket=bucket, Key="logs/a", Body=b"x")
    expected = put["Expiration"]
    assert expected.startswith('expiry-date="') and expected.endswith('GMT", rule-id="rule_number_one"')
    assert s3.head_object(Bucket=bucket, Key="logs/a")["Expiration"] == expected
    assert s3.get_object(Bucket=bucket, Key="logs/a")["Expiration"] == expected
    assert "Expiration" not in s3.put_object(Bucket=bucket, Key="other", Body=b"x")
    assert "Expiration" not in s3.head_object(Bucket=bucket, Key="other")
    s3.delete_bucket_lifecycle(Bucket=bucket)
    for key in ("logs/a", "other"):
        s3.delete_object(Bucket=bucket, Key=key)
