package dev.polystack.protocol.json;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import dev.polystack.api.HttpRequestData;
import dev.polystack.api.HttpResponseData;
import dev.polystack.api.RequestContext;
import dev.polystack.api.ServiceException;
import dev.polystack.protocol.ErrorDescriptor;
import dev.polystack.protocol.MalformedInputException;
import dev.polystack.protocol.ParsedRequest;
import dev.polystack.protocol.ProtocolCodec;
import dev.polystack.protocol.Responses;
import dev.polystack.protocol.model.Member;
import dev.polystack.protocol.model.Operation;
import dev.polystack.protocol.model.ServiceModel;
import dev.polystack.protocol.model.Shape;
import dev.polystack.protocol.model.ShapeType;
import dev.polystack.protocol.model.TimestampFormat;
import dev.polystack.protocol.rest.RestBinding;
import dev.polystack.protocol.rest.RestRouter;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * rest-json: operation from method + URI template, members bound to labels, query, headers and the status
 * code (shared {@link RestBinding}), the rest in a JSON body or a payload member; errors with
 * {@code X-Amzn-Errortype} and a JSON body of the error's members.
 */
public final class RestJsonCodec implements ProtocolCodec {
    private final ServiceModel model;
    private final RestRouter router;
    private final JsonReader reader;
    private final JsonWriter writer = new JsonWriter(TimestampFormat.UNIX_TIMESTAMP);
    private final JsonErrorSupport errors;

    public RestJsonCodec(ServiceModel model) {
        this.model = model;
        this.reader = new JsonReader(TimestampFormat.UNIX_TIMESTAMP, JsonReader.FACTORY, false, model.isStrictValidation());
        this.router = RestRouter.byTemplate(model);
        this.errors = new JsonErrorSupport(model, writer);
    }

    @Override
    public String protocol() { return "rest-json"; }

    @Override
    public ServiceModel model() { return model; }

    @Override
    public boolean recognizes(HttpRequestData request) {
        return request.header("X-Amz-Target") == null && router.match(request) != null;
    }

    @Override
    public ParsedRequest parse(HttpRequestData request) {
        RestRouter.Match match = router.match(request);
        if (match == null) {
            throw new ServiceException("UnknownOperationException", "No operation matches " + request.method() + " " + request.path(), 404);
        }
        Operation op = match.operation();
        if (model.isStrictValidation()) checkMediaTypes(op, request);
        Map<String, Object> params = new LinkedHashMap<>();
        Shape input = op.input();
        if (input != null) {
            try {
                RestBinding.readNonBody(input, request, match.labels(), params);
                RestBinding.applyDefaults(input, params);
                readBody(input, request, params);
            } catch (MalformedInputException e) {
                throw errors.serializationException(e);
            }
            errors.validate(op, params);
        }
        return new ParsedRequest(op.name(), params);
    }

    /**
     * Content-Type and Accept as Smithy servers check them (only for strictly validated models: real clients
     * of AWS's rest-json services are not always this exact): JSON bodies need application/json, payloads
     * their media type, bodiless operations no Content-Type.
     */
    private static void checkMediaTypes(Operation op, HttpRequestData request) {
        Shape input = op.input();
        String ct = request.header("Content-Type");
        Member payload = input == null ? null : input.payloadMember();
        if (payload != null) {
            boolean raw = payload.type() == ShapeType.BLOB || payload.type() == ShapeType.STRING;
            boolean anyType = payload.type() == ShapeType.BLOB && payload.shape().mediaType() == null;
            String expected = raw ? RestBinding.payloadContentType(payload) : "application/json";
            if (!anyType && ct != null && !mediaTypeMatches(expected, ct)
                    || !anyType && ct == null && request.bodyBytes().length > 0) {
                throw new ServiceException("UnsupportedMediaTypeException", "expected Content-Type " + expected, 415);
            }
        } else if (input != null && input.bodyMembers().length > 0) {
            if (ct != null && !mediaTypeMatches("application/json", ct)
                    || ct == null && request.bodyBytes().length > 0) {
                throw new ServiceException("UnsupportedMediaTypeException", "expected Content-Type application/json", 415);
            }
        } else if (ct != null && request.bodyBytes().length > 0 && (input == null || !input.members().isEmpty())) {
            throw new ServiceException("UnsupportedMediaTypeException", "this operation takes no body", 415);
        }
        String accept = request.header("Accept");
        Shape output = op.output();
        if (accept == null || output == null) return;
        Member out = output.payloadMember();
        String produces = out != null && (out.type() == ShapeType.BLOB || out.type() == ShapeType.STRING)
                ? RestBinding.payloadContentType(out) : "application/json";
        boolean anyType = out != null && out.type() == ShapeType.BLOB && out.shape().mediaType() == null;
        if (!anyType && !accepts(accept, produces)) throw new ServiceException("NotAcceptableException", "cannot produce " + produces + " for Accept: " + accept, 406);
    }

    private static boolean mediaTypeMatches(String expected, String actual) {
        String a = actual.split(";")[0].trim().toLowerCase();
        String e = expected.split(";")[0].trim().toLowerCase();
        return a.equals(e) || e.endsWith("/*") && a.startsWith(e.substring(0, e.length() - 1));
    }

    private static boolean accepts(String accept, String produces) {
        for (String part : accept.split(",")) {
            String a = part.split(";")[0].trim().toLowerCase();
            if (a.equals("*/*") || a.equals(produces) || a.endsWith("/*") && produces.startsWith(a.substring(0, a.length() - 1))) return true;
        }
        return false;
    }

    private void readBody(Shape input, HttpRequestData request, Map<String, Object> params) {
        Member payload = input.payloadMember();
        if (payload != null) {
            ShapeType t = payload.type();
            if (t == ShapeType.BLOB || t == ShapeType.STRING) {
                Object v = RestBinding.readRawPayload(payload, request);
                if (v != null) params.put(payload.name(), v);
            } else {
                Object v = reader.readValue(payload.shape(), request.bodyBytes());
                // An empty object stands for an absent structure payload.
                if (v != null && !(v instanceof Map<?, ?> m && m.isEmpty() && payload.type() == ShapeType.STRUCTURE)) {
                    params.put(payload.name(), v);
                }
            }
            return;
        }
        if (input.bodyMembers().length == 0) return;
        byte[] body = request.bodyBytes();
        if (body.length == 0) return;
        params.putAll(reader.readStructure(input, body));
    }

    @Override
    public HttpResponseData serialize(RequestContext context, String operation, Map<String, Object> output) {
        Operation op = model.operation(operation);
        if (op == null) throw new IllegalArgumentException("unknown operation " + operation);
        HttpResponseData r = new HttpResponseData(op.responseCode());
        r.header("x-amzn-RequestId", Responses.requestId(context));
        Shape shape = op.output();
        Map<String, Object> values = output == null ? Map.of() : output;
        if (shape != null && shape.hasDefaults()) values = RestBinding.withDefaults(shape, values);
        if (shape == null) return Responses.applyContext(context, r);
        int status = RestBinding.writeNonBody(shape, values, r);
        if (status > 0) r.status(status);
        writeBody(shape, values, r);
        return withoutBodyIfNoContent(Responses.applyContext(context, r));
    }

    /** A 204 or 304 answer carries no body (HTTP forbids one; the server refuses to send it): Lambda's DeleteFunction. */
    private static HttpResponseData withoutBodyIfNoContent(HttpResponseData r) {
        if (r.status() == 204 || r.status() == 304) {
            r.body(new byte[0]);
            r.headers().keySet().removeIf(h -> h.equalsIgnoreCase("Content-Type"));
        }
        return r;
    }

    private static final byte[] EMPTY_OBJECT = {'{', '}'};

    private void writeBody(Shape shape, Map<?, ?> values, HttpResponseData r) {
        Member payload = shape.payloadMember();
        if (payload != null) {
            Object v = values.get(payload.name());
            if (v == null) return;
            if (RestBinding.writeRawPayload(payload, v, r)) {
                if (r.header("Content-Type") == null) r.header("Content-Type", RestBinding.payloadContentType(payload));
                return;
            }
            if (r.header("Content-Type") == null) r.header("Content-Type", "application/json");
            r.body(writer.writeValue(payload.shape(), v));
            return;
        }
        if (r.header("Content-Type") == null) r.header("Content-Type", "application/json");
        ByteArrayBuilder buf = new ByteArrayBuilder(256);
        try (JsonGenerator g = JsonReader.FACTORY.createGenerator(buf)) {
            writer.responseStructure(g, shape, values);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        r.body(buf.toByteArray());
    }

    @Override
    public HttpResponseData serializeError(RequestContext context, String operation, ServiceException error) {
        ErrorDescriptor d = ErrorDescriptor.of(model, error);
        HttpResponseData r = new HttpResponseData(d.status());
        r.header("x-amzn-RequestId", Responses.requestId(context));
        r.header("X-Amzn-Errortype", d.shape() != null ? d.shape().name() : d.typeName());
        r.header("Content-Type", "application/json");
        if (model.isAwsQueryCompatible()) r.header("x-amzn-query-error", d.queryCode() + ";" + d.faultType());
        if (d.shape() != null) RestBinding.writeNonBody(d.shape(), error.fields(), r);
        ByteArrayBuilder buf = new ByteArrayBuilder(128);
        try (JsonGenerator g = JsonReader.FACTORY.createGenerator(buf)) {
            g.writeStartObject();
            errors.writeErrorMembers(g, d, error);
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        r.body(buf.toByteArray());
        return r;
    }
}
