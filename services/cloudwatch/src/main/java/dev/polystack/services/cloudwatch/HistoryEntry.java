package dev.polystack.services.cloudwatch;

/** One item of DescribeAlarmHistory. */
public record HistoryEntry(String alarmName, String alarmType, long time, String itemType, String summary, String data) {
}
