package dev.polystack.services.lambda.executor;

import java.nio.file.Path;
import java.util.Map;

/**
 * Everything needed to start an execution environment for one function version.
 *
 * @param executionKey    identifies the configuration and code: environments are reused only for the same key
 * @param taskRoot        the unpacked function code ({@code LAMBDA_TASK_ROOT})
 * @param optDir          the unpacked layers (what AWS mounts at {@code /opt}), or null without layers
 * @param environment     the function's own variables plus AWS's (credentials, region, endpoint ...)
 * @param maxEnvironments how many environments may run at once (reserved concurrency, else the account limit)
 * @param image           for {@code PackageType: Image}, the image run in a container; null for a local process
 */
public record LaunchSpec(String executionKey, String functionName, String functionArn, String version, String runtime,
                         String handler, int timeoutSeconds, int memorySize, Path taskRoot, Path optDir,
                         Map<String, String> environment, int maxEnvironments, ContainerImage image) {
}
