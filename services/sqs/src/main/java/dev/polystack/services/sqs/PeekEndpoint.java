package dev.polystack.services.sqs;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.polystack.api.Config;
import dev.polystack.api.HttpRequestData;
import dev.polystack.api.HttpResponseData;

import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * LocalStack's {@code GET /_aws/sqs/messages}: every message of a queue without changing its
 * visibility or receive count. The queue is given as {@code ?QueueUrl=…} or as the path
 * {@code /_aws/sqs/messages/<region>/<account>/<name>}. In-flight and delayed messages are listed only with
 * {@code ShowInvisible=true} / {@code ShowDelayed=true}. XML by default (the query protocol's
 * ReceiveMessageResponse), JSON ({@code {"Messages": [...]}}) when the client accepts JSON.
 */
final class PeekEndpoint {
    private static final String PREFIX = "/_aws/sqs/messages";
    private static final String BACKDOOR_HANDLE = "SQS/BACKDOOR/ACCESS";

    private final SqsProvider provider;

    PeekEndpoint(SqsProvider provider) {
        this.provider = provider;
    }

    HttpResponseData handle(HttpRequestData request) {
        boolean json = accepts(request, "json");
        SqsQueue queue = resolve(request);
        if (queue == null) {
            return error(json, 400, "AWS.SimpleQueueService.NonExistentQueue", "The specified queue does not exist.");
        }
        boolean showInvisible = "true".equalsIgnoreCase(request.queryParameter("ShowInvisible"));
        boolean showDelayed = "true".equalsIgnoreCase(request.queryParameter("ShowDelayed"));
        List<Map<String, Object>> messages = new ArrayList<>();
        for (SqsMessage m : queue.peek()) {
            if (m.state == SqsMessage.State.INFLIGHT && !showInvisible) continue;
            if (m.state == SqsMessage.State.DELAYED && !showDelayed) continue;
            messages.add(SqsProvider.messageTree(m, BACKDOOR_HANDLE, m.receiveCount, m.firstReceiveTimestamp,
                    m.sequenceNumber, Set.of("All"), List.of("All")));
        }
        return json ? json(messages) : xml(messages);
    }

    private SqsQueue resolve(HttpRequestData request) {
        String url = request.queryParameter("QueueUrl");
        QueueUrls.QueueAddress a;
        if (url != null) {
            a = QueueUrls.parse(url);
        } else {
            String rest = request.path().substring(Math.min(request.path().length(), PREFIX.length()));
            String[] parts = rest.replaceAll("^/+|/+$", "").split("/");
            a = parts.length == 3 ? new QueueUrls.QueueAddress(parts[0], parts[1], parts[2]) : null;
        }
        if (a == null) return null;
        String region = a.region() != null ? a.region() : regionOf(request);
        return provider.find(a.accountId(), region, a.name());
    }

    /** The region from the SigV4 credential scope, else the default. */
    private static String regionOf(HttpRequestData request) {
        String auth = request.header("Authorization");
        int cred = auth == null ? -1 : auth.indexOf("Credential=");
        if (cred >= 0) {
            String[] scope = auth.substring(cred + 11).split("/");
            if (scope.length > 2) return scope[2];
        }
        return Config.DEFAULT_REGION;
    }

    private static boolean accepts(HttpRequestData request, String kind) {
        String accept = request.header("Accept");
        return accept != null && accept.contains(kind);
    }

    private static HttpResponseData json(List<Map<String, Object>> messages) {
        try {
            List<Object> out = new ArrayList<>();
            for (Map<String, Object> m : messages) {
                Map<String, Object> copy = new java.util.LinkedHashMap<>(m);
                if (copy.get("MessageAttributes") instanceof Map<?, ?> attrs) {
                    Map<String, Object> converted = new java.util.LinkedHashMap<>();
                    attrs.forEach((k, v) -> {
                        Map<String, Object> value = new java.util.LinkedHashMap<>((Map<String, Object>) v);
                        if (value.get("BinaryValue") instanceof byte[] b) value.put("BinaryValue", Base64.getEncoder().encodeToString(b));
                        converted.put((String) k, value);
                    });
                    copy.put("MessageAttributes", converted);
                }
                out.add(copy);
            }
            byte[] body = QueueAttributes.JSON.writeValueAsBytes(Map.of("Messages", out));
            return new HttpResponseData(200).header("Content-Type", "application/json").body(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    @SuppressWarnings("unchecked")
    private static HttpResponseData xml(List<Map<String, Object>> messages) {
        StringBuilder x = new StringBuilder(256 + messages.size() * 512);
        x.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>")
                .append("<ReceiveMessageResponse xmlns=\"http://queue.amazonaws.com/doc/2012-11-05/\"><ReceiveMessageResult>");
        for (Map<String, Object> m : messages) {
            x.append("<Message>");
            element(x, "MessageId", m.get("MessageId"));
            element(x, "ReceiptHandle", m.get("ReceiptHandle"));
            element(x, "MD5OfBody", m.get("MD5OfBody"));
            element(x, "Body", m.get("Body"));
            if (m.get("Attributes") instanceof Map<?, ?> attrs) {
                attrs.forEach((k, v) -> {
                    x.append("<Attribute>");
                    element(x, "Name", k);
                    element(x, "Value", v);
                    x.append("</Attribute>");
                });
            }
            if (m.get("MD5OfMessageAttributes") != null) element(x, "MD5OfMessageAttributes", m.get("MD5OfMessageAttributes"));
            if (m.get("MessageAttributes") instanceof Map<?, ?> attrs) {
                attrs.forEach((k, v) -> {
                    Map<String, Object> value = (Map<String, Object>) v;
                    x.append("<MessageAttribute>");
                    element(x, "Name", k);
                    x.append("<Value>");
                    if (value.get("BinaryValue") instanceof byte[] b) element(x, "BinaryValue", Base64.getEncoder().encodeToString(b));
                    else element(x, "StringValue", value.get("StringValue"));
                    element(x, "DataType", value.get("DataType"));
                    x.append("</Value></MessageAttribute>");
                });
            }
            x.append("</Message>");
        }
        x.append("</ReceiveMessageResult><ResponseMetadata><RequestId>").append(UUID.randomUUID())
                .append("</RequestId></ResponseMetadata></ReceiveMessageResponse>");
        return new HttpResponseData(200).header("Content-Type", "text/xml").body(x.toString());
    }

    private static HttpResponseData error(boolean json, int status, String code, String message) {
        if (json) {
            return new HttpResponseData(status).header("Content-Type", "application/json")
                    .body("{\"__type\":\"" + code + "\",\"message\":\"" + message + "\"}");
        }
        StringBuilder x = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?><ErrorResponse><Error><Type>Sender</Type>");
        element(x, "Code", code);
        element(x, "Message", message);
        x.append("</Error><RequestId>").append(UUID.randomUUID()).append("</RequestId></ErrorResponse>");
        return new HttpResponseData(status).header("Content-Type", "text/xml").body(x.toString());
    }

    private static void element(StringBuilder x, String name, Object value) {
        x.append('<').append(name).append('>');
        String s = String.valueOf(value);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '<' -> x.append("&lt;");
                case '>' -> x.append("&gt;");
                case '&' -> x.append("&amp;");
                case '"' -> x.append("&quot;");
                case '\r' -> x.append("&#xD;");
                default -> x.append(c);
            }
        }
        x.append("</").append(name).append('>');
    }
}
