package dev.polystack.protocol.model;

import dev.polystack.protocol.ServiceInfo;

import java.util.List;
import java.util.Map;

/**
 * A service's specification compiled once into linked, immutable objects: metadata, operations and shapes.
 * Built by {@link ModelLoader} from botocore's {@code service-2.json} (or from the same JSON form produced
 * by an adapter, e.g. from a Smithy model in the conformance tests).
 */
public final class ServiceModel {
    final String service;
    String protocol;
    List<String> protocols = List.of();
    String apiVersion;
    String endpointPrefix;
    String signingName;
    String targetPrefix;
    String jsonVersion;
    String xmlNamespace;
    String serviceId;
    String serviceFullName;
    String globalEndpoint;
    boolean awsQueryCompatible;
    /** Validate lengths, ranges, patterns and enums too (not only required members and types). */
    boolean strictValidation;
    String validationStyle = "coral";
    /** rest-xml errors as a bare {@code <Error>} (Smithy's {@code @restXml(noErrorWrapping: true)}; S3 behaves so). */
    boolean noErrorWrapping;
    Map<String, Operation> operations = Map.of();
    Map<String, Shape> shapes = Map.of();
    Map<String, Shape> errorsByCode = Map.of();
    private volatile ServiceInfo info;

    ServiceModel(String service) {
        this.service = service;
    }

    /** botocore's name for the service (its data folder), e.g. {@code sqs}. */
    public String service() { return service; }

    /** The main protocol: {@code json}, {@code rest-json}, {@code rest-xml}, {@code query}, {@code ec2}, {@code smithy-rpc-v2-cbor}. */
    public String protocol() { return protocol; }

    /** All protocols the specification lists (at least {@link #protocol()}), in its order. */
    public List<String> protocols() { return protocols; }

    public String apiVersion() { return apiVersion; }

    public String endpointPrefix() { return endpointPrefix; }

    public String signingName() { return signingName; }

    public String targetPrefix() { return targetPrefix; }

    public String jsonVersion() { return jsonVersion; }

    /** The xmlNamespace URI from the metadata (query, ec2, rest-xml responses), or null. */
    public String xmlNamespace() { return xmlNamespace; }

    public String serviceId() { return serviceId; }

    public String serviceFullName() { return serviceFullName; }

    public String globalEndpoint() { return globalEndpoint; }

    /** The JSON protocol also reports the query protocol's error codes ({@code x-amzn-query-error}). */
    public boolean isAwsQueryCompatible() { return awsQueryCompatible; }

    public boolean isStrictValidation() { return strictValidation; }

    /**
     * How validation errors read: {@code coral} (AWS services: "1 validation error detected: Value null at
     * 'tableName' failed to satisfy constraint: ...") or {@code smithy} (Smithy servers' ValidationException with a fieldList).
     */
    public String validationStyle() { return validationStyle; }

    /** rest-xml errors are sent without the {@code <ErrorResponse>} wrapper (metadata {@code noErrorWrapping}). */
    public boolean isNoErrorWrapping() { return noErrorWrapping; }

    /** Operations by name, in specification order. */
    public Map<String, Operation> operations() { return operations; }

    public Operation operation(String name) { return operations.get(name); }

    public Map<String, Shape> shapes() { return shapes; }

    public Shape shape(String name) { return shapes.get(name); }

    /**
     * The error shape for a code: the shape name (what providers throw) or the wire code
     * ({@code error.code}/awsQueryError), or null when the specification does not model it.
     */
    public Shape errorShape(String code) { return code == null ? null : errorsByCode.get(code); }

    public ServiceInfo info() {
        ServiceInfo i = info;
        if (i == null) {
            i = new ServiceInfo(service, protocol, protocols, apiVersion, endpointPrefix, signingName, targetPrefix, jsonVersion);
            info = i;
        }
        return i;
    }

    @Override
    public String toString() { return service + " (" + protocol + ", " + operations.size() + " operations)"; }
}
