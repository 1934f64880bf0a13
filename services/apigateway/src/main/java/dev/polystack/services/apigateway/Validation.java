package dev.polystack.services.apigateway;

import java.util.ArrayList;
import java.util.List;

/** Collects constraint violations and reports them as AWS does: "N validation errors detected: a; b". */
final class Validation {
    private final List<String> problems = new ArrayList<>();

    Validation enumValue(String value, String where, String allowed) {
        problems.add("Value '" + value + "' at '" + where + "' failed to satisfy constraint: Member must satisfy enum value set: [" + allowed + "]");
        return this;
    }

    Validation pattern(String value, String where, String pattern) {
        problems.add("Value '" + value + "' at '" + where + "' failed to satisfy constraint: Member must satisfy regular expression pattern: " + pattern);
        return this;
    }

    Validation raw(String problem) {
        problems.add(problem);
        return this;
    }

    void throwIfAny() {
        if (problems.isEmpty()) return;
        String head = problems.size() == 1 ? "1 validation error detected: " : problems.size() + " validation errors detected: ";
        throw ApiGatewayErrors.validation(head + String.join("; ", problems));
    }
}
