package dev.polystack.services.lambda;

import java.util.Map;

/** A named pointer to a version, optionally routing a share of invocations to a second version. */
record Alias(String name, String functionVersion, String description, Map<String, Double> additionalWeights,
             String revisionId) {
    Alias {
        additionalWeights = additionalWeights == null ? Map.of() : Map.copyOf(additionalWeights);
    }
}
