package dev.polystack.protocol.json;

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
import dev.polystack.protocol.Responses;
import dev.polystack.protocol.model.Operation;
import dev.polystack.protocol.model.ServiceModel;
import dev.polystack.protocol.model.TimestampFormat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * AWS JSON 1.0 / 1.1 ({@code protocol: json}): {@code POST /} with {@code X-Amz-Target: <prefix>.<Operation>},
 * a JSON body, errors as {@code {"__type": ..., "message": ...}}; awsQueryCompatible services also send
 * {@code x-amzn-query-error: <query code>;Sender|Receiver}.
 * <p>
 * The same requests may come as CBOR ({@code Content-Type: application/x-amz-cbor-1.1}, what the AWS SDKs for Java
 * send to Kinesis by default): the same members in a CBOR map, blobs as byte strings, timestamps as tag 1 epoch
 * milliseconds. Such a request is answered, errors included, in CBOR with that content type.
 */
public final class AwsJsonCodec implements ProtocolCodec {
    private static final CBORFactory CBOR_FACTORY = new CBORFactory();
    static final String CBOR_CONTENT_TYPE = "application/x-amz-cbor-1.1";
    private final ServiceModel model;
    private final String contentType;
    private final Map<String, Operation> byTarget = new HashMap<>();
    private final JsonReader reader;
    private final JsonWriter writer = new JsonWriter(TimestampFormat.UNIX_TIMESTAMP);
    private final JsonReader cborReader;
    private final JsonWriter cborWriter = new JsonWriter(TimestampFormat.UNIX_TIMESTAMP_MILLIS, CBOR_FACTORY, true);
    private final JsonErrorSupport errors;
    private final JsonErrorSupport cborErrors;
    /** JSON 1.0 services send {@code namespace#Name} as {@code __type} (when the namespace is known); 1.1 the bare name. */
    private final boolean qualifiedType;

    public AwsJsonCodec(ServiceModel model) {
        this.model = model;
        this.reader = new JsonReader(TimestampFormat.UNIX_TIMESTAMP, JsonReader.FACTORY, false, model.isStrictValidation());
        this.cborReader = new JsonReader(TimestampFormat.UNIX_TIMESTAMP_MILLIS, CBOR_FACTORY, true, model.isStrictValidation());
        this.contentType = "application/x-amz-json-" + (model.jsonVersion() == null ? "1.0" : model.jsonVersion());
        for (Operation op : model.operations().values()) {
            byTarget.put(model.targetPrefix() + "." + op.name(), op);
        }
        this.errors = new JsonErrorSupport(model, writer);
        this.cborErrors = new JsonErrorSupport(model, cborWriter);
        this.qualifiedType = !"1.1".equals(model.jsonVersion());
    }

    @Override
    public String protocol() { return "json"; }

    @Override
    public ServiceModel model() { return model; }

    @Override
    public boolean recognizes(HttpRequestData request) {
        if (request.header("X-Amz-Target") != null) return true;
        String ct = request.header("Content-Type");
        return ct != null && (ct.startsWith("application/x-amz-json") || ct.startsWith(CBOR_CONTENT_TYPE));
    }

    /** Whether the request's body is CBOR (and so is the answer). */
    private static boolean isCbor(HttpRequestData request) {
        String ct = request == null ? null : request.header("Content-Type");
        return ct != null && ct.startsWith(CBOR_CONTENT_TYPE);
    }

    @Override
    public ParsedRequest parse(HttpRequestData request) {
        String target = request.header("X-Amz-Target");
        Operation op = target == null ? null : byTarget.get(target);
        if (op == null) {
            throw new ServiceException("UnknownOperationException",
                    target == null ? "Missing X-Amz-Target header" : "Unknown operation " + target);
        }
        boolean cbor = isCbor(request);
        Map<String, Object> params;
        try {
            params = op.input() == null ? new LinkedHashMap<>() : (cbor ? cborReader : reader).readStructure(op.input(), request.bodyBytes());
        } catch (MalformedInputException e) {
            throw errors.serializationException(e);
        }
        errors.validate(op, params);
        return new ParsedRequest(op.name(), params);
    }

    @Override
    public HttpResponseData serialize(RequestContext context, String operation, Map<String, Object> output) {
        Operation op = model.operation(operation);
        if (op == null) throw new IllegalArgumentException("unknown operation " + operation);
        boolean cbor = isCbor(context.request());
        HttpResponseData r = new HttpResponseData(200);
        r.header("Content-Type", cbor ? CBOR_CONTENT_TYPE : contentType);
        r.header("x-amzn-RequestId", Responses.requestId(context));
        if (op.output() != null) r.body((cbor ? cborWriter : writer).writeStructure(op.output(), output));
        return Responses.applyContext(context, r);
    }

    @Override
    public HttpResponseData serializeError(RequestContext context, String operation, ServiceException error) {
        ErrorDescriptor d = ErrorDescriptor.of(model, error);
        boolean cbor = isCbor(context.request());
        HttpResponseData r = new HttpResponseData(d.status());
        r.header("Content-Type", cbor ? CBOR_CONTENT_TYPE : contentType);
        r.header("x-amzn-RequestId", Responses.requestId(context));
        r.header("X-Amzn-Errortype", d.shape() != null ? d.shape().name() : d.typeName());
        if (model.isAwsQueryCompatible()) r.header("x-amzn-query-error", d.queryCode() + ";" + d.faultType());
        ByteArrayBuilder buf = new ByteArrayBuilder(128);
        try (JsonGenerator g = (cbor ? cborWriter : writer).generator(buf)) {
            g.writeStartObject();
            g.writeStringField("__type", qualifiedType ? d.typeName() : d.shape() != null ? d.shape().name() : d.typeName());
            (cbor ? cborErrors : errors).writeErrorMembers(g, d, error);
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        r.body(buf.toByteArray());
        return r;
    }
}
