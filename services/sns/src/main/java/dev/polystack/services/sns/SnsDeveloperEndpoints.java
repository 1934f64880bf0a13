package dev.polystack.services.sns;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.polystack.api.Config;
import dev.polystack.api.HttpRequestData;
import dev.polystack.api.HttpResponseData;
import dev.polystack.api.InternalRoute;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * LocalStack's developer endpoints for SNS: confirmation tokens of subscriptions, the SMS and push messages that
 * were "sent" (kept by {@link SnsDelivery.SentMessages}), and the certificate that signs messages.
 */
final class SnsDeveloperEndpoints {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TOKENS_PATH = "/_aws/sns/subscription-tokens/";

    private final SnsResources resources;
    private final SnsDelivery delivery;
    private final SnsSigner signer;

    SnsDeveloperEndpoints(SnsResources resources, SnsDelivery delivery, SnsSigner signer) {
        this.resources = resources;
        this.delivery = delivery;
        this.signer = signer;
    }

    List<InternalRoute> routes() {
        return List.of(
                new InternalRoute("GET", "/_aws/sns/subscription-tokens", this::subscriptionToken),
                new InternalRoute(null, "/_aws/sns/sms-messages", r -> sentMessages(r, delivery.sent.sms, "sms_messages", "phoneNumber")),
                new InternalRoute(null, "/_aws/sns/platform-endpoint-messages",
                        r -> sentMessages(r, delivery.sent.platform, "platform_endpoint_messages", "endpointArn")),
                new InternalRoute("GET", "/_aws/sns/SimpleNotificationService-", this::certificate));
    }

    private HttpResponseData subscriptionToken(HttpRequestData request) {
        String path = request.path();
        String arn = URLDecoder.decode(path.substring(Math.min(path.length(), TOKENS_PATH.length())), StandardCharsets.UTF_8);
        String[] parts = arn.split(":", -1);
        if (parts.length != 7 || !parts[0].equals("arn")) {
            return json(400, Map.of("error", "The provided SubscriptionARN is invalid", "subscription_arn", arn));
        }
        SnsRegion region = resources.peekRegion(parts);
        Subscription s = region == null ? null : region.subscriptions.get(arn);
        if (s == null) return json(404, Map.of("error", "The requested SubscriptionARN does not exist", "subscription_arn", arn));
        return json(200, Map.of("subscription_token", s.token, "subscription_arn", arn));
    }

    /**
     * GET lists the messages of an account and region (default: LocalStack's), DELETE forgets them; {@code filter}
     * ({@code phoneNumber}, {@code endpointArn}) narrows either to one recipient, as LocalStack's endpoints do.
     */
    private static HttpResponseData sentMessages(HttpRequestData request,
                                                 Map<String, Map<String, Map<String, List<Map<String, Object>>>>> sent,
                                                 String field, String filter) {
        String account = request.queryParameter("accountId") != null ? request.queryParameter("accountId") : Config.DEFAULT_ACCOUNT;
        String region = request.queryParameter("region") != null ? request.queryParameter("region") : Config.DEFAULT_REGION;
        String recipient = request.queryParameter(filter);
        String[] arn = recipient != null && recipient.startsWith("arn:") ? recipient.split(":", 6) : null;
        if (arn != null && arn.length == 6) {
            // LocalStack takes an endpoint ARN's own account and region, whatever accountId/region say
            region = arn[3];
            account = arn[4];
        }
        Map<String, List<Map<String, Object>>> messages = sent.getOrDefault(account, Map.of()).getOrDefault(region, Map.of());
        if (request.method().equals("DELETE")) {
            if (recipient != null) messages.remove(recipient);
            else messages.clear();
            return new HttpResponseData(204);
        }
        Map<String, Object> copy = new LinkedHashMap<>();
        if (recipient != null) copy.put(recipient, List.of()); // named even when nothing was sent to it, as LocalStack does
        messages.forEach((k, v) -> {
            if (recipient != null && !recipient.equals(k)) return;
            synchronized (v) {
                copy.put(k, new ArrayList<>(v));
            }
        });
        Map<String, Object> out = new LinkedHashMap<>();
        out.put(field, copy);
        out.put("region", region);
        return json(200, out);
    }

    private HttpResponseData certificate(HttpRequestData request) {
        if (!request.path().endsWith("/" + signer.certificateName())) return new HttpResponseData(404);
        return new HttpResponseData(200).header("Content-Type", "application/x-pem-file").body(signer.certificatePem());
    }

    private static HttpResponseData json(int status, Object body) {
        try {
            return new HttpResponseData(status).header("Content-Type", "application/json").body(JSON.writeValueAsBytes(body));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
