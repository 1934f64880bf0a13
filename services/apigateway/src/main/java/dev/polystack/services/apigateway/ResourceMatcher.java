package dev.polystack.services.apigateway;

import dev.polystack.services.apigateway.RestApi.FrozenResource;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Finds the deployed resource a request path belongs to, as API Gateway does: a literal path part beats a
 * {@code {variable}}, which beats a greedy {@code {proxy+}} (matching one or more remaining parts).
 */
final class ResourceMatcher {
    record Match(FrozenResource resource, Map<String, String> pathParameters) {
    }

    private ResourceMatcher() {
    }

    static Match match(Collection<FrozenResource> resources, String requestPath) {
        String[] parts = split(requestPath);
        Match best = null;
        long bestScore = -1;
        for (FrozenResource r : resources) {
            Map<String, String> params = new LinkedHashMap<>();
            long score = score(split(r.path()), parts, params);
            if (score > bestScore) {
                bestScore = score;
                best = new Match(r, params);
            }
        }
        return best;
    }

    private static String[] split(String path) {
        String trimmed = path.startsWith("/") ? path.substring(1) : path;
        if (trimmed.endsWith("/")) trimmed = trimmed.substring(0, trimmed.length() - 1);
        return trimmed.isEmpty() ? new String[0] : trimmed.split("/", -1);
    }

    /** A score where earlier parts weigh more (literal 3, variable 2, greedy 1), or -1 for no match. */
    private static long score(String[] template, String[] parts, Map<String, String> params) {
        long score = 0;
        for (int i = 0; i < template.length; i++) {
            String t = template[i];
            if (t.startsWith("{") && t.endsWith("+}")) {
                if (i >= parts.length) return -1;
                StringBuilder rest = new StringBuilder();
                for (int j = i; j < parts.length; j++) {
                    if (j > i) rest.append('/');
                    rest.append(decode(parts[j]));
                }
                params.put(t.substring(1, t.length() - 2), rest.toString());
                return score * 4 + 1;
            }
            if (i >= parts.length) return -1;
            if (t.startsWith("{") && t.endsWith("}")) {
                params.put(t.substring(1, t.length() - 1), decode(parts[i]));
                score = score * 4 + 2;
            } else if (t.equals(parts[i]) || t.equals(decode(parts[i]))) {
                score = score * 4 + 3;
            } else {
                return -1;
            }
        }
        if (template.length != parts.length) return -1;
        return score;
    }

    private static String decode(String part) {
        try {
            return URLDecoder.decode(part.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return part;
        }
    }
}
