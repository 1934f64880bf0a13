package dev.polystack.gateway.dispatch;

import dev.polystack.api.HttpRequestData;
import dev.polystack.api.HttpResponseData;
import dev.polystack.api.ServiceException;

import java.util.Locale;

/**
 * Renders an error when no service codec can: the service is unknown, its specification is missing, or the
 * codec itself failed. The shape follows what the request looks like: JSON for JSON requests, S3's
 * {@code <Error>} for S3, the query protocol's {@code <ErrorResponse>} otherwise.
 */
public final class FallbackErrors {
    private FallbackErrors() {
    }

    public static HttpResponseData render(HttpRequestData request, String service, ServiceException error, String requestId) {
        HttpResponseData response = new HttpResponseData(error.status());
        if (looksLikeJson(request)) {
            response.header("Content-Type", "application/x-amz-json-1.0");
            response.header("x-amzn-ErrorType", error.code());
            response.body("{\"__type\":" + jsonString(error.code()) + ",\"message\":" + jsonString(error.getMessage()) + "}");
        } else if ("s3".equals(service) || service == null) {
            response.header("Content-Type", "application/xml");
            response.body("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>" + xml(error.code())
                    + "</Code><Message>" + xml(error.getMessage()) + "</Message><RequestId>" + xml(requestId)
                    + "</RequestId></Error>");
        } else {
            response.header("Content-Type", "text/xml");
            response.body("<ErrorResponse xmlns=\"http://polystack.dev/doc/\"><Error><Type>"
                    + (error.senderFault() ? "Sender" : "Receiver") + "</Type><Code>" + xml(error.code())
                    + "</Code><Message>" + xml(error.getMessage()) + "</Message></Error><RequestId>" + xml(requestId)
                    + "</RequestId></ErrorResponse>");
        }
        return response;
    }

    static boolean looksLikeJson(HttpRequestData request) {
        if (request.header("X-Amz-Target") != null) return true;
        String type = request.header("Content-Type");
        return type != null && type.toLowerCase(Locale.ROOT).contains("json");
    }

    static String jsonString(String text) {
        StringBuilder sb = new StringBuilder(text.length() + 2).append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20) sb.append(String.format("\\u%04x", (int) c));
                    else sb.append(c);
                }
            }
        }
        return sb.append('"').toString();
    }

    static String xml(String text) {
        if (text == null) return "";
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
