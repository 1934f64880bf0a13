package dev.polystack.protocol.query;

import dev.polystack.api.HttpRequestData;
import dev.polystack.api.HttpResponseData;
import dev.polystack.api.RequestContext;
import dev.polystack.api.ServiceException;
import dev.polystack.protocol.ErrorDescriptor;
import dev.polystack.protocol.ParsedRequest;
import dev.polystack.protocol.ProtocolCodec;
import dev.polystack.protocol.model.Member;
import dev.polystack.protocol.model.Operation;
import dev.polystack.protocol.model.ServiceModel;
import dev.polystack.protocol.model.Shape;
import dev.polystack.protocol.xml.XmlNames;
import dev.polystack.protocol.xml.XmlToJson;
import dev.polystack.protocol.xml.XmlTreeWriter;
import dev.polystack.protocol.xml.XmlWriter;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The awsQuery protocol (SNS, STS, IAM, SQS's query mode, ...): form requests in, XML out.
 * <pre>
 * &lt;SendMessageResponse xmlns="ns"&gt;&lt;SendMessageResult&gt;...&lt;/SendMessageResult&gt;
 *   &lt;ResponseMetadata&gt;&lt;RequestId&gt;id&lt;/RequestId&gt;&lt;/ResponseMetadata&gt;&lt;/SendMessageResponse&gt;
 * &lt;ErrorResponse xmlns="ns"&gt;&lt;Error&gt;&lt;Type&gt;Sender&lt;/Type&gt;&lt;Code&gt;...&lt;/Code&gt;&lt;Message&gt;...&lt;/Message&gt;&lt;/Error&gt;
 *   &lt;RequestId&gt;id&lt;/RequestId&gt;&lt;/ErrorResponse&gt;
 * </pre>
 */
public class QueryCodec implements ProtocolCodec {
    /** Services whose missing or malformed parameters AWS reports as {@code MissingParameter}/{@code InvalidParameterValue}. */
    private static final Set<String> MISSING_PARAMETER_SERVICES = Set.of("sqs", "ec2");

    protected final ServiceModel model;
    protected final XmlNames names;
    protected final XmlTreeWriter writer;
    /** The writer for answers in JSON ({@code Accept: application/json}): timestamps in epoch seconds. */
    private final XmlTreeWriter jsonWriter;
    protected final QueryParser parser;
    /** SQS's query errors carry an empty {@code <Detail/>}. */
    private final boolean errorDetail;

    public QueryCodec(ServiceModel model) {
        this(model, new XmlNames(model), false);
    }

    protected QueryCodec(ServiceModel model, XmlNames names, boolean ec2) {
        this.model = model;
        this.names = names;
        this.writer = new XmlTreeWriter(names);
        this.jsonWriter = new XmlTreeWriter(names, true);
        this.parser = new QueryParser(names, ec2, MISSING_PARAMETER_SERVICES.contains(model.service())
                ? QueryParser.Validation.MISSING_PARAMETER
                : "sns".equals(model.service()) ? QueryParser.Validation.INVALID_PARAMETER : QueryParser.Validation.VALIDATION_ERROR,
                "sqs".equals(model.service()));
        this.errorDetail = "sqs".equals(model.service());
    }

    @Override
    public String protocol() { return "query"; }

    @Override
    public ServiceModel model() { return model; }

    public XmlNames names() { return names; }

    /** A form post (no JSON target), or an {@code Action} in the query string. */
    @Override
    public boolean recognizes(HttpRequestData request) {
        if (request.header("X-Amz-Target") != null) return false;
        String ct = request.header("Content-Type");
        if (ct != null && ct.regionMatches(true, 0, "application/x-www-form-urlencoded", 0, 33)) return true;
        String q = request.rawQuery();
        return q.startsWith("Action=") || q.contains("&Action=");
    }

    @Override
    public ParsedRequest parse(HttpRequestData request) {
        return parser.parse(request);
    }

    @Override
    public HttpResponseData serialize(RequestContext context, String operation, Map<String, Object> output) {
        Operation op = model.operation(operation);
        if (op == null) throw new IllegalArgumentException("unknown operation " + operation);
        XmlWriter w = new XmlWriter(512);
        if (wantsJson(context)) {
            writeResponse(w, jsonWriter, op, output, context.requestId());
            HttpResponseData r = new HttpResponseData(successStatus(context, op));
            copyProviderHeaders(context, r);
            if (context.requestId() != null) r.header("x-amzn-RequestId", context.requestId());
            return r.header("Content-Type", "application/json").body(XmlToJson.convertToBytes(w.toBytes()));
        }
        writeResponse(w, op, output, context.requestId());
        return response(context, successStatus(context, op), w);
    }

    /**
     * Whether the client asked for JSON ({@code Accept: application/json}): AWS then answers a query API in
     * JSON, the XML document's structure in JSON form. Not for the ec2 protocol, which has no JSON form.
     */
    protected boolean wantsJson(RequestContext context) {
        if (context == null || context.request() == null) return false;
        String accept = context.request().header("Accept");
        return accept != null && accept.toLowerCase(java.util.Locale.ROOT).contains("application/json");
    }

    /** Writes a success document. */
    protected void writeResponse(XmlWriter w, Operation op, Map<String, Object> output, String requestId) {
        writeResponse(w, writer, op, output, requestId);
    }

    private void writeResponse(XmlWriter w, XmlTreeWriter writer, Operation op, Map<String, Object> output, String requestId) {
        String root = op.name() + "Response";
        w.start(root);
        if (names.xmlNamespace() != null) w.attribute("xmlns", names.xmlNamespace());
        if (op.output() != null) {
            String result = names.resultWrapper(op);
            if (output == null || output.isEmpty()) {
                w.emptyElement(result); // AWS: <ReceiveMessageResult/> when nothing was received
            } else {
                w.start(result);
                writer.writeMembers(w, op.output(), output);
                w.end(result);
            }
        }
        w.start("ResponseMetadata").element("RequestId", requestId == null ? "" : requestId).end("ResponseMetadata");
        w.end(root);
    }

    @Override
    public HttpResponseData serializeError(RequestContext context, String operation, ServiceException error) {
        if (QueryParser.UNKNOWN_OPERATION.equals(error.code()) && error.status() == 404) {
            // AWS's exact answer, XML even when JSON was asked for.
            return new HttpResponseData(404).header("Content-Type", "text/xml").body("<UnknownOperationException/>");
        }
        ErrorDescriptor e = ErrorDescriptor.ofQuery(model, error);
        XmlWriter w = new XmlWriter(256);
        writeError(w, e, error, context == null ? null : context.requestId());
        HttpResponseData r = new HttpResponseData(e.status());
        if (context != null) {
            copyProviderHeaders(context, r);
            if (context.requestId() != null) r.header("x-amzn-RequestId", context.requestId());
        }
        if (wantsJson(context)) {
            // AWS's JSON error has no ErrorResponse wrapper: {"Error": {...}, "RequestId": "..."}.
            var json = XmlToJson.convert(w.toBytes()).get("ErrorResponse");
            return r.header("Content-Type", "application/json").body(json.toString());
        }
        return r.header("Content-Type", contentType()).body(w.toBytes());
    }

    /** The media type of responses. */
    protected String contentType() {
        return "text/xml";
    }

    protected void writeError(XmlWriter w, ErrorDescriptor e, ServiceException error, String requestId) {
        w.start("ErrorResponse");
        w.start("Error");
        w.element("Type", e.faultType());
        w.element("Code", e.queryCode());
        if (error.getMessage() != null) w.element("Message", error.getMessage());
        writeErrorFields(w, e.shape(), error.fields());
        if (errorDetail) w.start("Detail").end("Detail");
        w.end("Error");
        w.element("RequestId", requestId == null ? "" : requestId);
        w.end("ErrorResponse");
    }

    /** Extra members of the error shape (typed by the shape when it is modelled). */
    protected void writeErrorFields(XmlWriter w, Shape shape, Map<String, Object> fields) {
        if (fields.isEmpty()) return;
        for (Map.Entry<String, Object> f : fields.entrySet()) {
            if (f.getValue() == null || "Code".equals(f.getKey()) || "Message".equals(f.getKey())) continue;
            Member m = shape == null ? null : shape.member(f.getKey());
            if (m != null) writer.writeMember(w, m, f.getValue());
            else w.element(f.getKey(), String.valueOf(f.getValue()));
        }
    }

    /** The provider's status when it set one, else the operation's. */
    protected static int successStatus(RequestContext context, Operation op) {
        int s = context == null ? 0 : context.response().status();
        return s != 0 && s != 200 ? s : op.responseCode();
    }

    protected HttpResponseData response(RequestContext context, int status, XmlWriter w) {
        HttpResponseData r = new HttpResponseData(status);
        if (context != null) {
            copyProviderHeaders(context, r);
            if (context.requestId() != null) r.header("x-amzn-RequestId", context.requestId());
        }
        return r.header("Content-Type", contentType()).body(w.toBytes());
    }

    protected static void copyProviderHeaders(RequestContext context, HttpResponseData r) {
        for (Map.Entry<String, List<String>> h : context.response().headers().entrySet()) {
            for (String v : h.getValue()) r.addHeader(h.getKey(), v);
        }
    }
}
