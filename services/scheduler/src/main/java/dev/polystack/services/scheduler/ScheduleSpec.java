package dev.polystack.services.scheduler;

import dev.polystack.services.scheduler.api.ValidationException;
import org.quartz.CronExpression;

import java.text.ParseException;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.Date;
import java.util.TimeZone;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A schedule's expression: {@code at(yyyy-mm-ddThh:mm:ss)} (one time, in the schedule's time zone),
 * {@code rate(n unit)} (minutes, hours, days) or {@code cron(min hour dom month dow year)} in the time zone.
 * Anything else is AWS's {@code Invalid Schedule Expression <expression>.}
 */
sealed interface ScheduleSpec {
    Pattern AT = Pattern.compile("at\\((\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2})\\)");
    Pattern RATE = Pattern.compile("rate\\((\\d+) (minute|minutes|hour|hours|day|days)\\)");
    Pattern CRON = Pattern.compile("cron\\((.*)\\)");

    /** The first firing strictly after {@code after}, or null when there is none. */
    Instant nextAfter(Instant after);

    static ScheduleSpec parse(String expression, String timezone) {
        String text = expression == null ? "" : expression;
        ZoneId zone;
        try {
            zone = timezone == null ? ZoneId.of("UTC") : ZoneId.of(timezone);
        } catch (DateTimeException e) {
            throw new ValidationException("Invalid ScheduleExpressionTimezone " + timezone + ".");
        }
        Matcher at = AT.matcher(text);
        if (at.matches()) {
            try {
                return new At(LocalDateTime.parse(at.group(1)).atZone(zone).toInstant());
            } catch (DateTimeException e) {
                throw invalid(text);
            }
        }
        Matcher rate = RATE.matcher(text);
        if (rate.matches()) {
            long value;
            try {
                value = Long.parseLong(rate.group(1));
            } catch (NumberFormatException e) {
                throw invalid(text);
            }
            if (value <= 0) throw invalid(text);
            Duration period = switch (rate.group(2).replaceAll("s$", "")) {
                case "minute" -> Duration.ofMinutes(value);
                case "hour" -> Duration.ofHours(value);
                default -> Duration.ofDays(value);
            };
            return new Rate(period);
        }
        Matcher cron = CRON.matcher(text);
        if (cron.matches()) {
            String[] fields = cron.group(1).trim().split("\\s+");
            if (fields.length != 6) throw invalid(text);
            try {
                CronExpression quartz = new CronExpression("0 " + String.join(" ", fields));
                quartz.setTimeZone(TimeZone.getTimeZone(zone));
                return new Cron(quartz);
            } catch (ParseException | RuntimeException e) {
                throw invalid(text);
            }
        }
        throw invalid(text);
    }

    private static ValidationException invalid(String expression) {
        return new ValidationException("Invalid Schedule Expression " + expression + ".");
    }

    record At(Instant time) implements ScheduleSpec {
        @Override
        public Instant nextAfter(Instant after) {
            return time.isAfter(after) ? time : null;
        }
    }

    /** rate(): every period from the schedule's start (its creation or StartDate). */
    record Rate(Duration period) implements ScheduleSpec {
        @Override
        public Instant nextAfter(Instant after) {
            return after.plus(period);
        }
    }

    record Cron(CronExpression quartz) implements ScheduleSpec {
        @Override
        public Instant nextAfter(Instant after) {
            synchronized (quartz) { // CronExpression keeps a calendar inside
                Date next = quartz.getNextValidTimeAfter(Date.from(after));
                return next == null ? null : next.toInstant();
            }
        }
    }
}
