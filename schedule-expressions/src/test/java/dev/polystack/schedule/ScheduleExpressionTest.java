package dev.polystack.schedule;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

import static org.junit.jupiter.api.Assertions.*;

class ScheduleExpressionTest {
    private static final ZoneId UTC = ZoneOffset.UTC;

    @Test
    void rates() {
        var r = (ScheduleExpression.Rate) ScheduleExpression.parse("rate( 5  minutes )", UTC);
        assertEquals(Duration.ofMinutes(5), r.period());
        assertTrue(r.unitAgreesWithValue());
        assertFalse(ScheduleExpression.Rate.parse("rate(1 hours)").unitAgreesWithValue());
        assertEquals(Duration.ofDays(2), ScheduleExpression.Rate.parse("rate(2 days)").period());
        assertNull(ScheduleExpression.Rate.parse("rate(10 seconds)"));
        assertNull(ScheduleExpression.parse(" rate(1 minute)", UTC), "no trimming: callers decide");
        assertEquals(Instant.parse("2026-01-01T00:05:00Z"), r.nextAfter(Instant.parse("2026-01-01T00:00:00Z")));
    }

    @Test
    void cronInAZone() {
        var c = ScheduleExpression.parse("cron(30 9 * * ? *)", ZoneId.of("Asia/Tokyo"));
        assertEquals(Instant.parse("2026-01-02T00:30:00Z"), c.nextAfter(Instant.parse("2026-01-01T01:00:00Z")));
        assertEquals(Instant.parse("2026-01-01T09:30:00Z"),
                ScheduleExpression.parse("cron(30 9 * * ? *)", UTC).nextAfter(Instant.parse("2026-01-01T01:00:00Z")));
    }

    @Test
    void invalidCronAndOtherText() {
        assertThrows(IllegalArgumentException.class, () -> ScheduleExpression.parse("cron(0 1 * * * *)", UTC), "both day fields");
        assertThrows(IllegalArgumentException.class, () -> ScheduleExpression.parse("cron(0 1 * *)", UTC));
        assertNull(ScheduleExpression.parse("at(2026-01-01T00:00:00)", UTC));
        assertNull(ScheduleExpression.parse(null, UTC));
    }
}
