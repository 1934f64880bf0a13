package dev.polystack.protocol.restxml;

import dev.polystack.api.HttpRequestData;
import dev.polystack.api.HttpResponseData;
import dev.polystack.api.RequestContext;
import dev.polystack.api.ServiceException;
import dev.polystack.protocol.ErrorDescriptor;
import dev.polystack.api.StreamingBody;
import dev.polystack.protocol.ParsedRequest;
import dev.polystack.protocol.ProtocolCodec;
import dev.polystack.protocol.model.Location;
import dev.polystack.protocol.model.Member;
import dev.polystack.protocol.model.Operation;
import dev.polystack.protocol.model.ServiceModel;
import dev.polystack.protocol.model.Shape;
import dev.polystack.protocol.model.ShapeType;
import dev.polystack.protocol.model.TimestampFormat;
import dev.polystack.protocol.model.UriTemplate;
import dev.polystack.protocol.model.XmlNamespace;
import dev.polystack.protocol.rest.RestBinding;
import dev.polystack.protocol.rest.RestRouter;
import dev.polystack.protocol.xml.RequestBodies;
import dev.polystack.protocol.xml.WireValues;
import dev.polystack.protocol.xml.XmlNames;
import dev.polystack.protocol.xml.XmlTreeReader;
import dev.polystack.protocol.xml.XmlTreeWriter;
import dev.polystack.protocol.xml.XmlWriter;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The rest-xml protocol (S3, Route 53, CloudFront): operations found by method, URI template and query
 * keys; members bound to URI labels (greedy {@code {Key+}} too), query parameters, headers, prefix headers
 * ({@code x-amz-meta-*}) and the body (an XML document, or a blob/string payload that stays a stream).
 * Responses mirror that; S3's quirks (root element names, empty bodies for empty outputs, unwrapped
 * {@code <Error>} documents, {@code GetBucketLocation}) live in {@link S3Quirks}.
 */
public class RestXmlCodec implements ProtocolCodec {
    private static final String XML_DECLARATION = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>";

    /** What parsing an operation's input needs, computed once. */
    private record InputPlan(Member[] uri, Member[] query, Member queryMap, Set<String> boundQueryKeys, Set<String> literalQueryKeys,
                             Member[] headers,
                             Member[] prefixHeaders, Member payload, boolean hasBodyMembers) {
    }

    protected final ServiceModel model;
    protected final XmlNames names;
    protected final XmlTreeWriter writer;
    protected final XmlTreeReader reader;
    private final RestRouter router;
    private final Map<String, InputPlan> inputPlans = new java.util.concurrent.ConcurrentHashMap<>();
    private final boolean s3;
    /** S3 (and services marked {@code noErrorWrapping}) answer errors as a bare {@code <Error>}. */
    private final boolean unwrappedErrors;
    private final String namespace;

    public RestXmlCodec(ServiceModel model) {
        this.model = model;
        this.names = new XmlNames(model);
        this.writer = new XmlTreeWriter(names, false, S3Quirks.isS3(model));
        this.reader = new XmlTreeReader(names);
        this.s3 = S3Quirks.isS3(model);
        this.unwrappedErrors = s3 || model.isNoErrorWrapping();
        this.router = RestRouter.selectingByRequiredMembers(model);
        this.namespace = defaultNamespace(model, s3);
    }

    @Override
    public String protocol() { return "rest-xml"; }

    @Override
    public ServiceModel model() { return model; }

    @Override
    public boolean recognizes(HttpRequestData request) { return true; }

    // ------------------------------------------------------------------ parsing

    @Override
    public ParsedRequest parse(HttpRequestData request) {
        Map<String, List<String>> query = request.queryParameters();
        RestRouter.Match match = router.match(request);
        if (match == null) {
            List<String> segments = UriTemplate.splitPath(request.path());
            throw new ServiceException("MethodNotAllowed", "The specified method is not allowed against this resource.", 405)
                    .with("Method", request.method()).with("ResourceType", segments.size() > 1 ? "OBJECT" : segments.isEmpty() ? "SERVICE" : "BUCKET");
        }
        Operation op = match.operation();
        Map<String, Object> params = new LinkedHashMap<>();
        Shape input = op.input();
        if (input == null) return new ParsedRequest(op.name(), params);
        InputPlan plan = inputPlan(op);
        try {
            for (Member m : plan.uri) {
                String v = match.labels().get(m.wireName());
                if (v != null) params.put(m.name(), WireValues.parse(m.shape().type(), v, m.timestampFormat()));
            }
            for (Member m : plan.query) {
                List<String> v = query.get(m.wireName());
                if (v == null) continue;
                if (m.shape().type() == ShapeType.LIST) {
                    List<Object> list = new ArrayList<>(v.size());
                    Member item = m.shape().listMember();
                    for (String s : v) list.add(WireValues.parse(item.shape().type(), s, timestampFormat(item, m, TimestampFormat.ISO8601)));
                    params.put(m.name(), list);
                } else if (v.get(0).isBlank() && isNumber(m.shape().type())) {
                    continue; // S3 ignores an empty numeric query parameter (?part-number-marker=, ?max-parts=), as if absent
                } else {
                    params.put(m.name(), WireValues.parse(m.shape().type(), v.get(0), timestampFormat(m, null, TimestampFormat.ISO8601)));
                }
            }
            if (plan.queryMap != null) {
                // Smithy's server rule: the map holds every query parameter, bound ones too; a map that would
                // hold nothing but bound ones is left out.
                boolean unbound = false;
                for (String k : query.keySet()) {
                    if (!plan.boundQueryKeys.contains(k)) {
                        unbound = true;
                        break;
                    }
                }
                if (unbound) {
                    Map<String, Object> all = new LinkedHashMap<>();
                    boolean listValues = plan.queryMap.shape().mapValue().shape().type() == ShapeType.LIST;
                    for (Map.Entry<String, List<String>> e : query.entrySet()) {
                        if (!plan.literalQueryKeys.contains(e.getKey())) {
                            all.put(e.getKey(), listValues ? List.copyOf(e.getValue()) : e.getValue().get(0));
                        }
                    }
                    params.put(plan.queryMap.name(), all);
                }
            }
            for (Member m : plan.headers) {
                List<String> values = request.headers().get(m.wireName());
                if (values == null || values.isEmpty()) continue;
                params.put(m.name(), HttpHeaderValues.parse(m, values));
            }
            for (Member m : plan.prefixHeaders) {
                String prefix = m.wireName().toLowerCase(Locale.ROOT);
                Map<String, Object> map = new LinkedHashMap<>();
                for (Map.Entry<String, List<String>> h : request.headers().entrySet()) {
                    String name = h.getKey();
                    if (name.length() > prefix.length() && name.regionMatches(true, 0, prefix, 0, prefix.length())) {
                        map.put(name.substring(prefix.length()).toLowerCase(Locale.ROOT), String.join(",", h.getValue()));
                    }
                }
                if (!map.isEmpty()) params.put(m.name(), map);
            }
        } catch (WireValues.BadValueException e) {
            throw new ServiceException("InvalidArgument", "Invalid value: " + e.getMessage());
        }
        readBody(request, input, plan, params);
        for (String r : input.required()) {
            if (!params.containsKey(r)) throw missing(op, input.member(r));
        }
        return new ParsedRequest(op.name(), params);
    }

    private void readBody(HttpRequestData request, Shape input, InputPlan plan, Map<String, Object> params) {
        Member p = plan.payload;
        try {
            if (p != null) {
                ShapeType t = p.shape().type();
                if (p.isStreaming()) {
                    params.put(p.name(), new StreamingBody(request.body(), request.contentLength()));
                } else if (t == ShapeType.BLOB) {
                    byte[] b = body(request);
                    if (b.length > 0) params.put(p.name(), b);
                } else if (t == ShapeType.STRING) {
                    // a required text document sent empty is empty text, for the provider to judge (S3 answers
                    // PutBucketPolicy's empty policy MalformedPolicy, not a missing body)
                    byte[] b = body(request);
                    if (b.length > 0 || input.required().contains(p.name())) params.put(p.name(), new String(b, StandardCharsets.UTF_8));
                } else {
                    byte[] b = body(request);
                    if (b.length > 0) {
                        Object v = reader.read(new ByteArrayInputStream(b), p);
                        if (v != null) params.put(p.name(), v);
                    }
                }
            } else if (plan.hasBodyMembers) {
                byte[] b = body(request);
                if (b.length > 0) {
                    Map<String, Object> body = reader.readStructure(new ByteArrayInputStream(b), input);
                    if (body != null) {
                        for (Member m : input.bodyMembers()) {
                            Object v = body.get(m.name());
                            if (v != null) params.put(m.name(), v);
                        }
                    }
                }
            }
        } catch (XmlTreeReader.MalformedXmlException e) {
            throw new ServiceException("MalformedXML", e.getMessage());
        }
    }

    /** A small body as bytes; gzip-compressed documents decoded (never S3's: its bodies are object data). */
    private byte[] body(HttpRequestData request) {
        return s3 ? request.bodyBytes() : RequestBodies.document(request);
    }

    private ServiceException missing(Operation op, Member m) {
        if (m.location() == Location.BODY) {
            if (s3) return new ServiceException("MissingRequestBodyError", "Request Body is empty");
            return new ServiceException("MalformedXML", "The XML you provided was not well-formed or did not validate against our published schema");
        }
        if (m.location() == Location.HEADER) {
            return new ServiceException("MissingParameter", "The request must contain the header " + m.wireName() + ".");
        }
        return new ServiceException("InvalidRequest", "Missing required parameter " + m.wireName() + " for " + op.name() + ".");
    }

    private InputPlan inputPlan(Operation op) {
        InputPlan p = inputPlans.get(op.name());
        if (p != null) return p;
        Shape in = op.input();
        List<Member> uri = new ArrayList<>(), query = new ArrayList<>(), headers = new ArrayList<>(), prefix = new ArrayList<>();
        Member queryMap = null;
        Set<String> bound = new HashSet<>(List.of(op.uriTemplate().queryKeys()));
        for (Member m : in.nonBodyMembers()) {
            switch (m.location()) {
                case URI -> uri.add(m);
                case QUERYSTRING -> {
                    if (m.shape().type() == ShapeType.MAP) queryMap = m;
                    else {
                        query.add(m);
                        bound.add(m.wireName());
                    }
                }
                case HEADER -> headers.add(m);
                case HEADERS -> prefix.add(m);
                default -> { }
            }
        }
        p = new InputPlan(uri.toArray(new Member[0]), query.toArray(new Member[0]), queryMap, Set.copyOf(bound),
                Set.of(op.uriTemplate().queryKeys()),
                headers.toArray(new Member[0]), prefix.toArray(new Member[0]), in.payloadMember(), in.bodyMembers().length > 0);
        inputPlans.put(op.name(), p);
        return p;
    }

    private static TimestampFormat timestampFormat(Member m, Member outer, TimestampFormat dflt) {
        TimestampFormat f = outer != null && outer.timestampFormat() != null ? outer.timestampFormat() : m.timestampFormat();
        return f != null ? f : dflt;
    }

    // ------------------------------------------------------------------ serializing

    @Override
    public HttpResponseData serialize(RequestContext context, String operation, Map<String, Object> output) {
        Operation op = model.operation(operation);
        if (op == null) throw new IllegalArgumentException("unknown operation " + operation);
        HttpResponseData r = new HttpResponseData(op.responseCode());
        Shape out = op.output();
        if (out != null && output != null) {
            writeBoundMembers(r, out, output);
            Member p = out.payloadMember();
            if (p != null) {
                writePayload(r, p, output.get(p.name()));
            } else if (S3Quirks.isBucketLocation(s3, op)) {
                XmlWriter w = new XmlWriter(128).declaration();
                w.start("LocationConstraint").attribute("xmlns", S3Quirks.NAMESPACE);
                Object v = output.get("LocationConstraint");
                if (v != null) w.text(v.toString());
                w.end("LocationConstraint");
                xmlBody(r, w);
            } else if (hasBodyValues(out, output)) {
                XmlWriter w = new XmlWriter(512).declaration();
                String root = rootName(op, out);
                w.start(root);
                XmlNamespace ns = out.xmlNamespace();
                if (ns != null && ns.uri() != null) w.attribute(ns.attributeName(), ns.uri());
                else if (namespace != null) w.attribute("xmlns", namespace);
                writeAttributes(w, out, output);
                writer.writeMembers(w, s3 ? S3Quirks.memberOrder(op.name(), out.memberArray()) : out.memberArray(), output);
                w.end(root);
                xmlBody(r, w);
            } else if (!s3) {
                r.header("Content-Type", "application/xml");
            }
        }
        if (context != null) {
            int status = context.response().status();
            if (status != 0 && status != 200) r.status(status);
            copyProviderHeaders(context, r);
            requestIdHeaders(context, r);
        }
        if (!r.isStreamed() && r.bodyBytes().length == 0 && r.header("Content-Length") == null) r.header("Content-Length", "0");
        return r;
    }

    /** Headers, prefix headers and the status code, bound as rest-json binds them (one {@link RestBinding}). */
    private static void writeBoundMembers(HttpResponseData r, Shape shape, Map<String, Object> value) {
        int status = RestBinding.writeNonBody(shape, value, r);
        if (status > 0) r.status(status);
    }

    private void writePayload(HttpResponseData r, Member p, Object v) {
        if (v == null) return;
        switch (p.shape().type()) {
            case BLOB, STRING -> {
                if (v instanceof StreamingBody sb) r.body(sb.stream(), sb.length());
                else if (v instanceof byte[] b) r.body(b);
                else if (v instanceof InputStream in) r.body(in, -1);
                else r.body(v.toString());
                if (r.header("Content-Type") == null) {
                    String mt = p.shape().mediaType();
                    r.header("Content-Type", mt != null ? mt : p.shape().type() == ShapeType.STRING ? "text/plain" : "application/octet-stream");
                }
            }
            case STRUCTURE -> {
                XmlWriter w = new XmlWriter(256).declaration();
                String root = payloadRootName(p);
                XmlNamespace ns = p.xmlNamespace() != null ? p.xmlNamespace() : p.shape().xmlNamespace();
                if (ns == null && namespace != null) ns = new XmlNamespace(namespace, null);
                writer.writeValue(w, root, p, v, ns);
                xmlBody(r, w);
            }
            default -> r.body(WireValues.format(p.shape().type(), v, p.timestampFormat()));
        }
    }

    private void writeAttributes(XmlWriter w, Shape shape, Map<String, Object> value) {
        for (Member a : shape.bodyMembers()) {
            if (!a.isXmlAttribute()) continue;
            Object v = value.get(a.name());
            if (v != null) w.attribute(names.name(a), XmlTreeWriter.scalar(a, v));
        }
    }

    private static boolean hasBodyValues(Shape shape, Map<String, Object> value) {
        if (value.isEmpty()) return false;
        for (Member m : shape.memberArray()) if (XmlTreeWriter.inBody(m) && value.get(m.name()) != null) return true;
        return false;
    }

    private String rootName(Operation op, Shape out) {
        String n = s3 ? S3Quirks.rootElement(op.name()) : null;
        if (n == null) n = op.outputLocationName();
        if (n == null) n = out.locationName();
        return n != null ? n : out.name();
    }

    private static String payloadRootName(Member p) {
        if (p.locationName() != null) return p.locationName();
        if (p.shape().locationName() != null) return p.shape().locationName();
        return p.shape().name();
    }

    private static void xmlBody(HttpResponseData r, XmlWriter w) {
        r.header("Content-Type", "application/xml");
        r.body(w.toBytes());
    }

    private void requestIdHeaders(RequestContext context, HttpResponseData r) {
        String id = context.requestId();
        if (id == null) return;
        if (s3) {
            r.header("x-amz-request-id", id);
            r.header("x-amz-id-2", S3Quirks.hostId(id));
        } else {
            r.header("x-amzn-RequestId", id);
        }
    }

    private static void copyProviderHeaders(RequestContext context, HttpResponseData r) {
        for (Map.Entry<String, List<String>> h : context.response().headers().entrySet()) {
            List<String> values = h.getValue();
            if (values.isEmpty()) continue;
            r.header(h.getKey(), values.get(0));
            for (int i = 1; i < values.size(); i++) r.addHeader(h.getKey(), values.get(i));
        }
    }

    // ------------------------------------------------------------------ errors

    @Override
    public HttpResponseData serializeError(RequestContext context, String operation, ServiceException error) {
        ErrorDescriptor d = ErrorDescriptor.of(model, error);
        Shape shape = d.shape();
        String code = d.queryCode();
        boolean sender = d.senderFault();
        HttpResponseData r = new HttpResponseData(d.status());
        Map<String, Object> bodyFields = error.fields();
        if (shape != null && shape.nonBodyMembers().length > 0 && !error.fields().isEmpty()) {
            writeBoundMembers(r, shape, error.fields());
            bodyFields = new LinkedHashMap<>(error.fields());
            for (Member m : shape.nonBodyMembers()) bodyFields.remove(m.name());
        }
        String requestId = context == null ? null : context.requestId();
        if (context != null) {
            copyProviderHeaders(context, r);
            requestIdHeaders(context, r);
        }
        boolean head = context != null && context.request() != null && "HEAD".equals(context.request().method());
        if (head) return r; // HEAD answers carry no body, errors included.
        XmlWriter w = new XmlWriter(256).declaration();
        if (unwrappedErrors) {
            w.start("Error");
            w.element("Code", code);
            w.element("Message", error.getMessage() == null ? "" : error.getMessage());
            writeErrorFields(w, shape, bodyFields);
            if (requestId != null) {
                w.element("RequestId", requestId);
                w.element("HostId", S3Quirks.hostId(requestId));
            }
            w.end("Error");
        } else {
            w.start("ErrorResponse");
            if (namespace != null) w.attribute("xmlns", namespace);
            w.start("Error");
            w.element("Type", sender ? "Sender" : "Receiver");
            w.element("Code", code);
            if (error.getMessage() != null) w.element("Message", error.getMessage());
            writeErrorFields(w, shape, bodyFields);
            w.end("Error");
            w.element("RequestId", requestId == null ? "" : requestId);
            w.end("ErrorResponse");
        }
        xmlBody(r, w);
        return r;
    }

    private void writeErrorFields(XmlWriter w, Shape shape, Map<String, Object> fields) {
        for (Map.Entry<String, Object> f : fields.entrySet()) {
            if (f.getValue() == null || "Code".equals(f.getKey()) || "Message".equals(f.getKey())) continue;
            Member m = shape == null ? null : shape.member(f.getKey());
            if (m != null) writer.writeMember(w, m, f.getValue());
            else w.element(f.getKey(), f.getValue() instanceof byte[] b ? Base64.getEncoder().encodeToString(b) : String.valueOf(f.getValue()));
        }
    }

    /**
     * The namespace of response roots: the specification's; else S3's; else the one every XML-body input
     * of the service declares (Route 53, CloudFront); else none.
     */
    private static String defaultNamespace(ServiceModel model, boolean s3) {
        if (model.xmlNamespace() != null) return model.xmlNamespace();
        if (s3) return S3Quirks.NAMESPACE;
        String common = null;
        for (Operation op : model.operations().values()) {
            if (op.input() == null || op.input().bodyMembers().length == 0 && op.input().payloadMember() == null) continue;
            XmlNamespace ns = op.inputXmlNamespace();
            if (ns == null || ns.uri() == null) return null;
            if (common == null) common = ns.uri();
            else if (!common.equals(ns.uri())) return null;
        }
        return common;
    }

    private static boolean isNumber(ShapeType type) {
        return type == ShapeType.INTEGER || type == ShapeType.LONG || type == ShapeType.SHORT || type == ShapeType.BYTE;
    }
}
