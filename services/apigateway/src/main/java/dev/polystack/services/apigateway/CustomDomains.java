package dev.polystack.services.apigateway;

import dev.polystack.api.ProviderEnvironment;
import dev.polystack.api.RequestContext;
import dev.polystack.api.ServiceException;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * API Gateway's custom domain names and their mappings. On AWS the REST API (v1: base path mappings) and the v2 API
 * (API mappings) manage the same domains, so both providers share this one store and give their own views of it.
 * Each domain's name is claimed from the gateway, so a request to port 4566 whose {@code Host} is the domain is routed
 * to API Gateway and served by the mapped API and stage, its base path stripped (LocalStack's convention).
 *
 * <p>Domains and mappings are immutable records replaced whole under this object's lock; readers never lock.
 */
final class CustomDomains {
    /** AWS's hosted zone of regional API Gateway endpoints in us-east-1 (Route 53 alias target; not served). */
    static final String REGIONAL_HOSTED_ZONE = "Z1UJRXOUMOOFQ8";
    /** CloudFront's hosted zone, the alias target of every edge-optimized domain. */
    static final String CLOUDFRONT_HOSTED_ZONE = "Z2FDTNDATAQYW2";

    /** One mapping of a base path ({@code ""} when none) to an API's stage. */
    record Mapping(String id, String key, String apiId, String stage) {
    }

    /**
     * A custom domain: what both APIs describe it by. {@code endpointType} is EDGE or REGIONAL; {@code gatewayId} names
     * the endpoint AWS would create for it ({@code d-<id>...}).
     */
    record Domain(String account, String region, String name, String endpointType, String certificateArn,
                  String certificateName, String securityPolicy, long createdEpochSeconds, String gatewayId,
                  Map<String, String> tags, List<Mapping> mappings) {
        Domain {
            tags = Map.copyOf(tags == null ? Map.of() : tags);
            mappings = List.copyOf(mappings);
        }

        String arn() {
            return "arn:aws:apigateway:" + region + "::/domainnames/" + name;
        }

        /** The regional endpoint's host name (what a Route 53 alias would point to). */
        String regionalHost() {
            return "d-" + gatewayId + ".execute-api." + region + ".amazonaws.com";
        }

        /** The CloudFront distribution an edge-optimized domain would get. */
        String distributionHost() {
            return "d" + gatewayId + ".cloudfront.net";
        }

        Instant created() {
            return Instant.ofEpochSecond(createdEpochSeconds);
        }

        Mapping mapping(String key) {
            for (Mapping m : mappings) if (m.key().equals(key)) return m;
            return null;
        }

        Mapping mappingById(String id) {
            for (Mapping m : mappings) if (m.id().equals(id)) return m;
            return null;
        }

        Domain withMappings(List<Mapping> changed) {
            return new Domain(account, region, name, endpointType, certificateArn, certificateName, securityPolicy,
                    createdEpochSeconds, gatewayId, tags, changed);
        }

        Domain withTags(Map<String, String> changed) {
            return new Domain(account, region, name, endpointType, certificateArn, certificateName, securityPolicy,
                    createdEpochSeconds, gatewayId, changed, mappings);
        }

        Domain withCertificate(String arn, String certificateName, String securityPolicy) {
            return new Domain(account, region, this.name, endpointType, arn, certificateName, securityPolicy,
                    createdEpochSeconds, gatewayId, tags, mappings);
        }
    }

    private final ProviderEnvironment env;
    /** account/region/lower-case name → domain. */
    private final Map<String, Domain> domains = new ConcurrentHashMap<>();
    /** lower-case host → the domain that serves it (the last created when two accounts share a name). */
    private final Map<String, Domain> byHost = new ConcurrentHashMap<>();

    CustomDomains(ProviderEnvironment env) {
        this.env = env;
    }

    private static String key(String account, String region, String name) {
        return account + "/" + region + "/" + name.toLowerCase(Locale.ROOT);
    }

    static ServiceException domainNotFound() {
        return ApiGatewayErrors.notFound("Invalid domain name identifier specified");
    }

    /** The caller's domain, or AWS's NotFoundException. */
    Domain get(RequestContext context, String name) {
        Domain d = name == null ? null : domains.get(key(context.accountId(), context.region(), name));
        if (d == null) throw domainNotFound();
        return d;
    }

    /** The caller's domains, by name. */
    List<Domain> list(RequestContext context) {
        String prefix = context.accountId() + "/" + context.region() + "/";
        List<Domain> out = new ArrayList<>();
        domains.forEach((k, d) -> {
            if (k.startsWith(prefix)) out.add(d);
        });
        out.sort(Comparator.comparing(Domain::name));
        return out;
    }

    synchronized Domain create(RequestContext context, String name, String endpointType, String certificateArn,
                               String certificateName, String securityPolicy, Map<String, String> tags) {
        if (name == null || name.isBlank()) throw ApiGatewayErrors.badRequest("Invalid domain name identifier specified");
        String k = key(context.accountId(), context.region(), name);
        if (domains.containsKey(k)) throw ApiGatewayErrors.conflict("The domain name you provided already exists.");
        Domain d = new Domain(context.accountId(), context.region(), name.toLowerCase(Locale.ROOT), endpointType,
                certificateArn, certificateName, securityPolicy == null ? "TLS_1_2" : securityPolicy,
                Docs.nowSeconds(), Ids.of(10), tags, List.of());
        put(d);
        return d;
    }

    synchronized void delete(RequestContext context, String name) {
        Domain d = get(context, name);
        domains.remove(key(d.account(), d.region(), d.name()));
        unindex(d);
    }

    /** Replaces a domain by a changed copy (its key fields unchanged). */
    synchronized Domain replace(Domain changed) {
        put(changed);
        return changed;
    }

    /**
     * Adds a mapping. {@code stages} tells which stages the API has (null: no such API). AWS refuses a second mapping
     * of the same base path.
     */
    synchronized Mapping addMapping(RequestContext context, String domainName, String key, String apiId, String stage,
                                    Set<String> stages, ServiceException noApi, ServiceException noStage) {
        Domain d = get(context, domainName);
        if (stages == null) throw noApi;
        if (stage != null && !stages.contains(stage)) throw noStage;
        String normalized = normalizeKey(key);
        if (d.mapping(normalized) != null) throw ApiGatewayErrors.conflict("Base path already exists for this domain name");
        Mapping m = new Mapping(Ids.of(6), normalized, apiId, stage);
        List<Mapping> changed = new ArrayList<>(d.mappings());
        changed.add(m);
        put(d.withMappings(changed));
        return m;
    }

    /** Replaces the mapping {@code old} of the caller's domain with {@code changed}. */
    synchronized Mapping updateMapping(RequestContext context, String domainName, Mapping old, Mapping changed) {
        Domain d = get(context, domainName);
        if (!changed.key().equals(old.key()) && d.mapping(changed.key()) != null) {
            throw ApiGatewayErrors.conflict("Base path already exists for this domain name");
        }
        List<Mapping> mappings = new ArrayList<>();
        for (Mapping m : d.mappings()) mappings.add(m.id().equals(old.id()) ? changed : m);
        put(d.withMappings(mappings));
        return changed;
    }

    synchronized void removeMapping(RequestContext context, String domainName, Mapping gone) {
        Domain d = get(context, domainName);
        List<Mapping> mappings = new ArrayList<>(d.mappings());
        mappings.removeIf(m -> m.id().equals(gone.id()));
        put(d.withMappings(mappings));
    }

    /** A base path as stored: no leading or trailing slash, {@code ""} for none (v1 spells none {@code (none)}). */
    static String normalizeKey(String key) {
        if (key == null || key.equals("(none)")) return "";
        String k = key;
        while (k.startsWith("/")) k = k.substring(1);
        while (k.endsWith("/")) k = k.substring(0, k.length() - 1);
        return k;
    }

    private void put(Domain d) {
        domains.put(key(d.account(), d.region(), d.name()), d);
        byHost.put(d.name(), d);
        env.claimHost(d.name(), "apigateway");
        env.stateChanged("apigateway");
    }

    private void unindex(Domain gone) {
        Domain other = null;
        for (Domain d : domains.values()) if (d.name().equals(gone.name())) other = d;
        if (other != null) {
            byHost.put(other.name(), other);
        } else {
            byHost.remove(gone.name());
            env.claimHost(gone.name(), null);
        }
        env.stateChanged("apigateway");
    }

    // ---- invocation ----

    /** What serves a request to a custom domain: the mapped API's stage, and the path with the base path stripped. */
    record Target(Domain domain, Mapping mapping, String path) {
    }

    /** The domain a request's host names, or null (one emptiness check when there are no domains). */
    Domain forHost(String host) {
        if (byHost.isEmpty() || host == null) return null;
        String h = host.toLowerCase(Locale.ROOT);
        int colon = h.lastIndexOf(':');
        if (colon > 0 && !h.endsWith("]")) h = h.substring(0, colon);
        return byHost.get(h);
    }

    /** The mapping with the longest base path that starts the request path, or null (AWS then answers 403). */
    static Target target(Domain domain, String path) {
        Mapping best = null;
        for (Mapping m : domain.mappings()) {
            String k = m.key();
            boolean matches = k.isEmpty() || path.equals("/" + k) || path.startsWith("/" + k + "/");
            if (matches && (best == null || k.length() > best.key().length())) best = m;
        }
        if (best == null) return null;
        String rest = best.key().isEmpty() ? path : path.substring(1 + best.key().length());
        return new Target(domain, best, rest.isEmpty() ? "/" : rest);
    }

    // ---- persistence: the domains as plain records ----

    Collection<Domain> all() {
        return List.copyOf(domains.values());
    }

    synchronized void restore(Collection<Domain> saved) {
        clear();
        for (Domain d : saved) put(d);
    }

    synchronized void clear() {
        for (Domain d : domains.values()) env.claimHost(d.name(), null);
        domains.clear();
        byHost.clear();
    }
}
