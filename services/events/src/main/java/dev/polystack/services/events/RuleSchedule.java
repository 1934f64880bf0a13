package dev.polystack.services.events;

import dev.polystack.api.ServiceException;
import dev.polystack.schedule.ScheduleExpression;

import java.time.Instant;
import java.time.ZoneOffset;

/**
 * A rule's {@code rate(...)} or {@code cron(...)} expression (the shared {@link ScheduleExpression} syntax) with
 * EventBridge's own rules: surrounding blanks ignored, "1 minute" but "5 minutes", evaluated in UTC.
 */
final class RuleSchedule {
    private RuleSchedule() {
    }

    static ScheduleExpression parse(String expression) {
        String text = expression == null ? "" : expression.trim();
        ScheduleExpression parsed;
        try {
            parsed = ScheduleExpression.parse(text, ZoneOffset.UTC);
        } catch (IllegalArgumentException e) {
            throw invalid();
        }
        if (parsed == null) throw invalid();
        if (parsed instanceof ScheduleExpression.Rate rate && (rate.value() <= 0 || !rate.unitAgreesWithValue())) throw invalid();
        return parsed;
    }

    /** The next firing after {@code after} in epoch ms, 0 when the expression has none left. */
    static long nextFire(String expression, Instant after) {
        Instant next = parse(expression).nextAfter(after);
        return next == null ? 0 : next.toEpochMilli();
    }

    private static ServiceException invalid() {
        return new ServiceException("ValidationException", "Parameter ScheduleExpression is not valid.");
    }
}
