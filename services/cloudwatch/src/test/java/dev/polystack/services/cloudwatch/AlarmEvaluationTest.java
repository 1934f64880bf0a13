package dev.polystack.services.cloudwatch;

import dev.polystack.api.ServiceException;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.*;

/** Alarm evaluation at fixed times (no timer, no sleeps), composite rules and metric math. */
class AlarmEvaluationTest {
    private static final long PERIOD = 60_000;
    private static final long NOW = 1_700_000_000_000L - Math.floorMod(1_700_000_000_000L, PERIOD) + 5_000;   // 5 s into a period

    private static Alarm alarm(int periods, Integer toAlarm, String treatMissing) {
        Alarm a = new Alarm();
        a.name = "a";
        a.arn = "arn:aws:cloudwatch:us-east-1:000000000000:alarm:a";
        a.namespace = "ns";
        a.metricName = "m";
        a.statistic = "Maximum";
        a.period = 60;
        a.evaluationPeriods = periods;
        a.datapointsToAlarm = toAlarm;
        a.threshold = 10.0;
        a.comparisonOperator = "GreaterThanThreshold";
        a.treatMissingData = treatMissing;
        return a;
    }

    private static void put(CloudWatchRegion r, long time, double v) {
        r.series(new MetricKey("ns", "m", List.of())).add(Sample.ofValue(time, "None", v));
    }

    @Test
    void breachingDatapointsRaiseTheAlarmWithAwsReason() {
        CloudWatchRegion r = new CloudWatchRegion();
        Alarm a = alarm(2, 2, null);
        long last = NOW - 5_000 - PERIOD;    // start of the last complete period
        put(r, last + 1_000, 12);
        put(r, last - PERIOD + 1_000, 11);
        put(r, NOW - 1_000, 50);             // the current, incomplete period is not evaluated
        Alarms.Change c = Alarms.evaluate(r, a, NOW);
        assertNotNull(c);
        assertEquals("INSUFFICIENT_DATA", c.oldState());
        assertEquals("ALARM", a.stateValue);
        assertTrue(a.stateReason.startsWith("Threshold Crossed: 2 out of the last 2 datapoints [12.0 ("), a.stateReason);
        assertTrue(a.stateReason.endsWith("were greater than the threshold (10.0) (minimum 2 datapoints for OK -> ALARM transition)."), a.stateReason);
        assertEquals(1, r.history.size());
        assertNull(Alarms.evaluate(r, a, NOW), "no change, no second history item");
    }

    @Test
    void missingDataFollowsTreatMissingData() {
        CloudWatchRegion r = new CloudWatchRegion();
        Alarm missing = alarm(1, null, null);
        Alarms.evaluate(r, missing, NOW);
        assertEquals("INSUFFICIENT_DATA", missing.stateValue);
        missing.stateValue = "OK";
        Alarms.evaluate(r, missing, NOW);
        assertEquals("INSUFFICIENT_DATA", missing.stateValue);

        Alarm ignore = alarm(1, null, "ignore");
        assertNull(Alarms.evaluate(r, ignore, NOW));

        Alarm breaching = alarm(2, null, "breaching");
        Alarms.evaluate(r, breaching, NOW);
        assertEquals("ALARM", breaching.stateValue);
        assertEquals("Threshold Crossed: no datapoints were received for 2 periods and 2 missing datapoints were treated as [Breaching].",
                breaching.stateReason);

        Alarm notBreaching = alarm(1, null, "notBreaching");
        Alarms.evaluate(r, notBreaching, NOW);
        assertEquals("OK", notBreaching.stateValue);
    }

    @Test
    void compositeRules() {
        Map<String, String> states = Map.of("a", "ALARM", "b", "OK");
        assertTrue(AlarmRule.evaluate("ALARM(\"a\") AND OK(b)", states::get));
        assertFalse(AlarmRule.evaluate("ALARM(a) AND NOT OK('b')", states::get));
        assertTrue(AlarmRule.evaluate("(FALSE OR ALARM(arn:aws:cloudwatch:us-east-1:0:alarm:x)) OR TRUE", n -> null));
        assertThrows(ServiceException.class, () -> AlarmRule.validate("ALARM(a) AND"));
        assertThrows(ServiceException.class, () -> AlarmRule.validate("SOMETIMES(a)"));
    }

    @Test
    void metricMath() {
        TreeMap<Long, Double> a = new TreeMap<>(Map.of(1L, 1.0, 2L, 2.0));
        TreeMap<Long, Double> b = new TreeMap<>(Map.of(2L, 10.0, 3L, 30.0));
        Map<String, MetricMath.Value> vars = Map.of("a", new MetricMath.Series(a), "b", new MetricMath.Series(b));
        List<MetricMath.Series> all = List.of(new MetricMath.Series(a), new MetricMath.Series(b));
        assertEquals(Map.of(2L, 22.0), ((MetricMath.Series) MetricMath.evaluate("e", "a + b * 2", vars, all)).points());
        assertEquals(Map.of(1L, 1.0, 2L, 12.0, 3L, 30.0), ((MetricMath.Series) MetricMath.evaluate("e", "SUM([a, b])", vars, all)).points());
        assertEquals(20.0, ((MetricMath.Scalar) MetricMath.evaluate("e", "AVG(b)", vars, all)).value());
        assertEquals(Map.of(1L, 1.0, 2L, 2.0, 3L, 0.0), ((MetricMath.Series) MetricMath.evaluate("e", "FILL(a, 0)", vars, all)).points());
        assertEquals(Map.of(1L, -2.0, 2L, -4.0), ((MetricMath.Series) MetricMath.evaluate("e", "-(a * 2)", vars, all)).points());
        ServiceException e = assertThrows(ServiceException.class, () -> MetricMath.evaluate("e", "a + c", vars, all));
        assertEquals("ValidationError", e.code());
    }
}
