package dev.polystack.gateway.platform;

import dev.polystack.api.HttpRequestData;
import dev.polystack.api.HttpResponseData;

/** A gateway-level endpoint under {@code /_localstack/} or {@code /_aws/}; answers null when the path is not its own. */
@FunctionalInterface
public interface PlatformRoute {
    HttpResponseData handle(HttpRequestData request);
}
