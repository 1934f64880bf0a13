package dev.polystack.services.secretsmanager;

import dev.polystack.schedule.ScheduleExpression;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * When a secret rotates next, from its RotationRules: {@code AutomaticallyAfterDays}, or a {@code ScheduleExpression}
 * in the shared syntax ({@code rate(N hours|days)}, at most every four hours, windows starting at midnight UTC; or
 * {@code cron(...)} with AWS's six fields, evaluated in UTC). Secrets Manager rotates at some point of the window;
 * this emulator rotates at its start.
 */
final class RotationSchedule {
    private static final Pattern DURATION = Pattern.compile("(\\d{1,2})h");

    private RotationSchedule() {
    }

    /** Checks a RotationRules' members as RotateSecret receives them. */
    static void validate(Integer days, String duration, String schedule) {
        if (days != null && (days < 1 || days > 1000)) {
            throw SecretsErrors.invalidParameter("RotationRules.AutomaticallyAfterDays must be within 1-1000.");
        }
        if (days != null && schedule != null) {
            throw SecretsErrors.invalidParameter("You can't specify both RotationRules.AutomaticallyAfterDays and RotationRules.ScheduleExpression.");
        }
        if (schedule != null) nextAfter(schedule, 0);
        if (duration != null) {
            Matcher m = DURATION.matcher(duration);
            if (!m.matches() || Integer.parseInt(m.group(1)) < 1 || Integer.parseInt(m.group(1)) > 24) {
                throw SecretsErrors.invalidParameter("The rotation window duration must be between 1 and 24 hours, for example 3h.");
            }
        }
    }

    /** The next rotation after {@code after} (epoch ms) for a secret's stored rules; 0 when it has none. */
    static long next(Secret s, long after) {
        if (s.rotationSchedule != null) return nextAfter(s.rotationSchedule, after);
        if (s.rotationDays != null) return after + s.rotationDays * 86_400_000L;
        return 0;
    }

    static long nextAfter(String expression, long after) {
        String text = expression.trim();
        ScheduleExpression parsed;
        try {
            parsed = ScheduleExpression.parse(text, ZoneOffset.UTC);
        } catch (IllegalArgumentException e) {
            throw invalid(expression);
        }
        if (parsed instanceof ScheduleExpression.Rate rate) {
            long value = rate.value();
            boolean hours = rate.unit().startsWith("hour");
            if (rate.unit().startsWith("minute") || (hours ? value < 4 || value > 23 : value < 1 || value > 1000)) throw invalid(expression);
            Instant from = Instant.ofEpochMilli(after);
            // rate() windows start at midnight UTC (days) or on the hour (hours)
            Instant next = hours ? from.truncatedTo(ChronoUnit.HOURS).plus(rate.period())
                    : from.truncatedTo(ChronoUnit.DAYS).plus(rate.period());
            return next.toEpochMilli();
        }
        Instant next = parsed == null ? null : parsed.nextAfter(Instant.ofEpochMilli(after));
        if (next == null) throw invalid(expression);
        return next.toEpochMilli();
    }

    private static dev.polystack.api.ServiceException invalid(String expression) {
        return SecretsErrors.invalidParameter("Invalid ScheduleExpression: " + expression);
    }
}
