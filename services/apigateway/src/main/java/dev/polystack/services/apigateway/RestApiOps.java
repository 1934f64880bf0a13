package dev.polystack.services.apigateway;

import dev.polystack.services.apigateway.api.*;
import dev.polystack.services.apigateway.RestApi.Resource;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static dev.polystack.services.apigateway.Docs.str;

/** REST APIs and their resource trees: Create/Get/Update/Delete RestApi and Resource. */
final class RestApiOps {
    static final int MAX_COMPRESSION = 10485760;

    private RestApiOps() {
    }

    static Map<String, Object> createRestApi(ApiGatewayState state, CreateRestApiRequest in) {
        String description = in.description();
        if (description != null && description.isEmpty()) throw ApiGatewayErrors.badRequest("Description cannot be an empty string");
        String name = in.name();
        if (name == null || name.isEmpty()) throw ApiGatewayErrors.badRequest("Name cannot be empty");
        Object compression = in.minimumCompressionSize();
        if (compression instanceof Number n && (n.longValue() < 0 || n.longValue() > MAX_COMPRESSION)) {
            throw ApiGatewayErrors.badRequest("Invalid minimum compression size, must be between 0 and " + MAX_COMPRESSION);
        }
        Map<String, Object> endpoint = endpointConfiguration(in.endpointConfiguration(), "createRestApiInput");

        String id = Ids.apiId();
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("id", id);
        doc.put("name", name);
        Docs.putIfPresent(doc, "description", description);
        doc.put("createdDate", Docs.nowSeconds());
        Docs.putIfPresent(doc, "version", in.version());
        List<?> binary = in.binaryMediaTypes();
        if (binary != null && !binary.isEmpty()) doc.put("binaryMediaTypes", new ArrayList<>(binary));
        Docs.putIfPresent(doc, "minimumCompressionSize", compression);
        doc.put("apiKeySource", java.util.Objects.requireNonNullElse(in.apiKeySourceAsString(), "HEADER"));
        doc.put("endpointConfiguration", endpoint);
        Docs.putIfPresent(doc, "policy", in.policy());
        Map<String, ?> tags = in.tags();
        if (tags != null && !tags.isEmpty()) doc.put("tags", new LinkedHashMap<>(tags));
        doc.put("disableExecuteApiEndpoint", java.util.Objects.requireNonNullElse(in.disableExecuteApiEndpoint(), false));

        RestApi api = new RestApi(id, doc);
        ComponentOps.addDefaultModels(api);
        Resource root = new Resource(Ids.of(10), null, null);
        api.resources.put(root.id, root);
        doc.put("rootResourceId", root.id);
        state.restApis.put(id, api);
        return Docs.copy(doc);
    }

    private static Map<String, Object> endpointConfiguration(EndpointConfiguration given, String inputName) {
        List<String> types = given == null ? null : given.typesAsStrings();
        String ipType = given == null ? null : given.ipAddressTypeAsString();
        Validation v = new Validation();
        if (types != null) {
            for (Object t : types) {
                if (!List.of("PRIVATE", "EDGE", "REGIONAL").contains(String.valueOf(t))) {
                    v.raw("Value '" + types + "' at '" + inputName + ".endpointConfiguration.types' failed to satisfy constraint: "
                            + "Member must satisfy constraint: [Member must satisfy enum value set: [PRIVATE, EDGE, REGIONAL]]");
                    break;
                }
            }
        }
        if (ipType != null && !ipType.equals("ipv4") && !ipType.equals("dualstack")) {
            v.enumValue(ipType, inputName + ".endpointConfiguration.ipAddressType", "ipv4, dualstack");
        }
        v.throwIfAny();
        if (types != null && types.size() > 1) throw ApiGatewayErrors.badRequest("Cannot create an api with multiple Endpoint Types.");
        String type = types == null || types.isEmpty() ? "EDGE" : String.valueOf(types.get(0));
        if (type.equals("PRIVATE") && "ipv4".equals(ipType)) {
            throw ApiGatewayErrors.badRequest("Only dualstack ipAddressType is supported for Private APIs.");
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("types", new ArrayList<>(List.of(type)));
        out.put("ipAddressType", ipType != null ? ipType : type.equals("PRIVATE") ? "dualstack" : "ipv4");
        if (given != null && given.vpcEndpointIds() != null) out.put("vpcEndpointIds", new ArrayList<>(given.vpcEndpointIds()));
        return out;
    }

    static Map<String, Object> getRestApi(ApiGatewayState state, GetRestApiRequest in) {
        RestApi api = state.api(in.restApiId());
        synchronized (api) {
            return Docs.copy(api.doc);
        }
    }

    static Map<String, Object> getRestApis(ApiGatewayState state, GetRestApisRequest in) {
        List<Map<String, Object>> all = new ArrayList<>();
        List<RestApi> apis = new ArrayList<>(state.restApis.values());
        apis.sort((a, b) -> Long.compare(((Number) a.doc.get("createdDate")).longValue(), ((Number) b.doc.get("createdDate")).longValue()));
        for (RestApi api : apis) {
            synchronized (api) {
                all.add(Docs.copy(api.doc));
            }
        }
        return Paging.page(all, in.position(), in.limit());
    }

    static Map<String, Object> updateRestApi(ApiGatewayState state, UpdateRestApiRequest in) {
        List<Patch.Op> ops = Patch.read(in.patchOperations(), "updateRestApiInput", null);
        RestApi api = state.api(in.restApiId());
        synchronized (api) {
            Map<String, Object> doc = Docs.copy(api.doc);
            for (Patch.Op op : ops) applyRestApiPatch(doc, op);
            doc.putIfAbsent("tags", new LinkedHashMap<>());
            api.doc.clear();
            api.doc.putAll(doc);
            return Docs.copy(api.doc);
        }
    }

    private static void applyRestApiPatch(Map<String, Object> doc, Patch.Op op) {
        String member = op.member();
        String key = op.key();
        switch (member) {
            case "name", "description", "version", "policy", "apiKeySource" -> {
                if (key != null) throw ApiGatewayErrors.badRequest("Invalid patch path " + op.path());
                if (op.op().equals("remove") || op.value() == null) doc.remove(member);
                else doc.put(member, op.value());
            }
            case "minimumCompressionSize" -> {
                if (op.op().equals("remove") || op.value() == null || op.value().isEmpty()) {
                    doc.remove(member);
                    return;
                }
                long size;
                try {
                    size = Long.parseLong(op.value());
                } catch (NumberFormatException e) {
                    throw ApiGatewayErrors.badRequest("Invalid minimum compression size, must be between 0 and " + MAX_COMPRESSION);
                }
                if (size < 0 || size > MAX_COMPRESSION) {
                    throw ApiGatewayErrors.badRequest("Invalid minimum compression size, must be between 0 and " + MAX_COMPRESSION);
                }
                doc.put(member, size);
            }
            case "disableExecuteApiEndpoint" -> doc.put(member, Boolean.parseBoolean(op.value()));
            case "binaryMediaTypes" -> {
                if (key == null) throw ApiGatewayErrors.badRequest("Invalid patch path " + op.path());
                List<Object> types = Docs.list(doc, member);
                if (types == null) {
                    types = new ArrayList<>();
                    doc.put(member, types);
                }
                switch (op.op()) {
                    case "add" -> {
                        if (!types.contains(key)) types.add(key);
                    }
                    case "remove" -> types.remove(key);
                    case "replace" -> {
                        int at = types.indexOf(key);
                        if (at >= 0) types.set(at, op.value());
                        else types.add(op.value());
                    }
                    default -> throw ApiGatewayErrors.badRequest("Invalid patch operation specified. Must be 'add'|'remove'|'replace'");
                }
                if (types.isEmpty()) doc.remove(member);
            }
            case "endpointConfiguration" -> {
                Map<String, Object> endpoint = Docs.mapOrNew(doc, member);
                if ("types/0".equals(key) || "types".equals(key)) endpoint.put("types", new ArrayList<>(List.of(op.value())));
                else if ("ipAddressType".equals(key)) endpoint.put("ipAddressType", op.value());
                else throw ApiGatewayErrors.badRequest("Invalid patch path " + op.path());
            }
            default -> throw ApiGatewayErrors.badRequest("Invalid patch path " + op.path());
        }
    }

    static Map<String, Object> deleteRestApi(ApiGatewayState state, DeleteRestApiRequest in) {
        RestApi api = state.api(in.restApiId());
        state.restApis.remove(api.id);
        return Map.of();
    }

    // ---- resources ----

    static Resource resource(RestApi api, String resourceId) {
        Resource r = resourceId == null ? null : api.resources.get(resourceId);
        if (r == null) throw ApiGatewayErrors.resourceNotFound();
        return r;
    }

    static Map<String, Object> resourceDoc(RestApi api, Resource r, boolean embedMethods) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", r.id);
        Docs.putIfPresent(out, "parentId", r.parentId);
        Docs.putIfPresent(out, "pathPart", r.pathPart);
        out.put("path", api.pathOf(r));
        if (!r.methods.isEmpty()) {
            Map<String, Object> methods = new LinkedHashMap<>();
            r.methods.forEach((m, doc) -> methods.put(m, embedMethods ? Docs.copy(doc) : new LinkedHashMap<>()));
            out.put("resourceMethods", methods);
        }
        return out;
    }

    static Map<String, Object> createResource(ApiGatewayState state, CreateResourceRequest in) {
        RestApi api = state.api(in.restApiId());
        String pathPart = in.pathPart();
        synchronized (api) {
            Resource parent = resource(api, in.parentId());
            checkNewChild(api, parent, pathPart, null);
            Resource r = new Resource(Ids.shortId(), parent.id, pathPart);
            api.resources.put(r.id, r);
            return resourceDoc(api, r, false);
        }
    }

    /** AWS's rules for a path part under a parent: unique names, one variable part, nothing under a greedy one. */
    private static void checkNewChild(RestApi api, Resource parent, String pathPart, String movingId) {
        if (parent.pathPart != null && parent.pathPart.endsWith("+}")) {
            throw ApiGatewayErrors.badRequest("Cannot create a child of a resource with a greedy path variable: " + parent.pathPart);
        }
        boolean variable = pathPart != null && pathPart.startsWith("{");
        for (Resource sibling : api.childrenOf(parent.id)) {
            if (sibling.id.equals(movingId)) continue;
            if (sibling.pathPart.equals(pathPart)) {
                throw ApiGatewayErrors.conflict("Another resource with the same parent already has this name: " + pathPart);
            }
            if (variable && sibling.pathPart.startsWith("{")) {
                throw ApiGatewayErrors.badRequest("A sibling (" + sibling.pathPart + ") of this resource already has a variable path part -- only one is allowed");
            }
        }
    }

    static Map<String, Object> getResource(ApiGatewayState state, GetResourceRequest in) {
        RestApi api = state.api(in.restApiId());
        synchronized (api) {
            return resourceDoc(api, resource(api, in.resourceId()), embedsMethods(in.embed()));
        }
    }

    private static boolean embedsMethods(List<String> embed) {
        return embed != null && embed.contains("methods");
    }

    static Map<String, Object> getResources(ApiGatewayState state, GetResourcesRequest in) {
        RestApi api = state.api(in.restApiId());
        List<Map<String, Object>> all = new ArrayList<>();
        synchronized (api) {
            for (Resource r : api.resources.values()) all.add(resourceDoc(api, r, embedsMethods(in.embed())));
        }
        return Paging.page(all, in.position(), in.limit());
    }

    static Map<String, Object> updateResource(ApiGatewayState state, UpdateResourceRequest in) {
        List<Patch.Op> ops = Patch.read(in.patchOperations(), "updateResourceInput", null);
        RestApi api = state.api(in.restApiId());
        synchronized (api) {
            Resource r = resource(api, in.resourceId());
            String parentId = r.parentId;
            String pathPart = r.pathPart;
            for (Patch.Op op : ops) {
                if (!op.op().equals("replace")) {
                    throw ApiGatewayErrors.badRequest("Invalid patch path  '" + op.path() + "' specified for op '" + op.op() + "'. Please choose supported operations");
                }
                switch (op.path()) {
                    case "/parentId" -> {
                        if (r.parentId == null) throw ApiGatewayErrors.badRequest("Root resource cannot update its parentId.");
                        parentId = op.value();
                    }
                    case "/pathPart" -> {
                        if (r.parentId == null) throw ApiGatewayErrors.badRequest("Root resource cannot update its pathPart.");
                        pathPart = op.value();
                    }
                    default -> throw ApiGatewayErrors.badRequest("Invalid patch path  '" + op.path() + "' specified for op 'replace'. Must be one of: [/parentId, /pathPart]");
                }
            }
            Resource parent = resource(api, parentId);
            for (String at = parent.id; at != null; at = api.resources.get(at).parentId) {
                if (at.equals(r.id)) throw ApiGatewayErrors.badRequest("Resources cannot be cyclical.");
            }
            checkNewChild(api, parent, pathPart, r.id);
            r.parentId = parentId;
            r.pathPart = pathPart;
            return resourceDoc(api, r, false);
        }
    }

    static Map<String, Object> deleteResource(ApiGatewayState state, DeleteResourceRequest in) {
        RestApi api = state.api(in.restApiId());
        synchronized (api) {
            Resource r = resource(api, in.resourceId());
            if (r.parentId == null) throw ApiGatewayErrors.badRequest("Cannot delete root resource");
            deleteTree(api, r.id);
        }
        return Map.of();
    }

    private static void deleteTree(RestApi api, String resourceId) {
        for (Resource child : api.childrenOf(resourceId)) deleteTree(api, child.id);
        api.resources.remove(resourceId);
    }
}
