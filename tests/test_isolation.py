"""Accounts and regions are isolated in every native service; S3 bucket names are global per partition."""
import pytest
from botocore.exceptions import ClientError

ACCOUNT_A = "111111111111"
ACCOUNT_B = "222222222222"


def _client(aws_client, service, account, region="us-east-1"):
    return aws_client(service, region_name=region, aws_access_key_id=account, aws_secret_access_key="test")


def test_sqs_same_queue_name_in_two_accounts_and_two_regions(aws_client):
    urls = {}
    for account in (ACCOUNT_A, ACCOUNT_B):
        for region in ("us-east-1", "eu-west-1"):
            sqs = _client(aws_client, "sqs", account, region)
            url = sqs.create_queue(QueueName="iso-queue")["QueueUrl"]
            sqs.send_message(QueueUrl=url, MessageBody=f"{account}/{region}")
            urls[(account, region)] = url
    assert len(set(urls.values())) == 4
    for (account, region), url in urls.items():
        assert account in url and region in url
        sqs = _client(aws_client, "sqs", account, region)
        arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
        assert arn == f"arn:aws:sqs:{region}:{account}:iso-queue"
        msgs = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10)["Messages"]
        assert [m["Body"] for m in msgs] == [f"{account}/{region}"]
        sqs.delete_queue(QueueUrl=url)


def test_sns_same_topic_name_in_two_accounts_and_two_regions(aws_client):
    arns = {}
    for account in (ACCOUNT_A, ACCOUNT_B):
        for region in ("us-east-1", "eu-west-1"):
            sns = _client(aws_client, "sns", account, region)
            arns[(account, region)] = sns.create_topic(Name="iso-topic", Tags=[{"Key": "at", "Value": region}])["TopicArn"]
    for (account, region), arn in arns.items():
        assert arn == f"arn:aws:sns:{region}:{account}:iso-topic"
        sns = _client(aws_client, "sns", account, region)
        assert [t["TopicArn"] for t in sns.list_topics()["Topics"] if t["TopicArn"].endswith(":iso-topic")] == [arn]
        assert sns.list_tags_for_resource(ResourceArn=arn)["Tags"] == [{"Key": "at", "Value": region}]
    for (account, region), arn in arns.items():
        _client(aws_client, "sns", account, region).delete_topic(TopicArn=arn)


def test_kms_aliases_are_per_account(aws_client):
    a = _client(aws_client, "kms", ACCOUNT_A)
    b = _client(aws_client, "kms", ACCOUNT_B)
    key_a = a.create_key()["KeyMetadata"]
    key_b = b.create_key()["KeyMetadata"]
    assert key_a["Arn"].split(":")[4] == ACCOUNT_A and key_b["Arn"].split(":")[4] == ACCOUNT_B
    a.create_alias(AliasName="alias/iso", TargetKeyId=key_a["KeyId"])
    b.create_alias(AliasName="alias/iso", TargetKeyId=key_b["KeyId"])
    assert a.describe_key(KeyId="alias/iso")["KeyMetadata"]["KeyId"] == key_a["KeyId"]
    assert b.describe_key(KeyId="alias/iso")["KeyMetadata"]["KeyId"] == key_b["KeyId"]
    with pytest.raises(ClientError) as e:
        b.describe_key(KeyId=key_a["KeyId"])
    assert e.value.response["Error"]["Code"] == "NotFoundException"
    # the same alias name in another region of the same account is another alias
    a_west = _client(aws_client, "kms", ACCOUNT_A, "eu-west-1")
    key_west = a_west.create_key()["KeyMetadata"]
    assert key_west["Arn"].split(":")[3] == "eu-west-1"
    a_west.create_alias(AliasName="alias/iso", TargetKeyId=key_west["KeyId"])
    assert a_west.describe_key(KeyId="alias/iso")["KeyMetadata"]["KeyId"] == key_west["KeyId"]
    assert a.describe_key(KeyId="alias/iso")["KeyMetadata"]["KeyId"] == key_a["KeyId"]
    for client in (a, b, a_west):
        client.delete_alias(AliasName="alias/iso")


def test_s3_bucket_names_are_global_across_accounts(aws_client):
    a = _client(aws_client, "s3", ACCOUNT_A)
    b = _client(aws_client, "s3", ACCOUNT_B)
    a.create_bucket(Bucket="iso-global-bucket")
    with pytest.raises(ClientError) as e:
        b.create_bucket(Bucket="iso-global-bucket")
    assert e.value.response["Error"]["Code"] == "BucketAlreadyExists"
    assert e.value.response["ResponseMetadata"]["HTTPStatusCode"] == 409
    assert "iso-global-bucket" not in [x["Name"] for x in b.list_buckets()["Buckets"]]
    # global within the partition: another region of the same partition sees the name taken too
    with pytest.raises(ClientError) as e:
        _client(aws_client, "s3", ACCOUNT_B, "eu-west-1").create_bucket(
            Bucket="iso-global-bucket", CreateBucketConfiguration={"LocationConstraint": "eu-west-1"})
    assert e.value.response["Error"]["Code"] == "BucketAlreadyExists"
    # another partition (China) is another namespace: the same name is free there
    cn = _client(aws_client, "s3", ACCOUNT_B, "cn-north-1")
    cn.create_bucket(Bucket="iso-global-bucket", CreateBucketConfiguration={"LocationConstraint": "cn-north-1"})
    assert [x["Name"] for x in cn.list_buckets()["Buckets"]] == ["iso-global-bucket"]
    cn.put_object(Bucket="iso-global-bucket", Key="k", Body=b"china")
    assert "Contents" not in a.list_objects_v2(Bucket="iso-global-bucket")
    cn.delete_object(Bucket="iso-global-bucket", Key="k")
    cn.delete_bucket(Bucket="iso-global-bucket")
    a.delete_bucket(Bucket="iso-global-bucket")


def test_sts_reports_the_caller_account(aws_client):
    assert _client(aws_client, "sts", ACCOUNT_A).get_caller_identity()["Account"] == ACCOUNT_A
    assert aws_client("sts").get_caller_identity()["Account"] == "000000000000"
