package dev.polystack.services.apigateway;

import dev.polystack.api.RequestContext;
import dev.polystack.services.apigateway.CustomDomains.Domain;
import dev.polystack.services.apigateway.CustomDomains.Mapping;
import dev.polystack.services.apigateway.api.BasePathMapping;
import dev.polystack.services.apigateway.api.BasePathMappings;
import dev.polystack.services.apigateway.api.CreateBasePathMappingRequest;
import dev.polystack.services.apigateway.api.CreateDomainNameRequest;
import dev.polystack.services.apigateway.api.DomainName;
import dev.polystack.services.apigateway.api.DomainNames;
import dev.polystack.services.apigateway.api.EndpointConfiguration;
import dev.polystack.services.apigateway.api.PatchOperation;
import dev.polystack.services.apigateway.api.UpdateBasePathMappingRequest;
import dev.polystack.services.apigateway.api.UpdateDomainNameRequest;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.BiFunction;

/**
 * The REST API's (v1) view of custom domain names: {@code DomainName} resources and their base path mappings, typed
 * end to end. The domains themselves live in {@link CustomDomains}, shared with v2's API mappings.
 */
final class DomainNameOps {
    private final CustomDomains domains;
    /** The stages of one of the caller's REST APIs, or null when there is no such API. */
    private final BiFunction<RequestContext, String, Set<String>> restApiStages;

    DomainNameOps(CustomDomains domains, BiFunction<RequestContext, String, Set<String>> restApiStages) {
        this.domains = domains;
        this.restApiStages = restApiStages;
    }

    DomainName create(RequestContext context, CreateDomainNameRequest in) {
        String type = "EDGE";
        if (in.endpointConfiguration() != null && in.endpointConfiguration().typesAsStrings() != null
                && !in.endpointConfiguration().typesAsStrings().isEmpty()) {
            type = in.endpointConfiguration().typesAsStrings().get(0);
        }
        boolean regional = !type.equals("EDGE");
        Domain d = domains.create(context, in.domainName(), type,
                regional ? in.regionalCertificateArn() : in.certificateArn(),
                regional ? in.regionalCertificateName() : in.certificateName(),
                in.securityPolicyAsString(), in.tags());
        return view(d);
    }

    DomainName get(RequestContext context, String name) {
        return view(domains.get(context, name));
    }

    DomainNames list(RequestContext context, String position, Integer limit) {
        List<DomainName> all = new ArrayList<>();
        for (Domain d : domains.list(context)) all.add(view(d));
        Page<DomainName> page = Page.of(all, position, limit);
        return DomainNames.builder().items(page.items()).position(page.position()).build();
    }

    /** AWS lets an update change the certificate and the security policy; the name and endpoint type stay. */
    DomainName update(RequestContext context, UpdateDomainNameRequest in) {
        Domain d = domains.get(context, in.domainName());
        String certificateArn = d.certificateArn();
        String certificateName = d.certificateName();
        String policy = d.securityPolicy();
        for (Patch.Op op : Patch.read(in.patchOperations(), "updateDomainNameInput", null)) {
            if (!op.op().equals("replace")) throw invalidPatch(op, "/certificateArn, /certificateName, /regionalCertificateArn, /regionalCertificateName, /securityPolicy");
            switch (op.path()) {
                case "/certificateArn", "/regionalCertificateArn" -> certificateArn = op.value();
                case "/certificateName", "/regionalCertificateName" -> certificateName = op.value();
                case "/securityPolicy" -> policy = op.value();
                default -> throw invalidPatch(op, "/certificateArn, /certificateName, /regionalCertificateArn, /regionalCertificateName, /securityPolicy");
            }
        }
        return view(domains.replace(d.withCertificate(certificateArn, certificateName, policy)));
    }

    void delete(RequestContext context, String name) {
        domains.delete(context, name);
    }

    BasePathMapping createMapping(RequestContext context, CreateBasePathMappingRequest in) {
        Set<String> stages = in.restApiId() == null ? null : restApiStages.apply(context, in.restApiId());
        Mapping m = domains.addMapping(context, in.domainName(), in.basePath(), in.restApiId(), in.stage(), stages,
                ApiGatewayErrors.badRequest("Invalid REST API identifier specified"),
                ApiGatewayErrors.badRequest("Invalid stage identifier specified"));
        return view(m);
    }

    BasePathMapping getMapping(RequestContext context, String domainName, String basePath) {
        return view(mapping(context, domainName, basePath));
    }

    BasePathMappings listMappings(RequestContext context, String domainName, String position, Integer limit) {
        List<BasePathMapping> all = new ArrayList<>();
        for (Mapping m : domains.get(context, domainName).mappings()) all.add(view(m));
        Page<BasePathMapping> page = Page.of(all, position, limit);
        return BasePathMappings.builder().items(page.items()).position(page.position()).build();
    }

    BasePathMapping updateMapping(RequestContext context, UpdateBasePathMappingRequest in) {
        Mapping old = mapping(context, in.domainName(), in.basePath());
        String key = old.key();
        String apiId = old.apiId();
        String stage = old.stage();
        for (Patch.Op op : Patch.read(in.patchOperations(), "updateBasePathMappingInput", null)) {
            if (!op.op().equals("replace")) throw invalidPatch(op, "/basePath, /restapiId, /stage");
            switch (op.path()) {
                case "/basePath" -> key = CustomDomains.normalizeKey(op.value());
                case "/restapiId" -> apiId = op.value();
                case "/stage" -> stage = op.value();
                default -> throw invalidPatch(op, "/basePath, /restapiId, /stage");
            }
        }
        Set<String> stages = restApiStages.apply(context, apiId);
        if (stages == null) throw ApiGatewayErrors.badRequest("Invalid REST API identifier specified");
        if (stage != null && !stages.contains(stage)) throw ApiGatewayErrors.badRequest("Invalid stage identifier specified");
        return view(domains.updateMapping(context, in.domainName(), old, new Mapping(old.id(), key, apiId, stage)));
    }

    void deleteMapping(RequestContext context, String domainName, String basePath) {
        domains.removeMapping(context, domainName, mapping(context, domainName, basePath));
    }

    private Mapping mapping(RequestContext context, String domainName, String basePath) {
        Mapping m = domains.get(context, domainName).mapping(CustomDomains.normalizeKey(basePath));
        if (m == null) throw ApiGatewayErrors.notFound("Invalid base path mapping identifier specified");
        return m;
    }

    private static RuntimeException invalidPatch(Patch.Op op, String allowed) {
        return ApiGatewayErrors.badRequest("Invalid patch path  '" + op.path() + "' specified for op '" + op.op()
                + "'. Must be one of: [" + allowed + "]");
    }

    /** The domain as v1 describes it: edge-optimized domains name their CloudFront distribution, regional ones their endpoint. */
    static DomainName view(Domain d) {
        DomainName.Builder b = DomainName.builder()
                .domainName(d.name())
                .domainNameArn(d.arn())
                .endpointConfiguration(EndpointConfiguration.builder().types(List.of(d.endpointType())).build())
                .domainNameStatus("AVAILABLE")
                .securityPolicy(d.securityPolicy())
                .tags(d.tags());
        if (d.endpointType().equals("EDGE")) {
            b.certificateArn(d.certificateArn()).certificateName(d.certificateName()).certificateUploadDate(d.created())
                    .distributionDomainName(d.distributionHost()).distributionHostedZoneId(CustomDomains.CLOUDFRONT_HOSTED_ZONE);
        } else {
            b.regionalCertificateArn(d.certificateArn()).regionalCertificateName(d.certificateName())
                    .regionalDomainName(d.regionalHost()).regionalHostedZoneId(CustomDomains.REGIONAL_HOSTED_ZONE);
        }
        return b.build();
    }

    /** v1 spells a mapping without a base path {@code (none)}. */
    static BasePathMapping view(Mapping m) {
        return BasePathMapping.builder().basePath(m.key().isEmpty() ? "(none)" : m.key()).restApiId(m.apiId()).stage(m.stage()).build();
    }

    /** One page of a listing, by AWS's {@code position}/{@code limit}. */
    record Page<T>(List<T> items, String position) {
        static <T> Page<T> of(List<T> all, String position, Integer limit) {
            int size = limit != null ? Math.min(Math.max(limit, 1), 500) : 25;
            int start = 0;
            if (position != null) {
                try {
                    start = Integer.parseInt(position);
                } catch (NumberFormatException e) {
                    throw ApiGatewayErrors.badRequest("Invalid position parameter");
                }
            }
            int end = Math.min(all.size(), start + size);
            return new Page<>(start >= all.size() ? List.of() : all.subList(start, end), end < all.size() ? Integer.toString(end) : null);
        }
    }
}
