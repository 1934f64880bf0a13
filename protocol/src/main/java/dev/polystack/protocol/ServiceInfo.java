package dev.polystack.protocol;

/**
 * A service's identity from its specification's metadata, enough to route requests to it.
 *
 * @param service        botocore's name (the data folder), e.g. {@code sqs}
 * @param protocol       {@code query}, {@code ec2}, {@code json}, {@code rest-json}, {@code rest-xml} or {@code smithy-rpc-v2-cbor}
 *                       (the one the gateway speaks when a request does not tell; see {@link #protocols})
 * @param protocols      all protocols the specification lists, e.g. SQS: json and query
 * @param apiVersion     e.g. {@code 2012-11-05}
 * @param endpointPrefix e.g. {@code sqs}
 * @param signingName    SigV4 signing name (credential scope service), e.g. {@code sqs}
 * @param targetPrefix   JSON {@code X-Amz-Target} prefix, e.g. {@code AmazonSQS}, or null
 * @param jsonVersion    {@code 1.0} or {@code 1.1} for JSON protocols, else null
 */
public record ServiceInfo(String service, String protocol, java.util.List<String> protocols, String apiVersion,
                          String endpointPrefix, String signingName, String targetPrefix, String jsonVersion) {
}
