package dev.polystack.protocol.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.cbor.databind.CBORMapper;
import dev.polystack.api.HttpRequestData;
import dev.polystack.api.HttpResponseData;
import dev.polystack.api.RequestContext;
import dev.polystack.api.ServiceException;
import dev.polystack.protocol.Codecs;
import dev.polystack.protocol.ParsedRequest;
import dev.polystack.protocol.ProtocolCodec;
import dev.polystack.protocol.model.Member;
import dev.polystack.protocol.model.Operation;
import dev.polystack.protocol.model.ServiceModel;
import dev.polystack.protocol.model.Shape;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NamedNodeMap;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;
import software.amazon.smithy.model.Model;
import software.amazon.smithy.model.knowledge.TopDownIndex;
import software.amazon.smithy.model.shapes.OperationShape;
import software.amazon.smithy.model.shapes.ServiceShape;
import software.amazon.smithy.model.shapes.ShapeId;
import software.amazon.smithy.protocoltests.traits.AppliesTo;
import software.amazon.smithy.protocoltests.traits.HttpMalformedRequestDefinition;
import software.amazon.smithy.protocoltests.traits.HttpMalformedRequestTestCase;
import software.amazon.smithy.protocoltests.traits.HttpMalformedRequestTestsTrait;
import software.amazon.smithy.protocoltests.traits.HttpMalformedResponseBodyDefinition;
import software.amazon.smithy.protocoltests.traits.HttpMalformedResponseDefinition;
import software.amazon.smithy.protocoltests.traits.HttpRequestTestCase;
import software.amazon.smithy.protocoltests.traits.HttpRequestTestsTrait;
import software.amazon.smithy.protocoltests.traits.HttpResponseTestCase;
import software.amazon.smithy.protocoltests.traits.HttpResponseTestsTrait;

import javax.xml.parsers.DocumentBuilderFactory;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * Every server-side case of AWS's Smithy protocol tests, run against the production codecs built from the
 * Smithy services through {@link SmithyAdapter}: request tests (parse), response and error tests (serialize,
 * bodies compared by media type), malformed-request tests (the error response).
 */
final class ConformanceCases {
    static final List<String> PROTOCOLS = List.of("awsJson1_0", "awsJson1_1", "awsQuery", "ec2Query", "restJson1", "restXml", "rpcv2Cbor");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final CBORMapper CBOR = new CBORMapper();

    /** One case: {@code key} is {@code kind:id}; {@code check} returns null on success, else why it failed. */
    record Case(String protocol, String key, Supplier<String> check) {
    }

    private ConformanceCases() {
    }

    /**
     * The cases, plus per protocol how many were left out because their operation is tagged {@code client-only}:
     * Smithy's protocol test models tag operations whose cases only a client can run (parsing a timestamp with an
     * offset, filling an idempotency token, empty-vs-absent XML a server never writes), next to {@code server-only}
     * twins where a server's behaviour differs (NullAndEmptyHeadersClient / NullAndEmptyHeadersServer).
     */
    record Loaded(List<Case> cases, Map<String, Integer> clientOnly) {
    }

    static Loaded load() {
        ClassLoader cl = ConformanceCases.class.getClassLoader();
        Model model = Model.assembler(cl).discoverModels(cl).disableValidation().assemble().getResult()
                .orElseThrow(() -> new IllegalStateException("Smithy protocol test models did not assemble"));
        List<Case> cases = new ArrayList<>();
        Map<String, Integer> clientOnly = new TreeMap<>();
        Set<String> seen = new HashSet<>();
        TopDownIndex index = TopDownIndex.of(model);
        for (ServiceShape service : model.getServiceShapes()) {
            for (Map.Entry<String, String[]> p : new TreeMap<>(SmithyAdapter.PROTOCOLS).entrySet()) {
                if (service.findTrait(p.getKey()).isEmpty()) continue;
                ShapeId protocolId = ShapeId.from(p.getKey());
                String protocol = p.getValue()[2];
                Lazy lazy = new Lazy(() -> {
                    ServiceModel sm = SmithyAdapter.compile(model, service, p.getKey());
                    return Codecs.create(sm, sm.protocol());
                });
                for (OperationShape op : index.getContainedOperations(service)) {
                    String opName = op.getId().getName();
                    if (op.getTags().contains("client-only")) {
                        int n = op.getTrait(HttpRequestTestsTrait.class).map(t -> t.getTestCasesFor(AppliesTo.SERVER).size()).orElse(0)
                                + op.getTrait(HttpResponseTestsTrait.class).map(t -> t.getTestCasesFor(AppliesTo.SERVER).size()).orElse(0);
                        if (n > 0 && seen.add(protocol + "client-only:" + op.getId())) clientOnly.merge(protocol, n, Integer::sum);
                        continue;
                    }
                    op.getTrait(HttpRequestTestsTrait.class).ifPresent(t -> {
                        for (HttpRequestTestCase c : t.getTestCasesFor(AppliesTo.SERVER)) {
                            if (!c.getProtocol().equals(protocolId) || !seen.add(protocol + "request:" + c.getId())) continue;
                            cases.add(new Case(protocol, "request:" + c.getId(), () -> request(lazy, opName, c)));
                        }
                    });
                    op.getTrait(HttpResponseTestsTrait.class).ifPresent(t -> {
                        for (HttpResponseTestCase c : t.getTestCasesFor(AppliesTo.SERVER)) {
                            if (!c.getProtocol().equals(protocolId) || !seen.add(protocol + "response:" + c.getId())) continue;
                            cases.add(new Case(protocol, "response:" + c.getId(), () -> response(lazy, opName, c)));
                        }
                    });
                    op.getTrait(HttpMalformedRequestTestsTrait.class).ifPresent(t -> {
                        List<HttpMalformedRequestTestCase> all = t.getTestCases();
                        Map<String, Integer> counts = new LinkedHashMap<>();
                        for (HttpMalformedRequestTestCase c : all) counts.merge(c.getId(), 1, Integer::sum);
                        Map<String, Integer> n = new LinkedHashMap<>();
                        for (HttpMalformedRequestTestCase c : all) {
                            if (!c.getProtocol().equals(protocolId)) continue;
                            int i = n.merge(c.getId(), 1, Integer::sum) - 1;
                            String id = counts.get(c.getId()) > 1 ? c.getId() + "[" + i + "]" : c.getId();
                            if (!seen.add(protocol + "malformed:" + id)) continue;
                            cases.add(new Case(protocol, "malformed:" + id, () -> malformed(lazy, opName, c)));
                        }
                    });
                    for (ShapeId errorId : op.getErrors(service)) {
                        model.expectShape(errorId).getTrait(HttpResponseTestsTrait.class).ifPresent(t -> {
                            for (HttpResponseTestCase c : t.getTestCasesFor(AppliesTo.SERVER)) {
                                if (!c.getProtocol().equals(protocolId) || !seen.add(protocol + "error:" + c.getId())) continue;
                                cases.add(new Case(protocol, "error:" + c.getId(), () -> error(lazy, opName, errorId.getName(), c)));
                            }
                        });
                    }
                }
            }
        }
        return new Loaded(cases, clientOnly);
    }

    /** A codec compiled on first use; a compile failure fails every case of the service with its reason. */
    static final class Lazy {
        private final Supplier<ProtocolCodec> factory;
        private ProtocolCodec codec;
        private RuntimeException failure;

        Lazy(Supplier<ProtocolCodec> factory) {
            this.factory = factory;
        }

        synchronized ProtocolCodec get() {
            if (codec == null && failure == null) {
                try {
                    codec = factory.get();
                } catch (RuntimeException e) {
                    failure = e;
                }
            }
            if (failure != null) throw new IllegalStateException("codec unavailable: " + failure, failure);
            return codec;
        }
    }

    // ---------------------------------------------------------------- kinds

    private static String request(Lazy lazy, String opName, HttpRequestTestCase c) {
        ProtocolCodec codec = lazy.get();
        HttpRequestData req = httpRequest(c.getMethod(), s3PathStyle(c.getResolvedHost().orElse(null), c.getUri()), c.getQueryParams(),
                asClientsSend(codec.model(), opName, c), c.getBody().orElse(""), c.getBodyMediaType().orElse(null));
        ParsedRequest parsed = codec.parse(req);
        if (!parsed.operation().equals(opName)) return "parsed as operation " + parsed.operation() + ", expected " + opName;
        Operation op = codec.model().operation(opName);
        Object expected = op.input() == null ? Map.of() : Values.tree(op.input(), c.getParams());
        return Values.diff(expected, parsed.params(), "params");
    }

    /**
     * A case's {@code headers} are the ones it asserts, not all a client sends ("headers not listed are ignored").
     * What every client of the protocol sends is added when a case leaves it out (host-prefix, defaults and
     * compression cases): awsJson's {@code X-Amz-Target} (the operation is selected by it, so it is the one the
     * case's operation implies) and a JSON body's {@code Content-Type} (its {@code bodyMediaType}).
     */
    private static Map<String, String> asClientsSend(ServiceModel model, String opName, HttpRequestTestCase c) {
        Map<String, String> out = new LinkedHashMap<>(c.getHeaders());
        boolean awsJson = model.protocol().equals("json");
        if (awsJson && !hasHeader(out, "X-Amz-Target")) out.put("X-Amz-Target", model.targetPrefix() + "." + opName);
        String mediaType = c.getBodyMediaType().orElse(null);
        if (model.protocol().equals("rest-json") && "application/json".equals(mediaType) && !c.getBody().orElse("").isEmpty()
                && !hasHeader(out, "Content-Type")) {
            out.put("Content-Type", mediaType);
        }
        return out;
    }

    private static boolean hasHeader(Map<String, String> headers, String name) {
        return headers.keySet().stream().anyMatch(k -> k.equalsIgnoreCase(name));
    }

    /**
     * What the gateway's router does before any codec sees an S3 request: a virtual-host request
     * ({@code mybucket.s3.us-west-2.amazonaws.com/key}) becomes path style ({@code /mybucket/key}).
     */
    private static String s3PathStyle(String host, String uri) {
        if (host == null) return uri;
        String[] labels = host.split("\\.");
        for (int i = 1; i < labels.length; i++) {
            if (labels[i].equals("s3") || labels[i].equals("s3-accelerate")) {
                String bucket = String.join(".", java.util.Arrays.copyOfRange(labels, 0, i));
                return "/" + bucket + (uri.equals("/") ? "" : uri);
            }
        }
        return uri;
    }

    private static String response(Lazy lazy, String opName, HttpResponseTestCase c) {
        ProtocolCodec codec = lazy.get();
        Operation op = codec.model().operation(opName);
        @SuppressWarnings("unchecked")
        Map<String, Object> output = op.output() == null ? Map.of() : (Map<String, Object>) Values.tree(op.output(), c.getParams());
        HttpResponseData r = codec.serialize(context(), opName, output);
        return compare(c.getCode(), c.getHeaders(), c.getForbidHeaders(), c.getRequireHeaders(), c.getBody().orElse(null),
                c.getBodyMediaType().orElse(null), r);
    }

    private static String error(Lazy lazy, String opName, String errorName, HttpResponseTestCase c) {
        ProtocolCodec codec = lazy.get();
        Shape shape = codec.model().shape(errorName);
        if (shape == null) return "error shape " + errorName + " not in the model";
        @SuppressWarnings("unchecked")
        Map<String, Object> fields = new LinkedHashMap<>((Map<String, Object>) Values.tree(shape, c.getParams()));
        Member messageMember = shape.member("message") != null ? shape.member("message")
                : shape.member("Message") != null ? shape.member("Message") : shape.member("errorMessage");
        String message = messageMember == null ? null : (String) fields.remove(messageMember.name());
        ServiceException e = new ServiceException(errorName, message);
        fields.forEach(e::with);
        HttpResponseData r = codec.serializeError(context(), opName, e);
        return compare(c.getCode(), c.getHeaders(), c.getForbidHeaders(), c.getRequireHeaders(), c.getBody().orElse(null),
                c.getBodyMediaType().orElse(null), r);
    }

    private static String malformed(Lazy lazy, String opName, HttpMalformedRequestTestCase c) {
        ProtocolCodec codec = lazy.get();
        HttpMalformedRequestDefinition d = c.getRequest();
        HttpRequestData req = httpRequest(d.getMethod(), d.getUri().orElse("/"), d.getQueryParams(), d.getHeaders(),
                d.getBody().orElse(""), d.getBodyMediaType().orElse(null));
        HttpMalformedResponseDefinition expected = c.getResponse();
        ParsedRequest parsed;
        try {
            parsed = codec.parse(req);
        } catch (ServiceException e) {
            HttpResponseData r = codec.serializeError(context(), opName, e);
            String diff = compare(expected.getCode(), expected.getHeaders(), List.of(), List.of(), null, null, r);
            if (diff != null) return diff + " [" + e.code() + ": " + e.getMessage() + "]";
            return expected.getBody().map(b -> malformedBody(b, r)).orElse(null);
        }
        return "expected a " + expected.getCode() + " error, but the request parsed as " + parsed.operation() + " " + Values.show(parsed.params());
    }

    private static String malformedBody(HttpMalformedResponseBodyDefinition b, HttpResponseData r) {
        if (b.getContents().isPresent()) return compareBody(b.getContents().get(), b.getMediaType(), r.bodyBytes());
        if (b.getMessageRegex().isPresent()) {
            String message = message(b.getMediaType(), r.bodyBytes());
            if (message == null || !Pattern.compile(b.getMessageRegex().get(), Pattern.DOTALL).matcher(message).find()) {
                return "error message " + Values.show(message) + " does not match " + b.getMessageRegex().get();
            }
        }
        return null;
    }

    private static String message(String mediaType, byte[] body) {
        try {
            if (mediaType.contains("json")) {
                JsonNode n = JSON.readTree(body);
                JsonNode m = n.has("message") ? n.get("message") : n.get("Message");
                return m == null ? null : m.asText();
            }
            if (mediaType.contains("cbor")) {
                JsonNode n = CBOR.readTree(body);
                JsonNode m = n.has("message") ? n.get("message") : n.get("Message");
                return m == null ? null : m.asText();
            }
            if (mediaType.contains("xml")) {
                NodeList l = xml(body).getElementsByTagName("Message");
                return l.getLength() == 0 ? null : l.item(0).getTextContent();
            }
        } catch (Exception e) {
            return null;
        }
        return new String(body, StandardCharsets.UTF_8);
    }

    // ---------------------------------------------------------------- HTTP

    static HttpRequestData httpRequest(String method, String uri, List<String> queryParams, Map<String, String> headers,
                                       String body, String bodyMediaType) {
        byte[] bytes = bodyMediaType != null && bodyMediaType.contains("cbor")
                ? Base64.getDecoder().decode(body) : body.getBytes(StandardCharsets.UTF_8);
        // The gateway decodes gzip request bodies before any codec sees them; do the same here.
        String encoding = headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase("Content-Encoding"))
                .map(Map.Entry::getValue).findFirst().orElse("");
        if (encoding.contains("gzip")) {
            try (var in = new java.util.zip.GZIPInputStream(new ByteArrayInputStream(bytes))) {
                bytes = in.readAllBytes();
            } catch (java.io.IOException e) {
                // Client-side cases give the uncompressed body: keep it.
            }
            headers = new LinkedHashMap<>(headers);
            headers.entrySet().removeIf(e -> e.getKey().equalsIgnoreCase("Content-Encoding") || e.getKey().equalsIgnoreCase("Content-Length"));
        }
        String path = uri;
        String query = String.join("&", queryParams);
        int q = uri.indexOf('?');
        if (q >= 0) {
            path = uri.substring(0, q);
            query = uri.substring(q + 1) + (query.isEmpty() ? "" : "&" + query);
        }
        Map<String, List<String>> h = new LinkedHashMap<>();
        headers.forEach((k, v) -> h.put(k, List.of(v)));
        if (bytes.length > 0 && headers.keySet().stream().noneMatch(k -> k.equalsIgnoreCase("Content-Length"))) {
            h.put("Content-Length", List.of(Integer.toString(bytes.length)));
        }
        return new HttpRequestData(method, path, query, h, new ByteArrayInputStream(bytes));
    }

    private static RequestContext context() {
        return new RequestContext("123456789012", "us-east-1", "test", "conformance-request-id", null,
                HttpRequestData.of("POST", "/", Map.of(), new byte[0]));
    }

    static String compare(int code, Map<String, String> headers, List<String> forbid, List<String> require,
                          String body, String mediaType, HttpResponseData r) {
        if (r.status() != code) return "status " + r.status() + ", expected " + code + "; body " + Values.show(r.bodyBytes());
        for (Map.Entry<String, String> h : headers.entrySet()) {
            String actual = r.header(h.getKey());
            if (actual == null) return "missing header " + h.getKey() + " (expected " + h.getValue() + ")";
            // A request id is the server's own (as in the XML bodies below): any one will do.
            if (h.getKey().equalsIgnoreCase("X-Amzn-RequestId") && !actual.isBlank()) continue;
            if (!actual.equals(h.getValue()) && !normalizeList(actual).equals(normalizeList(h.getValue()))) {
                return "header " + h.getKey() + ": expected " + Values.show(h.getValue()) + " but was " + Values.show(actual);
            }
        }
        for (String f : forbid) if (r.header(f) != null) return "forbidden header " + f + " present";
        for (String q : require) if (r.header(q) == null) return "required header " + q + " missing";
        if (body == null) return null;
        byte[] actual = r.isStreamed() ? readAll(r) : r.bodyBytes();
        if (body.isEmpty()) return actual.length == 0 ? null : "expected an empty body, got " + Values.show(actual);
        return compareBody(body, mediaType, actual);
    }

    private static byte[] readAll(HttpResponseData r) {
        try (var in = r.bodyStream()) {
            return in.readAllBytes();
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<String> normalizeList(String v) {
        List<String> out = new ArrayList<>();
        for (String s : v.split(",")) out.add(s.trim());
        return out;
    }

    static String compareBody(String expected, String mediaType, byte[] actual) {
        String mt = mediaType == null ? "" : mediaType;
        try {
            if (mt.contains("json")) {
                if (actual.length == 0) return "expected a JSON body " + Values.show(expected) + ", got none";
                return Values.jsonDiff(JSON.readTree(expected), JSON.readTree(actual), "body");
            }
            if (mt.contains("cbor")) {
                byte[] e = Base64.getDecoder().decode(expected);
                if (actual.length == 0) return e.length == 0 ? null : "expected a CBOR body, got none";
                return Values.jsonDiff(CBOR.readTree(e), CBOR.readTree(actual), "body");
            }
            if (mt.contains("xml")) {
                if (actual.length == 0) return "expected an XML body " + Values.show(expected) + ", got none";
                String d = xmlDiff(xml(expected.getBytes(StandardCharsets.UTF_8)).getDocumentElement(), xml(actual).getDocumentElement(), "");
                return d == null ? null : d + "; body " + Values.show(actual);
            }
        } catch (Exception e) {
            return "body not comparable (" + e.getMessage() + "): " + Values.show(actual);
        }
        String a = new String(actual, StandardCharsets.UTF_8);
        return a.equals(expected) ? null : "body: expected " + Values.show(expected) + " but was " + Values.show(a);
    }

    private static Document xml(byte[] bytes) throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setNamespaceAware(false);
        return f.newDocumentBuilder().parse(new ByteArrayInputStream(bytes));
    }

    private static String xmlDiff(Element e, Element a, String path) {
        String p = path + "/" + e.getTagName();
        if (!e.getTagName().equals(a.getTagName())) return p + ": element " + a.getTagName() + " instead of " + e.getTagName();
        Map<String, String> ea = attributes(e);
        Map<String, String> aa = attributes(a);
        if (!ea.equals(aa)) return p + ": attributes " + aa + ", expected " + ea;
        List<Element> ec = children(e);
        List<Element> ac = children(a);
        // AWS's query and ec2 responses carry their request id (<ResponseMetadata><RequestId>, <requestId>; botocore
        // reads it); Smithy's cases leave it out.
        for (String id : List.of("ResponseMetadata", "requestId")) {
            if (path.isEmpty() && ec.stream().noneMatch(x -> x.getTagName().equals(id))) ac.removeIf(x -> x.getTagName().equals(id));
        }
        // Sibling elements are matched by name (XML readers map them so); same-named ones, list items, keep their order.
        ec.sort(java.util.Comparator.comparing(Element::getTagName));
        ac.sort(java.util.Comparator.comparing(Element::getTagName));
        if (ec.isEmpty() && ac.isEmpty()) {
            String et = e.getTextContent();
            String at = a.getTextContent();
            // A request id is the server's own: any one will do.
            boolean requestId = e.getTagName().equalsIgnoreCase("RequestId") && !at.isBlank();
            if (!requestId && !et.equals(at) && !et.trim().equals(at.trim())) return p + ": text " + Values.show(at) + ", expected " + Values.show(et);
            return null;
        }
        if (ec.size() != ac.size()) {
            return p + ": " + ac.size() + " child elements " + names(ac) + ", expected " + ec.size() + " " + names(ec);
        }
        for (int i = 0; i < ec.size(); i++) {
            String d = xmlDiff(ec.get(i), ac.get(i), p);
            if (d != null) return d;
        }
        return null;
    }

    private static Map<String, String> attributes(Element e) {
        Map<String, String> m = new TreeMap<>();
        NamedNodeMap attrs = e.getAttributes();
        for (int i = 0; i < attrs.getLength(); i++) m.put(attrs.item(i).getNodeName(), attrs.item(i).getNodeValue());
        return m;
    }

    private static List<Element> children(Element e) {
        List<Element> out = new ArrayList<>();
        NodeList l = e.getChildNodes();
        for (int i = 0; i < l.getLength(); i++) if (l.item(i).getNodeType() == Node.ELEMENT_NODE) out.add((Element) l.item(i));
        return out;
    }

    private static List<String> names(List<Element> l) {
        List<String> out = new ArrayList<>();
        for (Element e : l) out.add(e.getTagName());
        return out;
    }
}
