package dev.polystack.services.lambda;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * A function and everything attached to it. Guarded by its own monitor: every read-modify-write of a
 * function's state happens inside {@code synchronized (function)}.
 */
final class LambdaFunction {
    final String name;
    final String account;
    final String region;
    FunctionVersion latest;
    final TreeMap<Integer, FunctionVersion> versions = new TreeMap<>();
    int lastPublished;
    final Map<String, Alias> aliases = new LinkedHashMap<>();
    final Map<String, String> tags = new LinkedHashMap<>();
    Integer reservedConcurrency;
    /** Provisioned concurrency per qualifier (stored and reported, nothing pre-warmed). */
    final Map<String, Integer> provisionedConcurrency = new LinkedHashMap<>();
    /** Resource policy statements per qualifier ("" = the unqualified function), by statement id. */
    final Map<String, Map<String, Map<String, Object>>> policies = new LinkedHashMap<>();
    String policyRevisionId;
    /** Event invoke configuration per qualifier ("" = $LATEST / unqualified). */
    final Map<String, EventInvokeConfig> eventInvokeConfigs = new LinkedHashMap<>();

    LambdaFunction(String name, String account, String region) {
        this.name = name;
        this.account = account;
        this.region = region;
    }

    String arn() {
        return FunctionRef.arn(account, region, name);
    }

    /** The version a qualifier names directly ($LATEST or a number), or null. Aliases are resolved by the caller. */
    FunctionVersion version(String qualifier) {
        if (qualifier == null || qualifier.equals(FunctionVersion.LATEST)) return latest;
        try {
            return versions.get(Integer.parseInt(qualifier));
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
