package dev.polystack.protocol;

import dev.polystack.api.HttpRequestData;
import dev.polystack.api.HttpResponseData;
import dev.polystack.api.RequestContext;
import dev.polystack.api.ServiceException;

import java.util.Map;

/**
 * Everything the gateway needs from the protocol layer for one service: compiled once from the
 * service's specification, then shared by all requests (thread-safe).
 */
public interface ServiceCodec {

    ServiceInfo info();

    /**
     * The codec of the protocol this request is in: the gateway picks it once per request and parses and
     * serializes with it (a service with one protocol is its own codec).
     */
    default ServiceCodec select(HttpRequestData request) {
        return this;
    }

    /** botocore's name of this codec's protocol; null for a codec that picks among several per request. */
    default String protocol() {
        return null;
    }

    /**
     * Finds the operation and parses the request into a botocore-shaped parameter tree.
     *
     * @throws ServiceException the protocol's error for an unknown operation or invalid input
     */
    ParsedRequest parse(HttpRequestData request);

    /** Serializes an operation's output, honouring status and headers set on {@code context.response()}. */
    HttpResponseData serialize(RequestContext context, String operation, Map<String, Object> output);

    /** Serializes an error in this protocol's shape; {@code operation} may be null when parsing failed. */
    HttpResponseData serializeError(RequestContext context, String operation, ServiceException error);
}
