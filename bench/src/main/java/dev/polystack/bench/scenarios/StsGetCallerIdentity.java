package dev.polystack.bench.scenarios;

import dev.polystack.bench.Scenario;
import dev.polystack.bench.Target;

/** STS GetCallerIdentity over the query protocol: form parsing and an XML answer, no state. */
public final class StsGetCallerIdentity implements Scenario {
    @Override
    public String name() {
        return "sts-get-caller-identity";
    }

    @Override
    public void iterate(Target target, int worker, long iteration) throws Exception {
        target.query("sts", "Action=GetCallerIdentity&Version=2011-06-15");
    }
}
