package dev.polystack.protocol;

import dev.polystack.api.HttpRequestData;
import dev.polystack.api.HttpResponseData;
import dev.polystack.api.RequestContext;
import dev.polystack.api.ServiceException;

import java.util.List;
import java.util.Map;

/** A service speaking several protocols: each request is parsed and answered in the protocol it came in. */
final class MultiProtocolCodec implements ServiceCodec {
    private final ProtocolCodec[] codecs;

    MultiProtocolCodec(List<ProtocolCodec> codecs) {
        this.codecs = codecs.toArray(new ProtocolCodec[0]);
    }

    @Override
    public ProtocolCodec select(HttpRequestData request) {
        return pick(request);
    }

    private ProtocolCodec pick(HttpRequestData request) {
        if (request != null) {
            for (ProtocolCodec c : codecs) if (c.recognizes(request)) return c;
            // A GET names no JSON target and carries no body: of the protocols, only query takes it (SQS's
            // query API on a queue URL answers even a GET without an Action, in XML).
            if ("GET".equals(request.method())) {
                for (ProtocolCodec c : codecs) if ("query".equals(c.protocol())) return c;
            }
        }
        return codecs[0];
    }

    @Override
    public ServiceInfo info() { return codecs[0].info(); }

    @Override
    public ParsedRequest parse(HttpRequestData request) { return pick(request).parse(request); }

    @Override
    public HttpResponseData serialize(RequestContext context, String operation, Map<String, Object> output) {
        return pick(context.request()).serialize(context, operation, output);
    }

    @Override
    public HttpResponseData serializeError(RequestContext context, String operation, ServiceException error) {
        return pick(context.request()).serializeError(context, operation, error);
    }
}
