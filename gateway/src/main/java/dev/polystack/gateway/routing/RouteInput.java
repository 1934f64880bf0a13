package dev.polystack.gateway.routing;

import dev.polystack.api.HttpRequestData;
import dev.polystack.protocol.ServiceCatalog;

import java.util.List;
import java.util.Locale;

/** One request as the routing rules see it: the request, its credential, its host name, the catalog. */
public final class RouteInput {
    private final HttpRequestData request;
    private final Credential credential;
    private final String host;
    private final ServiceCatalog catalog;
    private String action;
    private boolean actionRead;
    private java.util.Map<String, List<String>> form;

    public RouteInput(HttpRequestData request, Credential credential, ServiceCatalog catalog) {
        this.request = request;
        this.credential = credential;
        this.catalog = catalog;
        this.host = hostName(request.header("Host"));
    }

    public HttpRequestData request() { return request; }

    public Credential credential() { return credential; }

    /** The Host header's name, lower case, without port; empty when absent. */
    public String host() { return host; }

    public ServiceCatalog catalog() { return catalog; }

    /** {@code X-Amz-Target}'s text before its last dot, or null. */
    public String targetPrefix() {
        String target = request.header("X-Amz-Target");
        if (target == null) return null;
        int dot = target.lastIndexOf('.');
        return dot <= 0 ? null : target.substring(0, dot);
    }

    /** The {@code Action} parameter from the query or a form-encoded body (buffered: form bodies are small), or null. */
    public String action() {
        if (!actionRead) {
            actionRead = true;
            action = formOrQueryParameter("Action");
        }
        return action;
    }

    /** A query parameter, else the same parameter of a form-encoded body, else null. */
    public String formOrQueryParameter(String name) {
        String value = request.queryParameter(name);
        if (value != null) return value;
        if (!isForm()) return null;
        List<String> values = formParameters().get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    private java.util.Map<String, List<String>> formParameters() {
        if (form == null) {
            form = HttpRequestData.decodeForm(new String(request.bodyBytes(), java.nio.charset.StandardCharsets.UTF_8));
        }
        return form;
    }

    private boolean isForm() {
        String type = request.header("Content-Type");
        return type != null && type.toLowerCase(Locale.ROOT).startsWith("application/x-www-form-urlencoded")
                && !"GET".equals(request.method()) && !"HEAD".equals(request.method());
    }

    static String hostName(String hostHeader) {
        if (hostHeader == null) return "";
        String h = hostHeader.trim().toLowerCase(Locale.ROOT);
        if (h.startsWith("[")) {
            int close = h.indexOf(']');
            return close < 0 ? h : h.substring(0, close + 1);
        }
        int colon = h.lastIndexOf(':');
        return colon < 0 ? h : h.substring(0, colon);
    }
}
