package dev.polystack.services.sns;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * AWS's HTTP/S delivery policy (the topic's {@code DeliveryPolicy} "http" section and the subscription's own
 * {@code DeliveryPolicy}): validation with AWS's InvalidParameter answers, the stored (normalised) form, the
 * effective policy reported in the attributes, and the retry schedule that delivery follows.
 *
 * <p>Retries run in four phases (AWS's "Creating an HTTP/S delivery policy"): {@code numNoDelayRetries} at once,
 * {@code numMinDelayRetries} {@code minDelayTarget} seconds apart, a backoff phase of the remaining retries whose
 * delays climb from {@code minDelayTarget} to {@code maxDelayTarget} along {@code backoffFunction}, then
 * {@code numMaxDelayRetries} {@code maxDelayTarget} seconds apart. AWS adds jitter; we don't, so a schedule is
 * reproducible.
 */
final class DeliveryPolicy {
    private static final ObjectMapper JSON = new ObjectMapper();
    static final int MAX_RETRIES = 100;
    static final int MAX_DELAY_SECONDS = 3600;
    static final String DEFAULT_CONTENT_TYPE = "text/plain; charset=UTF-8";
    private static final Set<String> BACKOFF_FUNCTIONS = Set.of("linear", "arithmetic", "geometric", "exponential");

    /** The healthy retry policy, with AWS's defaults (3 retries, 20 s apart) for what a policy leaves out. */
    record Retry(int numRetries, int numNoDelayRetries, int numMinDelayRetries, int numMaxDelayRetries,
                 int minDelayTarget, int maxDelayTarget, String backoffFunction) {
        static final Retry DEFAULT = new Retry(3, 0, 0, 0, 20, 20, "linear");

        /** This policy with the fields {@code node} sets laid over it (no validation). */
        Retry overlay(JsonNode node) {
            if (node == null || !node.isObject()) return this;
            return new Retry(node.path("numRetries").asInt(numRetries),
                    node.path("numNoDelayRetries").asInt(numNoDelayRetries),
                    node.path("numMinDelayRetries").asInt(numMinDelayRetries),
                    node.path("numMaxDelayRetries").asInt(numMaxDelayRetries),
                    node.path("minDelayTarget").asInt(minDelayTarget),
                    node.path("maxDelayTarget").asInt(maxDelayTarget),
                    node.path("backoffFunction").asText(backoffFunction));
        }

        /** Seconds to wait before each retry, one entry per retry. */
        List<Double> delays() {
            List<Double> out = new ArrayList<>(numRetries);
            int backoff = Math.max(0, numRetries - numNoDelayRetries - numMinDelayRetries - numMaxDelayRetries);
            for (int i = 0; i < numNoDelayRetries && out.size() < numRetries; i++) out.add(0.0);
            for (int i = 0; i < numMinDelayRetries && out.size() < numRetries; i++) out.add((double) minDelayTarget);
            for (int i = 0; i < backoff; i++) out.add(backoffDelay(i, backoff));
            while (out.size() < numRetries) out.add((double) maxDelayTarget);
            return out;
        }

        /** Retry {@code i} (0-based) of {@code count} in the backoff phase: from minDelayTarget to maxDelayTarget. */
        private double backoffDelay(int i, int count) {
            double min = minDelayTarget, max = maxDelayTarget;
            if (count == 1 || min == max) return min;
            double x = (double) i / (count - 1);
            double f = switch (backoffFunction) {
                // quadratic: the step between two delays grows by the same amount each time
                case "arithmetic" -> x * x;
                // the same ratio between two consecutive delays
                case "geometric" -> (Math.pow(max / min, x) - 1) / (max / min - 1);
                // the step doubles each time
                case "exponential" -> (Math.pow(2, x * (count - 1)) - 1) / (Math.pow(2, count - 1) - 1);
                default -> x;
            };
            return min + (max - min) * f;
        }

        double totalSeconds() {
            return delays().stream().mapToDouble(Double::doubleValue).sum();
        }

        ObjectNode toJson() {
            ObjectNode n = JSON.createObjectNode();
            n.put("minDelayTarget", minDelayTarget).put("maxDelayTarget", maxDelayTarget).put("numRetries", numRetries)
                    .put("numMaxDelayRetries", numMaxDelayRetries).put("numNoDelayRetries", numNoDelayRetries)
                    .put("numMinDelayRetries", numMinDelayRetries).put("backoffFunction", backoffFunction);
            return n;
        }
    }

    /** What HTTP/S delivery to one subscription follows. {@code maxReceivesPerSecond} is 0 when unthrottled. */
    record Http(Retry retry, int maxReceivesPerSecond, String contentType) {
    }

    private DeliveryPolicy() {
    }

    // ---------------------------------------------------------------- validation and stored form

    /**
     * Validates a topic's DeliveryPolicy and returns the form AWS stores and reports: null members dropped and
     * {@code http.disableSubscriptionOverrides} added (false) when absent.
     *
     * @param prefix "Attributes Reason: " inside CreateTopic, "" in SetTopicAttributes (AWS's wording)
     */
    static String normalizeTopic(String text, String prefix) {
        JsonNode root = parseObject(text, prefix);
        ObjectNode out = JSON.createObjectNode();
        for (var e : root.properties()) {
            if (e.getValue().isNull()) continue;
            if (!e.getKey().equals("http")) {
                out.set(e.getKey(), e.getValue());
                continue;
            }
            JsonNode http = e.getValue();
            if (!http.isObject()) throw invalid(prefix, "http: must be an object");
            ObjectNode h = out.putObject("http");
            copyIfSet(h, http, "defaultHealthyRetryPolicy");
            copyIfSet(h, http, "defaultSicklyRetryPolicy");
            copyIfSet(h, http, "defaultThrottlePolicy");
            JsonNode disable = http.get("disableSubscriptionOverrides");
            if (disable != null && !disable.isNull() && !disable.isBoolean()) {
                throw invalid(prefix, "http.disableSubscriptionOverrides: must be a boolean");
            }
            h.put("disableSubscriptionOverrides", disable != null && disable.asBoolean());
            copyIfSet(h, http, "defaultRequestPolicy");
            http.properties().forEach(p -> {
                if (!h.has(p.getKey()) && !p.getValue().isNull()) h.set(p.getKey(), p.getValue());
            });
            validateRetry(h.get("defaultHealthyRetryPolicy"), "http.defaultHealthyRetryPolicy", prefix);
            validateThrottle(h.get("defaultThrottlePolicy"), "http.defaultThrottlePolicy", prefix);
            validateRequest(h.get("defaultRequestPolicy"), "http.defaultRequestPolicy", prefix);
        }
        return out.toString();
    }

    /**
     * Validates a subscription's DeliveryPolicy and returns the form AWS stores and reports: every member present
     * (null when not given), {@code guaranteed} false by default. A new policy replaces the old one whole.
     */
    static String normalizeSubscription(String text, String prefix) {
        JsonNode root = parseObject(text, prefix);
        validateRetry(root.get("healthyRetryPolicy"), "healthyRetryPolicy", prefix);
        validateThrottle(root.get("throttlePolicy"), "throttlePolicy", prefix);
        validateRequest(root.get("requestPolicy"), "requestPolicy", prefix);
        ObjectNode out = JSON.createObjectNode();
        for (String key : List.of("healthyRetryPolicy", "sicklyRetryPolicy", "throttlePolicy", "requestPolicy")) {
            JsonNode v = root.get(key);
            out.set(key, v == null ? NullNode.getInstance() : v);
        }
        JsonNode guaranteed = root.get("guaranteed");
        out.put("guaranteed", guaranteed != null && guaranteed.asBoolean());
        return out.toString();
    }

    private static JsonNode parseObject(String text, String prefix) {
        JsonNode node;
        try {
            node = JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw invalid(prefix, "failed to parse JSON. " + e.getOriginalMessage());
        }
        if (node == null || !node.isObject()) throw invalid(prefix, "failed to parse JSON. Expected a JSON object");
        return node;
    }

    private static void copyIfSet(ObjectNode target, JsonNode source, String key) {
        JsonNode v = source.get(key);
        if (v != null && !v.isNull()) target.set(key, v);
    }

    private static void validateRetry(JsonNode policy, String path, String prefix) {
        if (policy == null || policy.isNull()) return;
        if (!policy.isObject()) throw invalid(prefix, path + ": must be an object");
        for (String field : List.of("numRetries", "numNoDelayRetries", "numMinDelayRetries", "numMaxDelayRetries",
                "minDelayTarget", "maxDelayTarget")) {
            JsonNode v = policy.get(field);
            if (v != null && !v.isNull() && !v.canConvertToInt()) {
                throw invalid(prefix, path + "." + field + " must be an integer");
            }
            if (v != null && v.isNumber() && !v.isIntegralNumber()) {
                throw invalid(prefix, path + "." + field + " must be an integer");
            }
        }
        JsonNode fn = policy.get("backoffFunction");
        if (fn != null && !fn.isNull() && !BACKOFF_FUNCTIONS.contains(fn.asText())) {
            throw invalid(prefix, path + ".backoffFunction must be one of: linear, arithmetic, geometric, exponential");
        }
        Retry r = Retry.DEFAULT.overlay(policy);
        atLeast(r.minDelayTarget, 1, path + ".minDelayTarget", prefix);
        atMost(r.minDelayTarget, MAX_DELAY_SECONDS, path + ".minDelayTarget", prefix);
        atLeast(r.maxDelayTarget, 1, path + ".maxDelayTarget", prefix);
        atMost(r.maxDelayTarget, MAX_DELAY_SECONDS, path + ".maxDelayTarget", prefix);
        if (r.minDelayTarget > r.maxDelayTarget) {
            throw invalid(prefix, path + ".maxDelayTarget must be greater than or equal to minDelayTarget");
        }
        atLeast(r.numRetries, 0, path + ".numRetries", prefix);
        atMost(r.numRetries, MAX_RETRIES, path + ".numRetries", prefix);
        atLeast(r.numNoDelayRetries, 0, path + ".numNoDelayRetries", prefix);
        atLeast(r.numMinDelayRetries, 0, path + ".numMinDelayRetries", prefix);
        atLeast(r.numMaxDelayRetries, 0, path + ".numMaxDelayRetries", prefix);
        if (r.numNoDelayRetries + r.numMinDelayRetries + r.numMaxDelayRetries > r.numRetries) {
            throw invalid(prefix, path + ": numNoDelayRetries + numMinDelayRetries + numMaxDelayRetries must be less than or equal to numRetries");
        }
        if (r.totalSeconds() > MAX_DELAY_SECONDS) {
            throw invalid(prefix, path + ": Total policy retry time cannot be greater than " + MAX_DELAY_SECONDS + " seconds");
        }
    }

    private static void validateThrottle(JsonNode policy, String path, String prefix) {
        if (policy == null || policy.isNull()) return;
        if (!policy.isObject()) throw invalid(prefix, path + ": must be an object");
        JsonNode rate = policy.get("maxReceivesPerSecond");
        if (rate == null || rate.isNull()) return;
        if (!rate.canConvertToInt() || (rate.isNumber() && !rate.isIntegralNumber())) {
            throw invalid(prefix, path + ".maxReceivesPerSecond must be an integer");
        }
        atLeast(rate.asInt(), 1, path + ".maxReceivesPerSecond", prefix);
    }

    private static void validateRequest(JsonNode policy, String path, String prefix) {
        if (policy == null || policy.isNull()) return;
        if (!policy.isObject()) throw invalid(prefix, path + ": must be an object");
        JsonNode type = policy.get("headerContentType");
        if (type != null && !type.isNull() && (!type.isTextual() || type.textValue().isBlank())) {
            throw invalid(prefix, path + ".headerContentType must be a content type");
        }
    }

    private static void atLeast(int value, int min, String what, String prefix) {
        if (value < min) throw invalid(prefix, what + " must be greater than or equal to " + min);
    }

    private static void atMost(int value, int max, String what, String prefix) {
        if (value > max) throw invalid(prefix, what + " must be less than or equal to " + max);
    }

    private static RuntimeException invalid(String prefix, String reason) {
        return SnsErrors.invalid("Invalid parameter: " + prefix + "DeliveryPolicy: " + reason);
    }

    // ---------------------------------------------------------------- effective policies

    private static JsonNode read(String text) {
        if (text == null || text.isEmpty()) return JSON.createObjectNode();
        try {
            JsonNode n = JSON.readTree(text);
            return n != null && n.isObject() ? n : JSON.createObjectNode();
        } catch (JsonProcessingException e) {
            return JSON.createObjectNode(); // stored only after validation
        }
    }

    private static JsonNode present(JsonNode n) {
        return n == null || n.isNull() || n.isMissingNode() ? null : n;
    }

    /** The topic's EffectiveDeliveryPolicy: its DeliveryPolicy over AWS's defaults. */
    static ObjectNode effectiveTopic(String topicPolicy) {
        JsonNode given = read(topicPolicy);
        JsonNode http = given.path("http");
        ObjectNode root = JSON.createObjectNode();
        given.properties().forEach(e -> {
            if (!e.getKey().equals("http")) root.set(e.getKey(), e.getValue());
        });
        ObjectNode h = root.putObject("http");
        h.set("defaultHealthyRetryPolicy", Retry.DEFAULT.overlay(present(http.get("defaultHealthyRetryPolicy"))).toJson());
        if (present(http.get("defaultSicklyRetryPolicy")) != null) h.set("defaultSicklyRetryPolicy", http.get("defaultSicklyRetryPolicy"));
        if (present(http.get("defaultThrottlePolicy")) != null) h.set("defaultThrottlePolicy", http.get("defaultThrottlePolicy"));
        h.put("disableSubscriptionOverrides", http.path("disableSubscriptionOverrides").asBoolean(false));
        ObjectNode request = h.putObject("defaultRequestPolicy");
        request.put("headerContentType", DEFAULT_CONTENT_TYPE);
        JsonNode givenRequest = present(http.get("defaultRequestPolicy"));
        if (givenRequest != null) givenRequest.properties().forEach(e -> request.set(e.getKey(), e.getValue()));
        return root;
    }

    /**
     * A subscription's EffectiveDeliveryPolicy, in the subscription's form: each member its own when set (and the
     * topic allows overrides), else the topic's default.
     */
    static ObjectNode effectiveSubscription(String topicPolicy, String subscriptionPolicy) {
        JsonNode topicHttp = effectiveTopic(topicPolicy).get("http");
        boolean overrides = !topicHttp.path("disableSubscriptionOverrides").asBoolean(false);
        JsonNode own = overrides ? read(subscriptionPolicy) : JSON.createObjectNode();
        ObjectNode out = JSON.createObjectNode();
        Retry topicRetry = Retry.DEFAULT.overlay(topicHttp.get("defaultHealthyRetryPolicy"));
        out.set("healthyRetryPolicy", topicRetry.overlay(present(own.get("healthyRetryPolicy"))).toJson());
        out.set("sicklyRetryPolicy", firstPresent(own.get("sicklyRetryPolicy"), topicHttp.get("defaultSicklyRetryPolicy")));
        out.set("throttlePolicy", firstPresent(own.get("throttlePolicy"), topicHttp.get("defaultThrottlePolicy")));
        out.set("requestPolicy", firstPresent(own.get("requestPolicy"), topicHttp.get("defaultRequestPolicy")));
        out.put("guaranteed", own.path("guaranteed").asBoolean(false));
        return out;
    }

    private static JsonNode firstPresent(JsonNode a, JsonNode b) {
        if (present(a) != null) return a;
        if (present(b) != null) return b;
        return NullNode.getInstance();
    }

    /** What delivery to an HTTP/S subscription follows. */
    static Http forDelivery(String topicPolicy, String subscriptionPolicy) {
        ObjectNode effective = effectiveSubscription(topicPolicy, subscriptionPolicy);
        Retry retry = Retry.DEFAULT.overlay(effective.get("healthyRetryPolicy"));
        int rate = effective.path("throttlePolicy").path("maxReceivesPerSecond").asInt(0);
        String type = effective.path("requestPolicy").path("headerContentType").asText(DEFAULT_CONTENT_TYPE);
        return new Http(retry, Math.max(0, rate), type);
    }
}
