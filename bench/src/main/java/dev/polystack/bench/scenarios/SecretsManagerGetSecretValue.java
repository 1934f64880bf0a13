package dev.polystack.bench.scenarios;

import dev.polystack.bench.Scenario;
import dev.polystack.bench.Target;

/**
 * Secrets Manager GetSecretValue of one secret (created once in setup; a KMS decryption per read on Polystack).
 * One iteration = one request.
 */
public final class SecretsManagerGetSecretValue implements Scenario {
    static final String NAME = "bench-secret";

    @Override
    public String name() {
        return "secretsmanager-get-secret-value";
    }

    @Override
    public void setup(Target target) throws Exception {
        try {
            target.awsJson("secretsmanager", "secretsmanager.CreateSecret",
                    "{\"Name\":\"" + NAME + "\",\"SecretString\":\"{\\\"password\\\":\\\"hunter2\\\"}\","
                            + "\"ClientRequestToken\":\"00000000-0000-4000-8000-000000000001\"}", "1.1");
        } catch (Exception alreadyThere) {
            // a rerun against the same server: the secret exists
        }
    }

    @Override
    public void iterate(Target target, int worker, long iteration) throws Exception {
        String answer = target.awsJson("secretsmanager", "secretsmanager.GetSecretValue", "{\"SecretId\":\"" + NAME + "\"}", "1.1");
        if (!answer.contains("hunter2")) throw new IllegalStateException("unexpected answer " + answer);
    }
}
