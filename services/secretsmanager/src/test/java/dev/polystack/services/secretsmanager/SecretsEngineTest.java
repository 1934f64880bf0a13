package dev.polystack.services.secretsmanager;

import dev.polystack.api.ServiceException;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SecretsEngineTest {
    /** Base64 as stand-in encryption: enough to see values stored and read back. */
    private static final SecretsEngine.Crypto CRYPTO = new SecretsEngine.Crypto() {
        @Override
        public String encrypt(String account, String region, String keyId, byte[] plaintext) {
            return Base64.getEncoder().encodeToString(plaintext);
        }

        @Override
        public byte[] decrypt(String account, String region, String ciphertext) {
            return Base64.getDecoder().decode(ciphertext);
        }
    };
    private static final SecretsEngine.Scope SCOPE = new SecretsEngine.Scope("aws", "000000000000", "us-east-1");

    private final SecretsEngine engine = new SecretsEngine(CRYPTO);

    /** A rotation function written as AWS's templates are: new value as AWSPENDING, then AWSCURRENT moved to it. */
    private final class TemplateRotator implements SecretsEngine.Rotator {
        final List<String> steps = new ArrayList<>();

        @Override
        public boolean exists(String account, String region, String functionArn) {
            return functionArn.endsWith(":rotator");
        }

        @Override
        public boolean invoke(String account, String region, String functionArn, String step, String secretArn, String token) {
            steps.add(step);
            if (step.equals("createSecret")) {
                engine.putValue(SCOPE, secretArn, token, new SecretsEngine.Value("rotated", null), List.of("AWSPENDING"), 2L);
            } else if (step.equals("finishSecret")) {
                String current = engine.getValue(SCOPE, secretArn, null, "AWSCURRENT", null, 2L).version().versionId;
                engine.updateStage(SCOPE, secretArn, "AWSCURRENT", current, token, 2L);
            }
            return true;
        }
    }

    @Test
    void rotationRunsTheFourStepsAndMovesTheLabels() {
        String first = engine.create(SCOPE, "db", null, null, null, new SecretsEngine.Value("initial", null), Map.of(), Map.of(), false, 1L)
                .version().versionId;
        TemplateRotator rotator = new TemplateRotator();
        var written = engine.rotate(SCOPE, "db", "t".repeat(32), "arn:aws:lambda:us-east-1:000000000000:function:rotator", 30, null, null,
                true, rotator, 2L);
        assertEquals(List.of("createSecret", "setSecret", "testSecret", "finishSecret"), rotator.steps);
        assertEquals("t".repeat(32), written.version().versionId);
        assertEquals("rotated", engine.getValue(SCOPE, "db", null, null, null, 3L).value().string());
        assertEquals(List.of("AWSPREVIOUS"), engine.describe(SCOPE, "db", 3L).versions.get(first).stages);
        Secret s = engine.describe(SCOPE, "db", 3L);
        assertTrue(s.rotationEnabled);
        assertEquals(30, s.rotationDays);
        // a completed rotation leaves the new version AWSCURRENT only
        assertEquals(List.of("AWSCURRENT"), s.versions.get("t".repeat(32)).stages);
        assertEquals(2L + 30 * DAY, s.nextRotation);
    }

    private static final long DAY = 86_400_000L;

    @Test
    void scheduledRotationRunsWhenDueAndMovesTheScheduleOn() {
        engine.create(SCOPE, "db", null, null, null, new SecretsEngine.Value("initial", null), Map.of(), Map.of(), false, 1L);
        TemplateRotator rotator = new TemplateRotator();
        String fn = "arn:aws:lambda:us-east-1:000000000000:function:rotator";
        engine.rotate(SCOPE, "db", null, fn, 1, null, null, false, rotator, 1L);
        assertEquals(List.of("testSecret"), rotator.steps);
        assertEquals(List.of(), engine.dueRotations(DAY));
        assertEquals(0, engine.rotateDue(rotator, DAY));
        assertEquals(1, engine.rotateDue(rotator, DAY + 1));
        assertEquals(List.of("testSecret", "createSecret", "setSecret", "testSecret", "finishSecret"), rotator.steps);
        assertEquals("rotated", engine.getValue(SCOPE, "db", null, null, null, DAY + 2).value().string());
        Secret s = engine.describe(SCOPE, "db", DAY + 2);
        assertEquals(DAY + 1, s.lastRotated);
        assertEquals(2 * DAY + 1, s.nextRotation);
        assertEquals(List.of(), engine.dueRotations(DAY + 2));
    }

    @Test
    void scheduleExpressions() {
        long noon = java.time.Instant.parse("2026-03-10T12:34:00Z").toEpochMilli();
        assertEquals(java.time.Instant.parse("2026-03-20T00:00:00Z").toEpochMilli(), RotationSchedule.nextAfter("rate(10 days)", noon));
        assertEquals(java.time.Instant.parse("2026-03-10T16:00:00Z").toEpochMilli(), RotationSchedule.nextAfter("rate(4 hours)", noon));
        assertEquals(java.time.Instant.parse("2026-03-11T08:00:00Z").toEpochMilli(), RotationSchedule.nextAfter("cron(0 8 * * ? *)", noon));
        for (String bad : new String[]{"rate(2 hours)", "rate(0 days)", "every day", "cron(0 8 * *)", "rate(1001 days)"}) {
            ServiceException e = assertThrows(ServiceException.class, () -> RotationSchedule.validate(null, null, bad), bad);
            assertEquals("InvalidParameterException", e.code());
        }
        assertThrows(ServiceException.class, () -> RotationSchedule.validate(3, null, "rate(4 days)"));
        assertThrows(ServiceException.class, () -> RotationSchedule.validate(null, "25h", null));
        RotationSchedule.validate(null, "3h", "cron(0 8 ? * MON *)");
    }

    @Test
    void aStuckRotationBlocksTheNextOne() {
        engine.create(SCOPE, "db", null, null, null, new SecretsEngine.Value("initial", null), Map.of(), Map.of(), false, 1L);
        SecretsEngine.Rotator failing = new SecretsEngine.Rotator() {
            @Override
            public boolean exists(String account, String region, String functionArn) {
                return true;
            }

            @Override
            public boolean invoke(String account, String region, String functionArn, String step, String secretArn, String token) {
                return false; // the function fails: AWSPENDING stays on the value-less version
            }
        };
        engine.rotate(SCOPE, "db", null, "arn:aws:lambda:us-east-1:000000000000:function:f", null, null, null, true, failing, 2L);
        ServiceException e = assertThrows(ServiceException.class, () ->
                engine.rotate(SCOPE, "db", null, null, null, null, null, true, failing, 3L));
        assertEquals("InvalidRequestException", e.code());
        assertEquals("initial", engine.getValue(SCOPE, "db", null, null, null, 3L).value().string());
    }

    @Test
    void binaryValuesAndSnapshots() {
        byte[] bytes = "\u0000\u0001".getBytes(StandardCharsets.UTF_8);
        engine.create(SCOPE, "bin", null, null, null, new SecretsEngine.Value(null, bytes), Map.of(), Map.of(), false, 1L);
        SecretsEngine restored = new SecretsEngine(CRYPTO);
        restored.restore(engine.snapshot());
        assertEquals(new String(bytes, StandardCharsets.UTF_8),
                new String(restored.getValue(SCOPE, "bin", null, null, null, 2L).value().binary(), StandardCharsets.UTF_8));
    }
}
