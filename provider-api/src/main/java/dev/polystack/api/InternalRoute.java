package dev.polystack.api;

import java.util.function.Function;

/**
 * An internal HTTP endpoint a provider adds, such as LocalStack's {@code GET /_aws/sqs/messages}.
 * {@code pathPrefix} matches the start of the path; {@code method} null matches any method.
 */
public record InternalRoute(String method, String pathPrefix, Function<HttpRequestData, HttpResponseData> handler) {
}
