package dev.polystack.services.lambda;

import java.util.List;
import java.util.Map;

/**
 * A function's configuration as a version carries it (everything UpdateFunctionConfiguration can change).
 * Immutable: an update makes a new one.
 */
record FunctionConfig(
        String runtime,
        String role,
        String handler,
        String description,
        int timeout,
        int memorySize,
        Map<String, String> environment,
        List<String> layers,
        List<String> architectures,
        int ephemeralStorage,
        String tracingMode,
        String deadLetterTargetArn,
        String kmsKeyArn,
        String logFormat,
        String logGroup,
        String packageType,
        ImageSettings image) {

    static final int DEFAULT_TIMEOUT = 3;
    static final int DEFAULT_MEMORY = 128;

    FunctionConfig {
        environment = environment == null ? null : Map.copyOf(environment); // null: never set (AWS omits it)
        layers = List.copyOf(layers);
        architectures = List.copyOf(architectures);
    }

    /** {@code ImageConfig} of an image function: overrides of the image's ENTRYPOINT, CMD and WORKDIR (null: the image's). */
    record ImageSettings(List<String> entryPoint, List<String> command, String workingDirectory) {
    }

    /** The changes an UpdateFunctionConfiguration (or CreateFunction) asks for; null members keep the current value. */
    record Changes(String runtime, String role, String handler, String description, Integer timeout, Integer memorySize,
                   Map<String, String> environment, List<String> layers, Integer ephemeralStorage, String tracingMode,
                   String deadLetterTargetArn, String kmsKeyArn, String logFormat, String logGroup, ImageSettings image) {
    }

    FunctionConfig apply(Changes c) {
        return new FunctionConfig(
                c.runtime() != null ? c.runtime() : runtime,
                c.role() != null ? c.role() : role,
                c.handler() != null ? c.handler() : handler,
                c.description() != null ? c.description() : description,
                c.timeout() != null ? c.timeout() : timeout,
                c.memorySize() != null ? c.memorySize() : memorySize,
                c.environment() != null ? c.environment() : environment,
                c.layers() != null ? c.layers() : layers,
                architectures,
                c.ephemeralStorage() != null ? c.ephemeralStorage() : ephemeralStorage,
                c.tracingMode() != null ? c.tracingMode() : tracingMode,
                c.deadLetterTargetArn() != null ? emptyToNull(c.deadLetterTargetArn()) : deadLetterTargetArn,
                c.kmsKeyArn() != null ? emptyToNull(c.kmsKeyArn()) : kmsKeyArn,
                c.logFormat() != null ? c.logFormat() : logFormat,
                c.logGroup() != null ? c.logGroup() : logGroup,
                packageType,
                c.image() != null ? c.image() : image);
    }

    FunctionConfig withArchitectures(List<String> value) {
        return new FunctionConfig(runtime, role, handler, description, timeout, memorySize, environment, layers, value,
                ephemeralStorage, tracingMode, deadLetterTargetArn, kmsKeyArn, logFormat, logGroup, packageType, image);
    }

    private static String emptyToNull(String s) {
        return s.isEmpty() ? null : s;
    }
}
