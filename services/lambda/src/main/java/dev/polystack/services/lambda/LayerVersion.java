package dev.polystack.services.lambda;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** One published version of a layer: its contents and what it declares. */
record LayerVersion(String name, int version, String account, String region, CodeRef content, String description,
                    List<String> compatibleRuntimes, List<String> compatibleArchitectures, String licenseInfo,
                    Instant created, Map<String, Map<String, Object>> policy, String policyRevisionId) {
    String layerArn() {
        return "arn:" + FunctionRef.partition(region) + ":lambda:" + region + ":" + account + ":layer:" + name;
    }

    String arn() {
        return layerArn() + ":" + version;
    }
}
