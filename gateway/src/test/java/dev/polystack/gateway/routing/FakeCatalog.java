package dev.polystack.gateway.routing;

import dev.polystack.protocol.ServiceCatalog;
import dev.polystack.protocol.ServiceCodec;
import dev.polystack.protocol.ServiceInfo;

import java.util.Collection;
import java.util.List;
import java.util.Objects;

/** A catalog of a few real services' routing metadata, as botocore's specifications give it. */
public class FakeCatalog implements ServiceCatalog {
    public static final List<ServiceInfo> SERVICES = List.of(
            info("sqs", "json", List.of("json", "query"), "2012-11-05", "sqs", "sqs", "AmazonSQS", "1.0"),
            info("s3", "rest-xml", List.of("rest-xml"), "2006-03-01", "s3", "s3", null, null),
            info("s3control", "rest-xml", List.of("rest-xml"), "2018-08-20", "s3-control", "s3", null, null),
            info("sns", "query", List.of("query"), "2010-03-31", "sns", "sns", null, null),
            info("sts", "query", List.of("query"), "2011-06-15", "sts", "sts", null, null),
            info("kms", "json", List.of("json"), "2014-11-01", "kms", "kms", "TrentService", "1.1"),
            info("dynamodb", "json", List.of("json"), "2012-08-10", "dynamodb", "dynamodb", "DynamoDB_20120810", "1.0"),
            info("rds", "query", List.of("query"), "2014-10-31", "rds", "rds", null, null),
            info("neptune", "query", List.of("query"), "2014-10-31", "rds", "rds", null, null),
            info("ses", "query", List.of("query"), "2010-12-01", "email", "ses", null, null),
            info("sesv2", "rest-json", List.of("rest-json"), "2019-09-27", "email", "ses", null, null),
            info("lambda", "rest-json", List.of("rest-json"), "2015-03-31", "lambda", "lambda", null, null));

    static ServiceInfo info(String name, String protocol, List<String> protocols, String version, String endpointPrefix,
                            String signingName, String target, String jsonVersion) {
        return new ServiceInfo(name, protocol, protocols, version, endpointPrefix, signingName, target, jsonVersion);
    }

    @Override
    public Collection<ServiceInfo> all() { return SERVICES; }

    @Override
    public ServiceInfo get(String service) {
        return SERVICES.stream().filter(s -> s.service().equals(service)).findFirst().orElse(null);
    }

    @Override
    public ServiceInfo byTargetPrefix(String targetPrefix) {
        return SERVICES.stream().filter(s -> Objects.equals(s.targetPrefix(), targetPrefix)).findFirst().orElse(null);
    }

    @Override
    public List<ServiceInfo> bySigningName(String signingName) {
        return SERVICES.stream().filter(s -> s.signingName().equals(signingName)).toList();
    }

    @Override
    public List<ServiceInfo> byEndpointPrefix(String endpointPrefix) {
        return SERVICES.stream().filter(s -> s.endpointPrefix().equals(endpointPrefix)).toList();
    }

    @Override
    public ServiceCodec codec(String service) { return null; }
}
