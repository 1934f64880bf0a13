package dev.polystack.schedule;

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
 * AWS's schedule syntax, shared by EventBridge rules, EventBridge Scheduler and Secrets Manager rotation:
 * {@code rate(value unit)} and {@code cron(minutes hours day-of-month month day-of-week year)}, and Scheduler's
 * one-time {@code at(yyyy-mm-ddThh:mm:ss)}. Each service keeps
 * its own limits (which units, which values) and its own error texts; this parses the common form once.
 */
public sealed interface ScheduleExpression {
    Pattern RATE = Pattern.compile("rate\\(\\s*(\\d{1,9})\\s+(minute|minutes|hour|hours|day|days)\\s*\\)");
    Pattern CRON = Pattern.compile("cron\\((.*)\\)");
    Pattern AT = Pattern.compile("at\\((\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2})\\)");

    /** The first firing strictly after {@code after}, null when there is none. */
    Instant nextAfter(Instant after);

    /**
     * {@code rate(...)} or {@code cron(...)} (cron evaluated in {@code zone}); null when the text is neither.
     *
     * @throws IllegalArgumentException a {@code cron(...)} whose fields AWS refuses (not six, both day fields
     *                                  given, values out of range)
     */
    static ScheduleExpression parse(String text, ZoneId zone) {
        Rate rate = Rate.parse(text);
        return rate != null ? rate : Cron.parse(text, zone);
    }

    /** {@code rate(value unit)}: {@code unit} as written (minute, minutes, hour, hours, day or days). */
    record Rate(long value, String unit) implements ScheduleExpression {
        /** The rate, or null when the text is not a {@code rate(...)} of minutes, hours or days. */
        public static Rate parse(String text) {
            Matcher m = RATE.matcher(text == null ? "" : text);
            return m.matches() ? new Rate(Long.parseLong(m.group(1)), m.group(2)) : null;
        }

        public Duration period() {
            return switch (unit.replaceAll("s$", "")) {
                case "minute" -> Duration.ofMinutes(value);
                case "hour" -> Duration.ofHours(value);
                default -> Duration.ofDays(value);
            };
        }

        /** AWS's rule for EventBridge rules: "1 minute", "5 minutes"; never "1 minutes" or "5 minute". */
        public boolean unitAgreesWithValue() {
            return (value == 1) != unit.endsWith("s");
        }

        @Override
        public Instant nextAfter(Instant after) {
            return after.plus(period());
        }
    }

    /** {@code cron(...)} with AWS's six fields, through Quartz (which takes a seconds field first). */
    record Cron(CronExpression quartz) implements ScheduleExpression {
        /**
         * The cron expression, or null when the text is not a {@code cron(...)}.
         *
         * @throws IllegalArgumentException when its fields are not a valid AWS cron
         */
        public static Cron parse(String text, ZoneId zone) {
            Matcher m = CRON.matcher(text == null ? "" : text);
            if (!m.matches()) return null;
            String[] fields = m.group(1).trim().split("\\s+");
            if (fields.length != 6) throw new IllegalArgumentException("cron() takes six fields, not " + fields.length);
            try {
                CronExpression quartz = new CronExpression("0 " + String.join(" ", fields));
                quartz.setTimeZone(TimeZone.getTimeZone(zone));
                return new Cron(quartz);
            } catch (ParseException | RuntimeException e) {
                throw new IllegalArgumentException(e.getMessage(), e);
            }
        }

        @Override
        public Instant nextAfter(Instant after) {
            synchronized (quartz) { // CronExpression keeps a calendar inside
                Date next = quartz.getNextValidTimeAfter(Date.from(after));
                return next == null ? null : next.toInstant();
            }
        }
    }

    /** {@code at(...)}: one firing at a local time of the schedule's zone. */
    record At(Instant time) implements ScheduleExpression {
        /**
         * The time, or null when the text is not an {@code at(...)}.
         *
         * @throws IllegalArgumentException when it is not a real date and time
         */
        public static At parse(String text, ZoneId zone) {
            Matcher m = AT.matcher(text == null ? "" : text);
            if (!m.matches()) return null;
            try {
                return new At(LocalDateTime.parse(m.group(1)).atZone(zone).toInstant());
            } catch (DateTimeException e) {
                throw new IllegalArgumentException(e.getMessage(), e);
            }
        }

        @Override
        public Instant nextAfter(Instant after) {
            return time.isAfter(after) ? time : null;
        }
    }
}
