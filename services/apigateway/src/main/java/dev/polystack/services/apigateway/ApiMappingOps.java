package dev.polystack.services.apigateway;

import dev.polystack.api.RequestContext;
import dev.polystack.api.model.Shape;
import dev.polystack.api.model.TreeConverter;
import dev.polystack.services.apigateway.CustomDomains.Domain;
import dev.polystack.services.apigateway.CustomDomains.Mapping;
import dev.polystack.services.apigatewayv2.api.ApiMapping;
import dev.polystack.services.apigatewayv2.api.CreateApiMappingRequest;
import dev.polystack.services.apigatewayv2.api.CreateDomainNameRequest;
import dev.polystack.services.apigatewayv2.api.DomainName;
import dev.polystack.services.apigatewayv2.api.DomainNameConfiguration;
import dev.polystack.services.apigatewayv2.api.UpdateApiMappingRequest;
import dev.polystack.services.apigatewayv2.api.UpdateDomainNameRequest;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.BiFunction;

/**
 * The v2 view of custom domain names: {@code DomainName} with its {@code DomainNameConfigurations}, and API mappings,
 * which may target an HTTP, WebSocket or REST API. The domains live in {@link CustomDomains}, shared with v1.
 */
final class ApiMappingOps {
    private final CustomDomains domains;
    /** The stages of one of the caller's APIs (v2 first, then REST), or null when there is no such API. */
    private final BiFunction<RequestContext, String, Set<String>> apiStages;

    ApiMappingOps(CustomDomains domains, BiFunction<RequestContext, String, Set<String>> apiStages) {
        this.domains = domains;
        this.apiStages = apiStages;
    }

    DomainName create(RequestContext context, CreateDomainNameRequest in) {
        DomainNameConfiguration config = first(in.domainNameConfigurations());
        String type = config == null || config.endpointTypeAsString() == null ? "REGIONAL" : config.endpointTypeAsString();
        Domain d = domains.create(context, in.domainName(), type, config == null ? null : config.certificateArn(),
                config == null ? null : config.certificateName(), config == null ? null : config.securityPolicyAsString(), in.tags());
        return view(d);
    }

    DomainName get(RequestContext context, String name) {
        return view(domains.get(context, name));
    }

    List<DomainName> list(RequestContext context) {
        List<DomainName> out = new ArrayList<>();
        for (Domain d : domains.list(context)) out.add(view(d));
        return out;
    }

    DomainName update(RequestContext context, UpdateDomainNameRequest in) {
        Domain d = domains.get(context, in.domainName());
        DomainNameConfiguration config = first(in.domainNameConfigurations());
        if (config == null) return view(d);
        Domain changed = d.withCertificate(
                config.certificateArn() != null ? config.certificateArn() : d.certificateArn(),
                config.certificateName() != null ? config.certificateName() : d.certificateName(),
                config.securityPolicyAsString() != null ? config.securityPolicyAsString() : d.securityPolicy());
        return view(domains.replace(changed));
    }

    void delete(RequestContext context, String name) {
        domains.delete(context, name);
    }

    ApiMapping createMapping(RequestContext context, CreateApiMappingRequest in) {
        Set<String> stages = in.apiId() == null ? null : apiStages.apply(context, in.apiId());
        Mapping m = domains.addMapping(context, in.domainName(), in.apiMappingKey(), in.apiId(), in.stage(), stages,
                ApiGatewayErrors.apiNotFound(context.accountId(), in.apiId()),
                ApiGatewayErrors.notFound("Invalid stage identifier specified"));
        return view(m);
    }

    ApiMapping getMapping(RequestContext context, String domainName, String mappingId) {
        return view(mapping(context, domainName, mappingId));
    }

    List<ApiMapping> listMappings(RequestContext context, String domainName) {
        List<ApiMapping> out = new ArrayList<>();
        for (Mapping m : domains.get(context, domainName).mappings()) out.add(view(m));
        return out;
    }

    ApiMapping updateMapping(RequestContext context, UpdateApiMappingRequest in) {
        Mapping old = mapping(context, in.domainName(), in.apiMappingId());
        String apiId = in.apiId() != null ? in.apiId() : old.apiId();
        String stage = in.stage() != null ? in.stage() : old.stage();
        String key = in.apiMappingKey() != null ? CustomDomains.normalizeKey(in.apiMappingKey()) : old.key();
        Set<String> stages = apiStages.apply(context, apiId);
        if (stages == null) throw ApiGatewayErrors.apiNotFound(context.accountId(), apiId);
        if (!stages.contains(stage)) throw ApiGatewayErrors.notFound("Invalid stage identifier specified");
        return view(domains.updateMapping(context, in.domainName(), old, new Mapping(old.id(), key, apiId, stage)));
    }

    void deleteMapping(RequestContext context, String domainName, String mappingId) {
        domains.removeMapping(context, domainName, mapping(context, domainName, mappingId));
    }

    private Mapping mapping(RequestContext context, String domainName, String mappingId) {
        Mapping m = mappingId == null ? null : domains.get(context, domainName).mappingById(mappingId);
        if (m == null) throw ApiGatewayErrors.notFound("Invalid API mapping identifier specified");
        return m;
    }

    private static DomainNameConfiguration first(List<DomainNameConfiguration> configs) {
        return configs == null || configs.isEmpty() ? null : configs.get(0);
    }

    /** v2 describes every domain by one configuration: its endpoint, certificate and status. */
    static DomainName view(Domain d) {
        DomainNameConfiguration config = DomainNameConfiguration.builder()
                .apiGatewayDomainName(d.endpointType().equals("EDGE") ? d.distributionHost() : d.regionalHost())
                .certificateArn(d.certificateArn())
                .certificateName(d.certificateName())
                .domainNameStatus("AVAILABLE")
                .endpointType(d.endpointType())
                .hostedZoneId(d.endpointType().equals("EDGE") ? CustomDomains.CLOUDFRONT_HOSTED_ZONE : CustomDomains.REGIONAL_HOSTED_ZONE)
                .securityPolicy(d.securityPolicy())
                .build();
        return DomainName.builder()
                .apiMappingSelectionExpression("$request.basepath")
                .domainName(d.name())
                .domainNameArn(d.arn())
                .domainNameConfigurations(List.of(config))
                .tags(d.tags())
                .build();
    }

    static ApiMapping view(Mapping m) {
        return ApiMapping.builder().apiId(m.apiId()).apiMappingId(m.id()).apiMappingKey(m.key()).stage(m.stage()).build();
    }

    /** The same members in the operation's own result type (Create/Get/Update answers are separate generated types). */
    static <T, R> R as(Shape<T> from, T value, Shape<R> to) {
        return TreeConverter.fromTree(to, TreeConverter.toTree(from, value));
    }
}
