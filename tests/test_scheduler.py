"""EventBridge Scheduler end to end (native provider): schedule groups, schedules with at()/rate()/cron() and time
zones firing into SQS (templated and universal targets), ActionAfterCompletion, tags and AWS's error answers."""
import json
import time
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from helpers import error_of, unique

ACCOUNT = "000000000000"
ROLE = f"arn:aws:iam::{ACCOUNT}:role/scheduler"


@pytest.fixture(scope="module")
def scheduler(aws_client):
    return aws_client("scheduler")


@pytest.fixture(scope="module")
def queue(aws_client):
    sqs = aws_client("sqs")
    url = sqs.create_queue(QueueName=unique("sched"))["QueueUrl"]
    arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    return sqs, url, arn


def receive(sqs, url, timeout=30):
    deadline = time.time() + timeout
    while time.time() < deadline:
        msgs = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10, WaitTimeSeconds=1).get("Messages", [])
        if msgs:
            for m in msgs:
                sqs.delete_message(QueueUrl=url, ReceiptHandle=m["ReceiptHandle"])
            return [m["Body"] for m in msgs]
    raise AssertionError("no message in time")


def at_in(zone, seconds):
    return "at(" + (datetime.now(ZoneInfo(zone)) + timedelta(seconds=seconds)).strftime("%Y-%m-%dT%H:%M:%S") + ")"


def test_at_schedule_in_a_time_zone_fires_into_sqs(scheduler, queue):
    sqs, url, arn = queue
    name = unique("once")
    out = scheduler.create_schedule(Name=name, ScheduleExpression=at_in("Asia/Tokyo", 6), ScheduleExpressionTimezone="Asia/Tokyo",
                                    FlexibleTimeWindow={"Mode": "OFF"}, ActionAfterCompletion="DELETE",
                                    Target={"Arn": arn, "RoleArn": ROLE, "Input": json.dumps({"hello": "tokyo"})})
    assert out["ScheduleArn"] == f"arn:aws:scheduler:us-east-1:{ACCOUNT}:schedule/default/{name}"
    got = scheduler.get_schedule(Name=name)
    assert (got["GroupName"], got["State"], got["ScheduleExpressionTimezone"], got["FlexibleTimeWindow"]) == (
        "default", "ENABLED", "Asia/Tokyo", {"Mode": "OFF"})
    assert got["Target"]["Arn"] == arn
    assert receive(sqs, url) == ['{"hello": "tokyo"}']
    deadline = time.time() + 10
    while time.time() < deadline and name in [s["Name"] for s in scheduler.list_schedules(NamePrefix=name)["Schedules"]]:
        time.sleep(0.2)
    err, status = error_of(scheduler.get_schedule, Name=name)
    assert (err["Code"], status, err["Message"]) == ("ResourceNotFoundException", 404, f"Schedule {name} does not exist.")


def test_universal_target_and_groups(scheduler, queue):
    sqs, url, arn = queue
    group, name = unique("grp"), unique("uni")
    g = scheduler.create_schedule_group(Name=group, Tags=[{"Key": "team", "Value": "a"}])["ScheduleGroupArn"]
    assert g == f"arn:aws:scheduler:us-east-1:{ACCOUNT}:schedule-group/{group}"
    assert scheduler.get_schedule_group(Name=group)["State"] == "ACTIVE"
    assert scheduler.list_tags_for_resource(ResourceArn=g)["Tags"] == [{"Key": "team", "Value": "a"}]
    scheduler.create_schedule(Name=name, GroupName=group, ScheduleExpression=at_in("UTC", 5), FlexibleTimeWindow={"Mode": "OFF"},
                              Target={"Arn": "arn:aws:scheduler:::aws-sdk:sqs:sendMessage", "RoleArn": ROLE,
                                      "Input": json.dumps({"QueueUrl": url, "MessageBody": "universal"})})
    assert receive(sqs, url) == ["universal"]
    assert [s["Name"] for s in scheduler.list_schedules(GroupName=group)["Schedules"]] == [name]
    err, _ = error_of(scheduler.create_schedule, Name=name, GroupName=group, ScheduleExpression="rate(5 minutes)",
                      FlexibleTimeWindow={"Mode": "OFF"}, Target={"Arn": arn, "RoleArn": ROLE})
    assert (err["Code"], err["Message"]) == ("ConflictException", f"Schedule {name} already exists.")
    scheduler.delete_schedule_group(Name=group)
    err, _ = error_of(scheduler.get_schedule, Name=name, GroupName=group)
    assert err["Code"] == "ResourceNotFoundException"


@pytest.mark.parametrize("expression", ["rate(10 seconds)", "rate(10 minutess)", "cron(0 1 * * * *)", "at(2021-12-31T23:59:59Z)", " rate(10 minutes)"])
def test_invalid_expressions(scheduler, expression):
    err, status = error_of(scheduler.create_schedule, Name=unique("bad"), ScheduleExpression=expression,
                           FlexibleTimeWindow={"Mode": "OFF"}, Target={"Arn": "arn:aws:sqs:us-east-1:000000000000:q", "RoleArn": ROLE})
    assert (err["Code"], err["Message"], status) == ("ValidationException", f"Invalid Schedule Expression {expression}.", 400)


def test_valid_expressions_and_update(scheduler, queue):
    sqs, url, arn = queue
    name = unique("cron")
    scheduler.create_schedule(Name=name, ScheduleExpression="cron(0 18 ? * MON-FRI *)", ScheduleExpressionTimezone="Europe/Berlin",
                              FlexibleTimeWindow={"Mode": "FLEXIBLE", "MaximumWindowInMinutes": 15}, Target={"Arn": arn, "RoleArn": ROLE})
    scheduler.update_schedule(Name=name, ScheduleExpression="rate(1 hour)", State="DISABLED", FlexibleTimeWindow={"Mode": "OFF"},
                              Target={"Arn": arn, "RoleArn": ROLE})
    got = scheduler.get_schedule(Name=name)
    assert (got["ScheduleExpression"], got["State"]) == ("rate(1 hour)", "DISABLED")
    assert [s["Name"] for s in scheduler.list_schedules(State="DISABLED", NamePrefix=name)["Schedules"]] == [name]
    scheduler.delete_schedule(Name=name)


def test_client_token_makes_create_and_delete_idempotent(scheduler, queue):
    _, _, arn = queue
    name = unique("idem")
    spec = dict(Name=name, ScheduleExpression="rate(1 hour)", FlexibleTimeWindow={"Mode": "OFF"}, Target={"Arn": arn, "RoleArn": ROLE})
    token = unique("token")
    first = scheduler.create_schedule(ClientToken=token, **spec)["ScheduleArn"]
    assert scheduler.create_schedule(ClientToken=token, **spec)["ScheduleArn"] == first, "a retry answers as the first call"
    err, status = error_of(scheduler.create_schedule, ClientToken=unique("other"), **spec)
    assert (err["Code"], status, err["Message"]) == ("ConflictException", 409, f"Schedule {name} already exists.")
    delete_token = unique("token")
    scheduler.delete_schedule(Name=name, ClientToken=delete_token)
    scheduler.delete_schedule(Name=name, ClientToken=delete_token)   # the retry of a delete that succeeded
    err, _ = error_of(scheduler.delete_schedule, Name=name, ClientToken=unique("other"))
    assert err["Code"] == "ResourceNotFoundException"

    group, group_token = unique("grp"), unique("token")
    group_arn = scheduler.create_schedule_group(Name=group, ClientToken=group_token)["ScheduleGroupArn"]
    assert scheduler.create_schedule_group(Name=group, ClientToken=group_token)["ScheduleGroupArn"] == group_arn
    err, _ = error_of(scheduler.create_schedule_group, Name=group, ClientToken=unique("other"))
    assert err["Code"] == "ConflictException"
    scheduler.delete_schedule_group(Name=group)


def test_list_pagination(scheduler, queue):
    _, _, arn = queue
    group = unique("pages")
    scheduler.create_schedule_group(Name=group)
    names = sorted(unique(f"s{i}") for i in range(7))
    for n in names:
        scheduler.create_schedule(Name=n, GroupName=group, ScheduleExpression="rate(1 hour)", FlexibleTimeWindow={"Mode": "OFF"},
                                  Target={"Arn": arn, "RoleArn": ROLE})
    first = scheduler.list_schedules(GroupName=group, MaxResults=3)
    assert [s["Name"] for s in first["Schedules"]] == names[:3] and first["NextToken"]
    scheduler.delete_schedule(Name=names[3], GroupName=group)   # a change between pages skips nothing else
    second = scheduler.list_schedules(GroupName=group, MaxResults=3, NextToken=first["NextToken"])
    assert [s["Name"] for s in second["Schedules"]] == names[4:7]
    assert "NextToken" not in second
    paged = [s["Name"] for p in scheduler.get_paginator("list_schedules").paginate(GroupName=group, PaginationConfig={"PageSize": 2})
             for s in p["Schedules"]]
    assert paged == names[:3] + names[4:]
    err, status = error_of(scheduler.list_schedules, GroupName=group, NextToken="not-a-token")
    assert (err["Code"], status) == ("ValidationException", 400)

    prefix = unique("pg")
    groups = sorted(f"{prefix}-{i}" for i in range(3))
    for g in groups:
        scheduler.create_schedule_group(Name=g)
    page = scheduler.list_schedule_groups(NamePrefix=prefix, MaxResults=2)
    assert [g["Name"] for g in page["ScheduleGroups"]] == groups[:2]
    rest = scheduler.list_schedule_groups(NamePrefix=prefix, MaxResults=2, NextToken=page["NextToken"])
    assert [g["Name"] for g in rest["ScheduleGroups"]] == groups[2:] and "NextToken" not in rest
    for g in groups + [group]:
        scheduler.delete_schedule_group(Name=g)
