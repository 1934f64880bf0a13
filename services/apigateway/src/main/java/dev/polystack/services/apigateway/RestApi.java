package dev.polystack.services.apigateway;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One REST API: its own document (what GetRestApi answers) and everything that hangs off it. Mutations hold
 * the API's monitor, so a resource tree is never seen half-changed; deployments keep a frozen copy of the tree.
 */
final class RestApi {
    final String id;
    final Map<String, Object> doc;
    /** Resources by id, in creation order (GetResources lists them so). */
    final Map<String, Resource> resources = new LinkedHashMap<>();
    final Map<String, Map<String, Object>> models = new LinkedHashMap<>();
    final Map<String, Map<String, Object>> validators = new LinkedHashMap<>();
    final Map<String, Map<String, Object>> authorizers = new LinkedHashMap<>();
    final Map<String, Deployment> deployments = new LinkedHashMap<>();
    final Map<String, Map<String, Object>> stages = new LinkedHashMap<>();
    final Map<String, Map<String, Object>> gatewayResponses = new LinkedHashMap<>();

    RestApi(String id, Map<String, Object> doc) {
        this.id = id;
        this.doc = doc;
    }

    Resource root() {
        for (Resource r : resources.values()) {
            if (r.parentId == null) return r;
        }
        throw new IllegalStateException("REST API " + id + " has no root resource");
    }

    /** The resource's full path, from its ancestors' path parts. */
    String pathOf(Resource r) {
        if (r.parentId == null) return "/";
        Resource parent = resources.get(r.parentId);
        String base = parent == null ? "" : pathOf(parent);
        return (base.equals("/") ? "" : base) + "/" + r.pathPart;
    }

    List<Resource> childrenOf(String resourceId) {
        List<Resource> out = new ArrayList<>();
        for (Resource r : resources.values()) {
            if (resourceId.equals(r.parentId)) out.add(r);
        }
        return out;
    }

    /** A resource of the API: path part, methods (each with its integration and responses). */
    static final class Resource {
        final String id;
        String parentId;
        String pathPart;
        /** HTTP method → method document (with {@code methodIntegration} and {@code methodResponses} inside). */
        final Map<String, Map<String, Object>> methods = new LinkedHashMap<>();

        Resource(String id, String parentId, String pathPart) {
            this.id = id;
            this.parentId = parentId;
            this.pathPart = pathPart;
        }
    }

    /** A deployment: its document and the resource tree as it was when deployed (what its stages serve). */
    static final class Deployment {
        final Map<String, Object> doc;
        final Map<String, FrozenResource> resources;

        Deployment(Map<String, Object> doc, Map<String, FrozenResource> resources) {
            this.doc = doc;
            this.resources = resources;
        }
    }

    /** A resource as deployed: its full path and deep copies of its methods. */
    record FrozenResource(String id, String path, Map<String, Map<String, Object>> methods) {
    }

    Map<String, FrozenResource> freeze() {
        Map<String, FrozenResource> out = new LinkedHashMap<>();
        for (Resource r : resources.values()) {
            Map<String, Map<String, Object>> methods = new LinkedHashMap<>();
            r.methods.forEach((k, v) -> methods.put(k, Docs.copy(v)));
            out.put(r.id, new FrozenResource(r.id, pathOf(r), methods));
        }
        return out;
    }
}
