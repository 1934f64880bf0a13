package dev.polystack.services.lambda;

import java.time.Instant;

/**
 * One version of a function ($LATEST or a published number): its configuration, code and lifecycle state.
 * Immutable; {@code executionKey} changes whenever configuration or code does, so warm environments of an
 * older configuration are never reused for a newer one.
 */
record FunctionVersion(
        String version,
        FunctionConfig config,
        CodeRef code,
        String revisionId,
        Instant lastModified,
        String state,
        String lastUpdateStatus,
        String executionKey) {

    static final String LATEST = "$LATEST";

    FunctionVersion withState(String state, String lastUpdateStatus, String revisionId) {
        return new FunctionVersion(version, config, code, revisionId, lastModified, state, lastUpdateStatus, executionKey);
    }
}
