package dev.polystack.services.scheduler;

import dev.polystack.schedule.ScheduleExpression;
import dev.polystack.services.scheduler.api.ValidationException;

import java.time.DateTimeException;
import java.time.ZoneId;

/**
 * A schedule's expression in its time zone, in the shared syntax: {@code at(yyyy-mm-ddThh:mm:ss)} (one time),
 * {@code rate(n unit)} (minutes, hours, days; every period from the schedule's start) or
 * {@code cron(min hour dom month dow year)}. Anything else is AWS's {@code Invalid Schedule Expression <expression>.}
 */
final class ScheduleSpec {
    private ScheduleSpec() {
    }

    static ScheduleExpression parse(String expression, String timezone) {
        String text = expression == null ? "" : expression;
        ZoneId zone;
        try {
            zone = timezone == null ? ZoneId.of("UTC") : ZoneId.of(timezone);
        } catch (DateTimeException e) {
            throw new ValidationException("Invalid ScheduleExpressionTimezone " + timezone + ".");
        }
        ScheduleExpression parsed;
        try {
            parsed = ScheduleExpression.At.parse(text, zone);
            if (parsed == null) parsed = ScheduleExpression.parse(text, zone);
        } catch (IllegalArgumentException e) {
            throw invalid(text);
        }
        if (parsed == null || parsed instanceof ScheduleExpression.Rate r && r.value() <= 0) throw invalid(text);
        return parsed;
    }

    private static ValidationException invalid(String expression) {
        return new ValidationException("Invalid Schedule Expression " + expression + ".");
    }
}
