package dev.polystack.services.sqs;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.polystack.api.Config;
import dev.polystack.api.HttpRequestData;
import dev.polystack.api.HttpResponseData;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * LocalStack's developer endpoint {@code /_aws/sqs/messages}: every message of a queue without changing its
 * visibility or receive count, answered as a {@code ReceiveMessage} response so that it also works as a
 * botocore {@code endpoint_url} (any {@code MaxNumberOfMessages} is ignored: all messages come back).
 * <ul>
 *   <li>The queue: {@code QueueUrl} (query string, form body or JSON body; any URL strategy), or the path
 *       {@code /_aws/sqs/messages/<region>/<account>/<name>}. No QueueUrl, or an unknown queue:
 *       {@code AWS.SimpleQueueService.NonExistentQueue} (400); a URL naming no queue: {@code InvalidAddress} (404).</li>
 *   <li>An SDK call of any operation but ReceiveMessage: {@code InvalidRequest}.</li>
 *   <li>In-flight and delayed messages only with {@code ShowInvisible=true} / {@code ShowDelayed=true}; they then
 *       carry the attributes {@code IsVisible} / {@code IsDelayed}.</li>
 *   <li>Answers in the protocol asked: JSON for {@code application/x-amz-json-1.0} requests, else the query
 *       protocol's XML, or its JSON form ({@code {"ReceiveMessageResponse": {...}}}) with {@code Accept: application/json}.</li>
 * </ul>
 */
final class PeekEndpoint {
    private static final String PREFIX = "/_aws/sqs/messages";
    private static final String BACKDOOR_HANDLE = "SQS/BACKDOOR/ACCESS";

    private enum Format { JSON_PROTOCOL, XML, XML_AS_JSON }

    /** An error answer: code (query and JSON), message, status. */
    private static final class PeekError extends RuntimeException {
        final String queryCode;
        final String jsonType;
        final int status;

        PeekError(String queryCode, String jsonType, String message, int status) {
            super(message, null, false, false);
            this.queryCode = queryCode;
            this.jsonType = jsonType;
            this.status = status;
        }

        static PeekError noQueue() {
            return new PeekError("AWS.SimpleQueueService.NonExistentQueue", "QueueDoesNotExist",
                    "The specified queue does not exist.", 400);
        }
    }

    private final SqsProvider provider;

    PeekEndpoint(SqsProvider provider) {
        this.provider = provider;
    }

    HttpResponseData handle(HttpRequestData request) {
        Format format = format(request);
        try {
            Map<String, String> params = parameters(request, format);
            SqsQueue queue = resolve(request, params);
            boolean showInvisible = isTrue(params.get("ShowInvisible"));
            boolean showDelayed = isTrue(params.get("ShowDelayed"));
            List<Map<String, Object>> messages = new ArrayList<>();
            for (SqsMessage m : queue.peek()) {
                if (m.state == SqsMessage.State.INFLIGHT && !showInvisible) continue;
                if (m.state == SqsMessage.State.DELAYED && !showDelayed) continue;
                Map<String, Object> tree = new LinkedHashMap<>(SqsProvider.messageTree(m, BACKDOOR_HANDLE, m.receiveCount,
                        m.firstReceiveTimestamp, m.sequenceNumber, Set.of("All"), List.of("All")));
                @SuppressWarnings("unchecked")
                Map<String, Object> attributes = new LinkedHashMap<>((Map<String, Object>) tree.getOrDefault("Attributes", Map.of()));
                tree.put("Attributes", attributes);
                if (showInvisible) attributes.put("IsVisible", String.valueOf(m.state == SqsMessage.State.VISIBLE));
                if (showDelayed) attributes.put("IsDelayed", String.valueOf(m.state == SqsMessage.State.DELAYED));
                messages.add(tree);
            }
            return switch (format) {
                case JSON_PROTOCOL -> jsonProtocol(messages);
                case XML -> xml(messages);
                case XML_AS_JSON -> xmlAsJson(messages);
            };
        } catch (PeekError e) {
            return error(format, e);
        }
    }

    private static Format format(HttpRequestData request) {
        String contentType = request.header("Content-Type");
        if (contentType != null && contentType.toLowerCase().startsWith("application/x-amz-json")) return Format.JSON_PROTOCOL;
        String accept = request.header("Accept");
        return accept != null && accept.toLowerCase().contains("application/json") ? Format.XML_AS_JSON : Format.XML;
    }

    /** The request's parameters: query string, then a form or JSON body; an SDK call must be ReceiveMessage. */
    private static Map<String, String> parameters(HttpRequestData request, Format format) {
        Map<String, String> params = new LinkedHashMap<>();
        request.queryParameters().forEach((k, v) -> {
            if (!v.isEmpty()) params.put(k, v.get(0));
        });
        byte[] body = request.bodyBytes();
        String operation = null;
        if (format == Format.JSON_PROTOCOL) {
            String target = request.header("X-Amz-Target");
            operation = target == null ? "" : target.substring(target.lastIndexOf('.') + 1);
            if (body.length > 0) {
                try {
                    JsonNode tree = QueueAttributes.JSON.readTree(body);
                    if (tree != null) tree.fields().forEachRemaining(e -> {
                        if (e.getValue().isValueNode()) params.put(e.getKey(), e.getValue().asText());
                    });
                } catch (IOException e) {
                    throw new PeekError("InvalidRequest", "InvalidRequest", "The request body is not valid JSON", 400);
                }
            }
        } else if (body.length > 0) {
            String contentType = request.header("Content-Type");
            if (contentType != null && contentType.toLowerCase().startsWith("application/x-www-form-urlencoded")) {
                HttpRequestData.decodeForm(new String(body, StandardCharsets.UTF_8)).forEach((k, v) -> {
                    if (!v.isEmpty()) params.put(k, v.get(0));
                });
                operation = params.getOrDefault("Action", "");
            }
        }
        if (operation != null && !operation.equals("ReceiveMessage")) {
            throw new PeekError("InvalidRequest", "InvalidRequest", "This endpoint only accepts ReceiveMessage calls", 400);
        }
        return params;
    }

    private SqsQueue resolve(HttpRequestData request, Map<String, String> params) {
        String rest = request.path().length() > PREFIX.length() ? request.path().substring(PREFIX.length()) : "";
        String[] parts = rest.replaceAll("^/+|/+$", "").split("/");
        QueueUrls.QueueAddress a;
        if (parts.length == 3) {
            a = new QueueUrls.QueueAddress(parts[0], parts[1], parts[2]);
        } else {
            String url = params.get("QueueUrl");
            if (url == null || url.isEmpty()) throw PeekError.noQueue();
            a = QueueUrls.parse(url);
            if (a == null) {
                throw new PeekError("InvalidAddress", "InvalidAddress",
                        "The address https://queue.amazonaws.com/ is not valid for this endpoint.", 404);
            }
        }
        String region = a.region() != null ? a.region() : regionOf(request);
        SqsQueue queue = provider.find(a.accountId(), region, a.name());
        if (queue == null) throw PeekError.noQueue();
        return queue;
    }

    private static boolean isTrue(String value) {
        return value != null && (value.equalsIgnoreCase("true") || value.equals("1"));
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

    // ---------------------------------------------------------------- answers

    /** The JSON protocol's ReceiveMessage output: {@code {"Messages": [...]}}, binary values in base64. */
    @SuppressWarnings("unchecked")
    private static HttpResponseData jsonProtocol(List<Map<String, Object>> messages) {
        List<Object> out = new ArrayList<>();
        for (Map<String, Object> m : messages) {
            Map<String, Object> copy = new LinkedHashMap<>(m);
            if (copy.get("MessageAttributes") instanceof Map<?, ?> attrs) {
                Map<String, Object> converted = new LinkedHashMap<>();
                attrs.forEach((k, v) -> {
                    Map<String, Object> value = new LinkedHashMap<>((Map<String, Object>) v);
                    if (value.get("BinaryValue") instanceof byte[] b) value.put("BinaryValue", Base64.getEncoder().encodeToString(b));
                    converted.put((String) k, value);
                });
                copy.put("MessageAttributes", converted);
            }
            out.add(copy);
        }
        // As ReceiveMessage answers it: no Messages member when there are none.
        return json(200, "application/x-amz-json-1.0", out.isEmpty() ? Map.of() : Map.of("Messages", out));
    }

    /**
     * The query protocol's XML document in JSON form, as LocalStack writes it (xmltodict: a repeated element is a
     * list, a single one an object, an empty result {@code null}).
     */
    @SuppressWarnings("unchecked")
    private static HttpResponseData xmlAsJson(List<Map<String, Object>> messages) {
        List<Object> items = new ArrayList<>();
        for (Map<String, Object> m : messages) {
            Map<String, Object> item = new LinkedHashMap<>();
            item.put("MessageId", m.get("MessageId"));
            item.put("ReceiptHandle", m.get("ReceiptHandle"));
            item.put("MD5OfBody", m.get("MD5OfBody"));
            item.put("Body", m.get("Body"));
            if (m.get("Attributes") instanceof Map<?, ?> attrs) {
                List<Object> list = new ArrayList<>();
                attrs.forEach((k, v) -> list.add(nameValue(k, v)));
                item.put("Attribute", oneOrMany(list));
            }
            if (m.get("MD5OfMessageAttributes") != null) item.put("MD5OfMessageAttributes", m.get("MD5OfMessageAttributes"));
            if (m.get("MessageAttributes") instanceof Map<?, ?> attrs) {
                List<Object> list = new ArrayList<>();
                attrs.forEach((k, v) -> {
                    Map<String, Object> value = (Map<String, Object>) v;
                    Map<String, Object> wire = new LinkedHashMap<>();
                    if (value.get("BinaryValue") instanceof byte[] b) wire.put("BinaryValue", Base64.getEncoder().encodeToString(b));
                    else wire.put("StringValue", value.get("StringValue"));
                    wire.put("DataType", value.get("DataType"));
                    list.add(nameValue(k, wire));
                });
                item.put("MessageAttribute", oneOrMany(list));
            }
            items.add(item);
        }
        Map<String, Object> result = new LinkedHashMap<>();
        Map<String, Object> response = new LinkedHashMap<>();
        response.put("ReceiveMessageResult", items.isEmpty() ? null : Map.of("Message", oneOrMany(items)));
        response.put("ResponseMetadata", Map.of("RequestId", UUID.randomUUID().toString()));
        result.put("ReceiveMessageResponse", response);
        return json(200, "application/json", result);
    }

    private static Map<String, Object> nameValue(Object name, Object value) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("Name", name);
        m.put("Value", value);
        return m;
    }

    private static Object oneOrMany(List<Object> items) {
        return items.size() == 1 ? items.get(0) : items;
    }

    @SuppressWarnings("unchecked")
    private static HttpResponseData xml(List<Map<String, Object>> messages) {
        StringBuilder x = new StringBuilder(256 + messages.size() * 512);
        x.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>")
                .append("<ReceiveMessageResponse xmlns=\"http://queue.amazonaws.com/doc/2012-11-05/\">");
        if (messages.isEmpty()) x.append("<ReceiveMessageResult/>");
        else x.append("<ReceiveMessageResult>");
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
        if (!messages.isEmpty()) x.append("</ReceiveMessageResult>");
        x.append("<ResponseMetadata><RequestId>").append(UUID.randomUUID())
                .append("</RequestId></ResponseMetadata></ReceiveMessageResponse>");
        return new HttpResponseData(200).header("Content-Type", "text/xml").body(x.toString());
    }

    /** Errors in the request's protocol; the JSON form of the query error keeps LocalStack's ErrorResponse root. */
    private static HttpResponseData error(Format format, PeekError e) {
        String requestId = UUID.randomUUID().toString();
        return switch (format) {
            case JSON_PROTOCOL -> {
                Map<String, Object> body = new LinkedHashMap<>();
                body.put("__type", e.jsonType);
                body.put("message", e.getMessage());
                yield json(e.status, "application/x-amz-json-1.0", body)
                        .header("x-amzn-query-error", e.queryCode + ";Sender");
            }
            case XML_AS_JSON -> {
                Map<String, Object> error = new LinkedHashMap<>();
                error.put("Type", "Sender");
                error.put("Code", e.queryCode);
                error.put("Message", e.getMessage());
                Map<String, Object> response = new LinkedHashMap<>();
                response.put("Error", error);
                response.put("RequestId", requestId);
                yield json(e.status, "application/json", Map.of("ErrorResponse", response));
            }
            case XML -> {
                StringBuilder x = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
                        + "<ErrorResponse xmlns=\"http://queue.amazonaws.com/doc/2012-11-05/\"><Error><Type>Sender</Type>");
                element(x, "Code", e.queryCode);
                element(x, "Message", e.getMessage());
                x.append("<Detail/></Error><RequestId>").append(requestId).append("</RequestId></ErrorResponse>");
                yield new HttpResponseData(e.status).header("Content-Type", "text/xml").body(x.toString());
            }
        };
    }

    private static HttpResponseData json(int status, String contentType, Object body) {
        try {
            return new HttpResponseData(status).header("Content-Type", contentType)
                    .body(QueueAttributes.JSON.writeValueAsBytes(body));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
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
