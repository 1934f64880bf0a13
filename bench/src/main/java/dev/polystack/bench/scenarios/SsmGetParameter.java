package dev.polystack.bench.scenarios;

import dev.polystack.bench.Scenario;
import dev.polystack.bench.Target;

/**
 * SSM GetParameter of one String parameter (put once in setup): JSON 1.1, the Parameter Store read path.
 * One iteration = one request.
 */
public final class SsmGetParameter implements Scenario {
    static final String NAME = "/bench/config/db-url";

    @Override
    public String name() {
        return "ssm-get-parameter";
    }

    @Override
    public void setup(Target target) throws Exception {
        target.awsJson("ssm", "AmazonSSM.PutParameter",
                "{\"Name\":\"" + NAME + "\",\"Value\":\"jdbc:postgresql://db:5432/app\",\"Type\":\"String\",\"Overwrite\":true}", "1.1");
    }

    @Override
    public void iterate(Target target, int worker, long iteration) throws Exception {
        String answer = target.awsJson("ssm", "AmazonSSM.GetParameter", "{\"Name\":\"" + NAME + "\"}", "1.1");
        if (!answer.contains("jdbc:postgresql")) throw new IllegalStateException("unexpected answer " + answer);
    }
}
