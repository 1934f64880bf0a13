package dev.polystack.protocol.cbor;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import com.fasterxml.jackson.dataformat.cbor.CBORFactory;
import dev.polystack.api.HttpRequestData;
import dev.polystack.api.HttpResponseData;
import dev.polystack.api.RequestContext;
import dev.polystack.api.ServiceException;
import dev.polystack.protocol.ErrorDescriptor;
import dev.polystack.protocol.MalformedInputException;
import dev.polystack.protocol.ParsedRequest;
import dev.polystack.protocol.ProtocolCodec;
import dev.polystack.protocol.ProtocolCodecFactory;
import dev.polystack.protocol.Responses;
import dev.polystack.protocol.json.JsonErrorSupport;
import dev.polystack.protocol.json.JsonReader;
import dev.polystack.protocol.json.JsonWriter;
import dev.polystack.protocol.model.Operation;
import dev.polystack.protocol.model.ServiceModel;
import dev.polystack.protocol.model.TimestampFormat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Smithy RPC v2 CBOR ({@code smithy-rpc-v2-cbor}): {@code POST .../service/<Service>/operation/<Operation>} with
 * {@code smithy-protocol: rpc-v2-cbor}, CBOR bodies (blobs as byte strings, timestamps as tag 1 epoch seconds),
 * errors as a CBOR map with {@code __type}.
 */
public final class RpcV2CborCodec implements ProtocolCodec {
    static final CBORFactory FACTORY = new CBORFactory();
    private static final String CONTENT_TYPE = "application/cbor";

    private final ServiceModel model;
    private final JsonReader reader = new JsonReader(TimestampFormat.UNIX_TIMESTAMP, FACTORY, true);
    private final JsonWriter writer = new JsonWriter(TimestampFormat.UNIX_TIMESTAMP, FACTORY, true);
    private final JsonErrorSupport errors;

    public RpcV2CborCodec(ServiceModel model) {
        this.model = model;
        this.errors = new JsonErrorSupport(model, writer);
    }

    /** The factory registered for {@code smithy-rpc-v2-cbor}. */
    public static final class Factory implements ProtocolCodecFactory {
        @Override
        public Set<String> protocols() { return Set.of("smithy-rpc-v2-cbor"); }

        @Override
        public ProtocolCodec create(ServiceModel model, String protocol) { return new RpcV2CborCodec(model); }
    }

    @Override
    public String protocol() { return "smithy-rpc-v2-cbor"; }

    @Override
    public ServiceModel model() { return model; }

    @Override
    public boolean recognizes(HttpRequestData request) {
        String p = request.header("smithy-protocol");
        return p != null ? p.equals("rpc-v2-cbor") : request.path().contains("/operation/") && request.path().contains("/service/");
    }

    @Override
    public ParsedRequest parse(HttpRequestData request) {
        Operation op = operation(request);
        if (!"POST".equalsIgnoreCase(request.method())) {
            throw new ServiceException("UnknownOperationException", "RPC v2 requests use POST", 405);
        }
        if (!"rpc-v2-cbor".equals(request.header("smithy-protocol"))) {
            throw new ServiceException("UnknownOperationException", "missing smithy-protocol: rpc-v2-cbor", 404);
        }
        byte[] body = request.bodyBytes();
        String ct = request.header("Content-Type");
        if (body.length > 0 && (ct == null || !ct.startsWith(CONTENT_TYPE))) {
            throw new ServiceException("UnsupportedMediaTypeException", "expected Content-Type " + CONTENT_TYPE, 415);
        }
        Map<String, Object> params;
        try {
            params = op.input() == null ? new LinkedHashMap<>() : reader.readStructure(op.input(), body);
        } catch (MalformedInputException e) {
            throw errors.serializationException(e);
        }
        errors.validate(op, params);
        return new ParsedRequest(op.name(), params);
    }

    /** {@code [prefix]/service/<S>/operation/<O>}: the last two labels matter. */
    private Operation operation(HttpRequestData request) {
        String path = request.path();
        int o = path.lastIndexOf("/operation/");
        int s = o < 0 ? -1 : path.lastIndexOf("/service/", o);
        Operation op = null;
        if (o >= 0 && s >= 0) {
            String service = path.substring(s + 9, o);
            String name = path.substring(o + 11);
            if (model.targetPrefix() == null || service.equals(model.targetPrefix()) || service.endsWith("." + model.targetPrefix())
                    || service.equalsIgnoreCase(model.serviceId())) {
                op = model.operation(name);
            }
        }
        if (op == null) throw new ServiceException("UnknownOperationException", "No operation at " + path, 404);
        return op;
    }

    @Override
    public HttpResponseData serialize(RequestContext context, String operation, Map<String, Object> output) {
        Operation op = model.operation(operation);
        if (op == null) throw new IllegalArgumentException("unknown operation " + operation);
        HttpResponseData r = new HttpResponseData(200);
        r.header("smithy-protocol", "rpc-v2-cbor");
        r.header("x-amzn-RequestId", Responses.requestId(context));
        if (op.output() != null) {
            r.header("Content-Type", CONTENT_TYPE);
            r.body(writer.writeStructure(op.output(), output == null ? Map.of() : output));
        }
        return Responses.applyContext(context, r);
    }

    @Override
    public HttpResponseData serializeError(RequestContext context, String operation, ServiceException error) {
        ErrorDescriptor d = ErrorDescriptor.of(model, error);
        HttpResponseData r = new HttpResponseData(d.status());
        r.header("smithy-protocol", "rpc-v2-cbor");
        r.header("Content-Type", CONTENT_TYPE);
        r.header("x-amzn-RequestId", Responses.requestId(context));
        if (model.isAwsQueryCompatible()) r.header("x-amzn-query-error", d.queryCode() + ";" + d.faultType());
        ByteArrayBuilder buf = new ByteArrayBuilder(128);
        try (JsonGenerator g = FACTORY.createGenerator(buf)) {
            g.writeStartObject();
            g.writeStringField("__type", d.typeName());
            errors.writeErrorMembers(g, d, error);
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        r.body(buf.toByteArray());
        return r;
    }
}
