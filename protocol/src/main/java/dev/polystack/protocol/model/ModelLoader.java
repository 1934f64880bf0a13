package dev.polystack.protocol.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.GZIPInputStream;

/**
 * Compiles a service specification in botocore's {@code service-2.json} form into a {@link ServiceModel}.
 *
 * <p>Besides botocore's keys it accepts a few extensions so that other sources (the Smithy protocol tests)
 * can be expressed in the same form: shape types {@code byte}, {@code short}, {@code bigInteger},
 * {@code bigDecimal}, {@code document}; shape keys {@code uniqueItems}, {@code mediaType}, {@code jsonvalue};
 * member keys {@code default} (a JSON value) and {@code eventheader}; shape key {@code namespace} (Smithy
 * namespace, for JSON {@code __type}); error key {@code queryHttpStatusCode}; metadata {@code strictValidation}
 * (validate lengths, ranges, patterns and enums) and {@code validationStyle} ({@code coral} or {@code smithy}).
 */
public final class ModelLoader {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private ModelLoader() {
    }

    /** Loads {@code service-2.json} or {@code service-2.json.gz}. */
    public static ServiceModel load(String service, Path specFile) {
        try (InputStream raw = Files.newInputStream(specFile);
             InputStream in = specFile.getFileName().toString().endsWith(".gz") ? new GZIPInputStream(raw, 65536) : raw) {
            JsonNode spec = MAPPER.readTree(in);
            applyOverlay(service, spec);
            return compile(service, spec);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + specFile, e);
        }
    }

    /**
     * Merges {@code dev/polystack/protocol/overlays/<service>.json} (if any) over a specification: objects
     * merge member by member, anything else replaces. It restores what botocore's files lost or never had
     * (SQS's query error codes, for instance) without editing the installed package.
     */
    static void applyOverlay(String service, JsonNode spec) throws IOException {
        try (InputStream in = Overlays.open(service)) {
            if (in != null && spec instanceof ObjectNode target) {
                JsonNode overlay = MAPPER.readTree(in);
                keepJsonNames(target, overlay);
                merge(target, overlay);
            }
        }
    }

    /**
     * The protocol list an overlay sets for a service, or null. Read when the catalog index is built (the
     * index records it, so start-up does not parse overlays).
     */
    public static List<String> overlayProtocols(String service) {
        if (!Overlays.services().contains(service)) return null;
        try (InputStream in = Overlays.open(service)) {
            if (in == null) return null;
            List<String> protocols = new ArrayList<>();
            MAPPER.readTree(in).path("metadata").path("protocols").forEach(p -> protocols.add(p.asText()));
            return protocols.isEmpty() ? null : List.copyOf(protocols);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * An overlay may give members the query protocol's {@code locationName}s (SQS's query mode); a JSON
     * specification's members keep their JSON key: record it as {@code jsonName} before merging.
     */
    private static void keepJsonNames(ObjectNode spec, JsonNode overlay) {
        String protocol = spec.path("metadata").path("protocol").asText("");
        if (!protocol.equals("json") && !protocol.equals("rest-json") && !protocol.equals("smithy-rpc-v2-cbor")) return;
        overlay.path("shapes").fields().forEachRemaining(s -> {
            JsonNode baseMembers = spec.path("shapes").path(s.getKey()).path("members");
            s.getValue().path("members").fields().forEachRemaining(m -> {
                JsonNode base = baseMembers.get(m.getKey());
                if (base instanceof ObjectNode b && m.getValue().has("locationName") && !b.has("locationName") && !b.has("jsonName")) {
                    b.put("jsonName", m.getKey());
                }
            });
        });
    }

    private static void merge(ObjectNode target, JsonNode overlay) {
        overlay.fields().forEachRemaining(e -> {
            if (e.getKey().startsWith("_")) return;
            JsonNode existing = target.get(e.getKey());
            if (existing instanceof ObjectNode o && e.getValue().isObject()) merge(o, e.getValue());
            else target.set(e.getKey(), e.getValue().deepCopy());
        });
    }

    public static ServiceModel compile(String service, JsonNode spec) {
        ServiceModel model = new ServiceModel(service);
        readMetadata(model, spec.path("metadata"));

        // Pass 1: create every shape so members can link to any of them (shapes may be recursive).
        JsonNode shapesNode = spec.path("shapes");
        Map<String, Shape> shapes = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = shapesNode.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode s = e.getValue();
            String type = s.path("type").asText("structure");
            if ("structure".equals(type) && s.path("document").asBoolean(false)) type = "document";
            shapes.put(e.getKey(), new Shape(e.getKey(), ShapeType.of(type)));
        }
        // Pass 2: fill and link.
        Map<String, Shape> errorsByCode = new HashMap<>();
        for (Shape shape : shapes.values()) {
            fillShape(shape, shapesNode.get(shape.name), shapes);
            if (shape.exception) {
                errorsByCode.putIfAbsent(shape.name, shape);
                if (shape.errorCode != null) errorsByCode.putIfAbsent(shape.errorCode, shape);
            }
        }
        Map<String, Operation> operations = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = spec.path("operations").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            operations.put(e.getKey(), readOperation(e.getKey(), e.getValue(), shapes));
        }
        model.shapes = Collections.unmodifiableMap(shapes);
        model.operations = Collections.unmodifiableMap(operations);
        model.errorsByCode = Map.copyOf(errorsByCode);
        return model;
    }

    private static void readMetadata(ServiceModel m, JsonNode md) {
        m.protocol = text(md, "protocol");
        List<String> protocols = new ArrayList<>();
        for (JsonNode p : md.path("protocols")) protocols.add(p.asText());
        if (protocols.isEmpty() && m.protocol != null) protocols.add(m.protocol);
        if (m.protocol == null && !protocols.isEmpty()) m.protocol = protocols.get(0);
        m.protocols = List.copyOf(protocols);
        m.apiVersion = text(md, "apiVersion");
        m.endpointPrefix = text(md, "endpointPrefix");
        m.signingName = text(md, "signingName");
        if (m.signingName == null) m.signingName = m.endpointPrefix;
        m.targetPrefix = text(md, "targetPrefix");
        m.jsonVersion = text(md, "jsonVersion");
        m.xmlNamespace = text(md, "xmlNamespace");
        m.serviceId = text(md, "serviceId");
        m.serviceFullName = text(md, "serviceFullName");
        m.globalEndpoint = text(md, "globalEndpoint");
        m.awsQueryCompatible = md.has("awsQueryCompatible");
        m.strictValidation = md.path("strictValidation").asBoolean(false);
        m.validationStyle = md.path("validationStyle").asText("coral");
        m.noErrorWrapping = md.path("noErrorWrapping").asBoolean(false);
    }

    private static void fillShape(Shape shape, JsonNode s, Map<String, Shape> shapes) {
        shape.sensitive = s.path("sensitive").asBoolean(false);
        shape.streaming = s.path("streaming").asBoolean(false);
        shape.requiresLength = s.path("requiresLength").asBoolean(false);
        shape.flattened = s.path("flattened").asBoolean(false);
        shape.sparse = s.path("sparse").asBoolean(false);
        shape.uniqueItems = s.path("uniqueItems").asBoolean(false);
        shape.jsonValue = s.path("jsonvalue").asBoolean(false);
        shape.union = s.path("union").asBoolean(false);
        shape.exception = s.path("exception").asBoolean(false);
        shape.fault = s.path("fault").asBoolean(false);
        shape.event = s.path("event").asBoolean(false);
        shape.eventstream = s.path("eventstream").asBoolean(false);
        shape.document = shape.type == ShapeType.DOCUMENT;
        shape.payload = text(s, "payload");
        shape.pattern = text(s, "pattern");
        shape.mediaType = text(s, "mediaType");
        shape.locationName = text(s, "locationName");
        shape.namespace = text(s, "namespace");
        shape.xmlNamespace = namespace(s.get("xmlNamespace"));
        shape.timestampFormat = TimestampFormat.of(text(s, "timestampFormat"));
        if (s.has("min") && s.get("min").isNumber()) shape.min = s.get("min").decimalValue();
        if (s.has("max") && s.get("max").isNumber()) shape.max = s.get("max").decimalValue();
        if (s.has("enum")) {
            List<String> values = new ArrayList<>();
            for (JsonNode v : s.get("enum")) values.add(v.asText());
            shape.enumValues = List.copyOf(values);
            shape.enumSet = Set.copyOf(values);
        }
        JsonNode error = s.get("error");
        if (error != null) {
            shape.errorCode = text(error, "code");
            shape.errorHttpStatus = error.path("httpStatusCode").asInt(0);
            shape.queryErrorHttpStatus = error.path("queryHttpStatusCode").asInt(0);
            if (error.has("senderFault")) shape.senderFault = error.get("senderFault").asBoolean();
        }
        switch (shape.type) {
            case STRUCTURE -> fillStructure(shape, s, shapes);
            case LIST -> shape.listMember = member("member", s.get("member"), shapes, shape);
            case MAP -> {
                shape.mapKey = member("key", s.get("key"), shapes, shape);
                shape.mapValue = member("value", s.get("value"), shapes, shape);
            }
            default -> { }
        }
    }

    private static void fillStructure(Shape shape, JsonNode s, Map<String, Shape> shapes) {
        Set<String> required = new LinkedHashSet<>();
        for (JsonNode r : s.path("required")) required.add(r.asText());
        Map<String, Member> members = new LinkedHashMap<>();
        List<Member> body = new ArrayList<>();
        List<Member> nonBody = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = s.path("members").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            Member m = member(e.getKey(), e.getValue(), shapes, shape);
            m.required = required.contains(e.getKey());
            members.put(m.name, m);
            (m.location == Location.BODY ? body : nonBody).add(m);
        }
        shape.members = Collections.unmodifiableMap(members);
        shape.memberArray = members.values().toArray(new Member[0]);
        shape.bodyMembers = body.toArray(new Member[0]);
        shape.nonBodyMembers = nonBody.toArray(new Member[0]);
        List<Member> responseBody = new ArrayList<>();
        for (Member m : members.values()) {
            if (m.location == Location.BODY || m.location == Location.URI || m.location == Location.QUERYSTRING) responseBody.add(m);
        }
        shape.responseBodyMembers = responseBody.toArray(new Member[0]);
        shape.required = Collections.unmodifiableSet(required);
        Map<String, Member> byWire = new HashMap<>();
        for (Member m : body) {
            byWire.putIfAbsent(m.jsonName(), m);
            if (m.defaultValue != null) shape.hasDefaults = true;
        }
        shape.bodyMembersByJsonName = Map.copyOf(byWire);
        if (shape.payload != null) shape.payloadMember = members.get(shape.payload);
    }

    private static Member member(String name, JsonNode ref, Map<String, Shape> shapes, Shape owner) {
        if (ref == null) throw new IllegalArgumentException(owner.name + " lacks its " + name);
        Member m = new Member(name);
        String target = ref.path("shape").asText();
        m.shape = shapes.get(target);
        if (m.shape == null) throw new IllegalArgumentException(owner.name + "." + name + " targets unknown shape " + target);
        m.location = Location.of(text(ref, "location"));
        m.locationName = text(ref, "locationName");
        m.jsonName = text(ref, "jsonName");
        m.queryName = text(ref, "queryName");
        m.xmlNamespace = namespace(ref.get("xmlNamespace"));
        m.xmlAttribute = ref.path("xmlAttribute").asBoolean(false);
        m.flattened = ref.path("flattened").asBoolean(false);
        m.timestampFormat = TimestampFormat.of(text(ref, "timestampFormat"));
        m.jsonValue = ref.path("jsonvalue").asBoolean(false);
        m.idempotencyToken = ref.path("idempotencyToken").asBoolean(false);
        m.hostLabel = ref.path("hostLabel").asBoolean(false);
        m.streaming = ref.path("streaming").asBoolean(false);
        m.eventPayload = ref.path("eventpayload").asBoolean(false);
        m.eventHeader = ref.path("eventheader").asBoolean(false);
        if (ref.has("default")) m.defaultValue = typedDefault(m.shape, ref.get("default"));
        return m;
    }

    private static Operation readOperation(String name, JsonNode o, Map<String, Shape> shapes) {
        Operation op = new Operation(name);
        JsonNode http = o.path("http");
        op.httpMethod = http.path("method").asText("POST");
        op.requestUri = http.path("requestUri").asText("/");
        op.uriTemplate = UriTemplate.parse(op.requestUri);
        op.responseCode = http.path("responseCode").asInt(200);
        JsonNode in = o.get("input");
        if (in != null) {
            op.input = shapes.get(in.path("shape").asText());
            op.inputLocationName = text(in, "locationName");
            op.inputXmlNamespace = namespace(in.get("xmlNamespace"));
        }
        JsonNode out = o.get("output");
        if (out != null) {
            op.output = shapes.get(out.path("shape").asText());
            op.outputResultWrapper = text(out, "resultWrapper");
            op.outputLocationName = text(out, "locationName");
        }
        List<Shape> errors = new ArrayList<>();
        for (JsonNode e : o.path("errors")) {
            Shape s = shapes.get(e.path("shape").asText());
            if (s != null) errors.add(s);
        }
        op.errors = List.copyOf(errors);
        op.hostPrefix = text(o.path("endpoint"), "hostPrefix");
        op.httpChecksumRequired = o.path("httpChecksumRequired").asBoolean(false)
                || o.path("httpChecksum").path("requestChecksumRequired").asBoolean(false);
        op.unsignedPayload = o.path("unsignedPayload").asBoolean(false);
        op.deprecated = o.path("deprecated").asBoolean(false);
        op.authType = text(o, "authtype");
        return op;
    }

    private static XmlNamespace namespace(JsonNode n) {
        if (n == null || n.isNull()) return null;
        if (n.isTextual()) return new XmlNamespace(n.asText(), null);
        return new XmlNamespace(text(n, "uri"), text(n, "prefix"));
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n == null ? null : n.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    /** A Smithy {@code @default} as the tree value of its shape (blobs: base64 text; timestamps: epoch seconds or text). */
    static Object typedDefault(Shape shape, JsonNode n) {
        if (n == null || n.isNull()) return null;
        return switch (shape.type) {
            case BLOB -> java.util.Base64.getDecoder().decode(n.asText());
            case TIMESTAMP -> n.isNumber() ? dev.polystack.protocol.Timestamps.fromEpochSeconds(n.decimalValue())
                    : dev.polystack.protocol.Timestamps.parseIso8601(n.asText());
            case BYTE, SHORT, INTEGER -> n.asInt();
            case LONG -> n.asLong();
            case FLOAT, DOUBLE -> n.isTextual() ? Double.valueOf(switch (n.asText()) {
                case "NaN" -> Double.NaN;
                case "Infinity" -> Double.POSITIVE_INFINITY;
                default -> Double.NEGATIVE_INFINITY;
            }) : (Object) n.asDouble();
            case BIG_INTEGER -> n.bigIntegerValue();
            case BIG_DECIMAL -> n.decimalValue();
            case BOOLEAN -> n.asBoolean();
            case LIST -> List.of();
            case MAP, STRUCTURE -> Map.of();
            default -> plain(n);
        };
    }

    /** A JSON value as a parameter-tree value (String, Number, Boolean, List, Map, null). */
    static Object plain(JsonNode n) {
        if (n == null || n.isNull()) return null;
        if (n.isTextual()) return n.asText();
        if (n.isBoolean()) return n.booleanValue();
        if (n.isIntegralNumber()) return n.canConvertToInt() ? (Object) n.intValue() : n.canConvertToLong() ? (Object) n.longValue() : n.bigIntegerValue();
        if (n.isNumber()) return n.doubleValue();
        if (n.isArray()) {
            List<Object> l = new ArrayList<>();
            for (JsonNode x : n) l.add(plain(x));
            return l;
        }
        Map<String, Object> m = new LinkedHashMap<>();
        n.fields().forEachRemaining(e -> m.put(e.getKey(), plain(e.getValue())));
        return m;
    }
}
