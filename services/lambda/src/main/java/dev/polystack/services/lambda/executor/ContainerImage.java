package dev.polystack.services.lambda.executor;

import java.util.List;

/**
 * A {@code PackageType: Image} function's image and its {@code ImageConfig} overrides (null or empty: the image's
 * own ENTRYPOINT, CMD and WORKDIR).
 */
public record ContainerImage(String uri, List<String> entryPoint, List<String> command, String workingDirectory) {
    public ContainerImage {
        entryPoint = entryPoint == null ? List.of() : List.copyOf(entryPoint);
        command = command == null ? List.of() : List.copyOf(command);
    }
}
