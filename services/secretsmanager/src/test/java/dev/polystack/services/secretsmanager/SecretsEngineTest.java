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
        public void invoke(String account, String region, String functionArn, String step, String secretArn, String token) {
            steps.add(step);
            if (step.equals("createSecret")) {
                engine.putValue(SCOPE, secretArn, token, new SecretsEngine.Value("rotated", null), List.of("AWSPENDING"), 2L);
            } else if (step.equals("finishSecret")) {
                String current = engine.getValue(SCOPE, secretArn, null, "AWSCURRENT", null, 2L).version().versionId;
                engine.updateStage(SCOPE, secretArn, "AWSCURRENT", current, token, 2L);
            }
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
            public void invoke(String account, String region, String functionArn, String step, String secretArn, String token) {
                // the function fails: AWSPENDING stays on the value-less version
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
