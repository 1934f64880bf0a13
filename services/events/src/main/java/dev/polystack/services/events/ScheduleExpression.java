package dev.polystack.services.events;

import dev.polystack.api.ServiceException;
import org.quartz.CronExpression;

import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.TimeZone;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A rule's {@code rate(...)} or {@code cron(...)} expression, evaluated in UTC as EventBridge does.
 * cron has AWS's six fields (minutes hours day-of-month month day-of-week year); Quartz's parser takes them
 * with a seconds field prepended, and rejects what AWS rejects (both day fields given, values out of range).
 */
sealed interface ScheduleExpression {
    Pattern RATE = Pattern.compile("rate\\(\\s*(\\d+)\\s+(minute|minutes|hour|hours|day|days)\\s*\\)");
    Pattern CRON = Pattern.compile("cron\\((.*)\\)");

    /** The first firing strictly after {@code after}. */
    Instant nextAfter(Instant after);

    static ScheduleExpression parse(String expression) {
        String text = expression == null ? "" : expression.trim();
        Matcher rate = RATE.matcher(text);
        if (rate.matches()) {
            long value;
            try {
                value = Long.parseLong(rate.group(1));
            } catch (NumberFormatException e) {
                throw invalid();
            }
            String unit = rate.group(2);
            boolean plural = unit.endsWith("s");
            if (value <= 0 || (value == 1) == plural) throw invalid(); // AWS: "1 minute", "5 minutes"
            Duration period = switch (unit.replaceAll("s$", "")) {
                case "minute" -> Duration.ofMinutes(value);
                case "hour" -> Duration.ofHours(value);
                default -> Duration.ofDays(value);
            };
            return new Rate(period);
        }
        Matcher cron = CRON.matcher(text);
        if (cron.matches()) {
            String[] fields = cron.group(1).trim().split("\\s+");
            if (fields.length != 6) throw invalid();
            try {
                CronExpression quartz = new CronExpression("0 " + String.join(" ", fields));
                quartz.setTimeZone(TimeZone.getTimeZone("UTC"));
                return new Cron(quartz);
            } catch (ParseException | RuntimeException e) {
                throw invalid();
            }
        }
        throw invalid();
    }

    private static ServiceException invalid() {
        return new ServiceException("ValidationException", "Parameter ScheduleExpression is not valid.");
    }

    record Rate(Duration period) implements ScheduleExpression {
        @Override
        public Instant nextAfter(Instant after) {
            return after.plus(period);
        }
    }

    record Cron(CronExpression quartz) implements ScheduleExpression {
        @Override
        public Instant nextAfter(Instant after) {
            synchronized (quartz) { // CronExpression keeps a calendar inside
                Date next = quartz.getNextValidTimeAfter(Date.from(after));
                return next == null ? Instant.MAX : next.toInstant();
            }
        }
    }
}
