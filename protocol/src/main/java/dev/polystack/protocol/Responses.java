package dev.polystack.protocol;

import dev.polystack.api.HttpResponseData;
import dev.polystack.api.RequestContext;

import java.util.List;
import java.util.Map;

/** Small helpers every codec uses to finish a response. */
public final class Responses {
    private Responses() {
    }

    /**
     * Applies what the provider set on {@code context.response()}: a status other than the default 200
     * replaces the protocol's, and its headers are added (replacing the codec's of the same name).
     */
    public static HttpResponseData applyContext(RequestContext context, HttpResponseData response) {
        if (context == null) return response;
        HttpResponseData extra = context.response();
        if (extra.status() != 200 && extra.status() > 0) response.status(extra.status());
        // a provider that streams its answer (an event stream such as Kinesis' SubscribeToShard) sets the body itself
        if (extra.isStreamed()) response.body(extra.bodyStream(), extra.bodyLength());
        for (Map.Entry<String, List<String>> e : extra.headers().entrySet()) {
            List<String> values = e.getValue();
            if (values.isEmpty()) continue;
            response.header(e.getKey(), values.get(0));
            for (int i = 1; i < values.size(); i++) response.addHeader(e.getKey(), values.get(i));
        }
        return response;
    }

    /** The request id of a context, or a fresh one. */
    public static String requestId(RequestContext context) {
        String id = context == null ? null : context.requestId();
        return id != null ? id : java.util.UUID.randomUUID().toString();
    }
}
