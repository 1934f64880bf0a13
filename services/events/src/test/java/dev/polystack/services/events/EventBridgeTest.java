package dev.polystack.services.events;

import com.fasterxml.jackson.databind.JsonNode;
import dev.polystack.api.ServiceException;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EventBridgeTest {
    private static final String A = "000000000000";
    private static final String R = "us-east-1";

    @Test
    void invalidPatternsCarryAwsReasons() {
        ServiceException e = assertThrows(ServiceException.class, () -> EventPatterns.validate("{\"detail\": {\"n\": [{\"numeric\": 10}]}}"));
        assertEquals("InvalidEventPatternException", e.code());
        assertTrue(e.getMessage().startsWith("Event pattern is not valid. Reason: Value of numeric must be an array."), e.getMessage());
        e = assertThrows(ServiceException.class, () -> EventPatterns.validate("{\"a\": [{\"EXISTS\": true}]}"));
        assertTrue(e.getMessage().startsWith("Event pattern is not valid. Reason: Unrecognized match type EXISTS"), e.getMessage());
    }

    @Test
    void schedulesFollowAwsSyntaxInUtc() {
        Instant t = Instant.parse("2024-03-01T10:07:30Z");
        assertEquals(Instant.parse("2024-03-01T10:12:30Z"), RuleSchedule.parse("rate(5 minutes)").nextAfter(t));
        assertEquals(Instant.parse("2024-03-01T18:00:00Z"), RuleSchedule.parse("cron(0 18 ? * MON-FRI *)").nextAfter(t));
        assertEquals(Instant.parse("2024-03-04T18:00:00Z"),
                RuleSchedule.parse("cron(0 18 ? * MON-FRI *)").nextAfter(Instant.parse("2024-03-01T18:00:00Z")));
        for (String bad : List.of("rate(1 minutes)", "rate(2 minute)", "cron(0 1 * * * *)", "cron(0 1 * * ?)", "every minute")) {
            assertThrows(ServiceException.class, () -> RuleSchedule.parse(bad), bad);
        }
    }

    @Test
    void matcherRoutesEventsToMatchingRulesOnly() {
        EventBridge engine = new EventBridge(null);
        engine.putRule(A, R, "orders", null, "{\"source\": [\"shop\"], \"detail\": {\"total\": [{\"numeric\": [\">\", 100]}]}}",
                null, null, null, null, null, A);
        engine.putRule(A, R, "all-shop", null, "{\"source\": [{\"prefix\": \"sh\"}]}", null, null, null, null, null, A);
        EventBus bus = engine.bus(A, R, null);
        String big = EventBridge.envelope("1", "t", "shop", A, Instant.now(), R, List.of(), "{\"total\": 150}").toString();
        String small = EventBridge.envelope("2", "t", "shop", A, Instant.now(), R, List.of(), "{\"total\": 5}").toString();
        assertEquals(List.of("all-shop", "orders"), bus.matcher.matching(big).stream().sorted().toList());
        assertEquals(List.of("all-shop"), bus.matcher.matching(small));
        engine.setRuleState(A, R, "all-shop", null, false);
        assertEquals(List.of(), engine.bus(A, R, null).matcher.matching(small));
    }

    @Test
    void inputTransformerQuotesValuesByPosition() throws Exception {
        JsonNode event = EventBridge.envelope("id-1", "Order", "shop", A, Instant.parse("2024-01-01T00:00:00Z"), R, List.of(),
                "{\"user\": {\"id\": \"u1\", \"n\": 3}, \"tags\": [\"a\", \"b\"]}");
        Rule rule = new Rule();
        rule.name = "r";
        rule.arn = "arn:aws:events:us-east-1:000000000000:rule/r";
        Target.InputTransformer t = new Target.InputTransformer(Map.of("user", "$.detail.user", "id", "$.detail.user.id",
                "tags", "$.detail.tags"), "{\"u\": <user>, \"path\": \"users/<id>\", \"text\": \"<user> <tags>\", \"rule\": \"<aws.events.rule-name>\"}");
        Target target = new Target("t", "arn:aws:sqs:us-east-1:000000000000:q", null, null, null, t, null, null, null, null, null, null, Map.of());
        String out = TargetInput.render(target, event, event.toString(), rule, "2024-01-01T00:00:00Z");
        JsonNode parsed = EventBridge.JSON.readTree(out);
        assertEquals("{\"id\":\"u1\",\"n\":3}", parsed.get("u").toString());
        assertEquals("users/u1", parsed.get("path").asText());
        assertEquals("{id:u1,n:3} [a,b]", parsed.get("text").asText());
        assertEquals("r", parsed.get("rule").asText());
        Target path = new Target("t", "arn:aws:sqs:us-east-1:000000000000:q", null, null, "$.detail.user.id", null, null, null, null, null, null, null, Map.of());
        assertEquals("\"u1\"", TargetInput.render(path, event, event.toString(), rule, ""));
    }

    @Test
    void stateRoundTripsThroughASnapshot() throws Exception {
        EventsProvider provider = new EventsProvider(null);
        EventBridge engine = provider.engine();
        engine.createBus(A, R, "custom", "d", null, null, Map.of("k", "v"));
        engine.putRule(A, R, "r1", "custom", "{\"source\": [\"x\"]}", null, null, null, null, null, A);
        engine.putTargets(A, R, "r1", "custom", List.of(new Target("t", "arn:aws:sqs:us-east-1:000000000000:q", null, null,
                "$.detail", null, null, null, 3, 60, "arn:aws:sqs:us-east-1:000000000000:dlq", null, Map.of("EcsParameters", Map.of()))));
        engine.putRule(A, R, "tick", null, null, "rate(1 minute)", null, null, null, null, A);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        provider.saveState(out);

        EventsProvider restored = new EventsProvider(null);
        restored.loadState(new ByteArrayInputStream(out.toByteArray()), 1);
        EventBridge e = restored.engine();
        Rule r1 = e.rule(A, R, "r1", "custom");
        assertEquals("$.detail", r1.targets.get("t").inputPath());
        assertEquals(3, r1.targets.get("t").maximumRetryAttempts());
        assertEquals("v", e.bus(A, R, "custom").tags.get("k"));
        String event = EventBridge.envelope("1", "t", "x", A, Instant.now(), R, List.of(), "{}").toString();
        assertEquals(List.of("r1"), e.bus(A, R, "custom").matcher.matching(event));
        assertTrue(e.rule(A, R, "tick", null).nextFire > System.currentTimeMillis());
        restored.resetState();
        assertFalse(restored.engine().store.all().containsKey(A));
    }
}
