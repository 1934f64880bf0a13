package dev.polystack.protocol.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.polystack.protocol.model.ModelLoader;
import dev.polystack.protocol.model.ServiceModel;
import software.amazon.smithy.model.Model;
import software.amazon.smithy.model.neighbor.Walker;
import software.amazon.smithy.model.node.Node;
import software.amazon.smithy.model.shapes.EnumShape;
import software.amazon.smithy.model.shapes.IntEnumShape;
import software.amazon.smithy.model.shapes.MemberShape;
import software.amazon.smithy.model.shapes.OperationShape;
import software.amazon.smithy.model.shapes.ServiceShape;
import software.amazon.smithy.model.shapes.Shape;
import software.amazon.smithy.model.shapes.ShapeId;
import software.amazon.smithy.model.shapes.ShapeType;
import software.amazon.smithy.model.traits.Trait;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * Translates a Smithy service into the botocore {@code service-2.json} form (plus {@link ModelLoader}'s
 * documented extensions) and compiles it with the same {@link ModelLoader} the gateway uses, so the
 * conformance tests exercise exactly the production model and codecs.
 */
public final class SmithyAdapter {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final ShapeId UNIT = ShapeId.from("smithy.api#Unit");

    /** Smithy protocol trait → (botocore protocol, json version). */
    public static final Map<String, String[]> PROTOCOLS = Map.of(
            "aws.protocols#awsJson1_0", new String[]{"json", "1.0", "awsJson1_0"},
            "aws.protocols#awsJson1_1", new String[]{"json", "1.1", "awsJson1_1"},
            "aws.protocols#restJson1", new String[]{"rest-json", null, "restJson1"},
            "aws.protocols#restXml", new String[]{"rest-xml", null, "restXml"},
            "aws.protocols#awsQuery", new String[]{"query", null, "awsQuery"},
            "aws.protocols#ec2Query", new String[]{"ec2", null, "ec2Query"},
            "smithy.protocols#rpcv2Cbor", new String[]{"smithy-rpc-v2-cbor", null, "rpcv2Cbor"});

    private final Model model;
    private final ServiceShape service;
    private final String protocol;
    private final boolean json;
    private final boolean xml;
    private final Map<ShapeId, String> names = new HashMap<>();

    private SmithyAdapter(Model model, ServiceShape service, String protocolTrait) {
        this.model = model;
        this.service = service;
        this.protocol = PROTOCOLS.get(protocolTrait)[0];
        this.json = protocol.equals("json") || protocol.equals("rest-json");
        this.xml = protocol.equals("rest-xml") || protocol.equals("query") || protocol.equals("ec2");
    }

    /** The botocore-form JSON of {@code service} speaking the protocol of {@code protocolTrait}. */
    public static ObjectNode toBotocore(Model model, ServiceShape service, String protocolTrait) {
        return new SmithyAdapter(model, service, protocolTrait).build(protocolTrait);
    }

    public static ServiceModel compile(Model model, ServiceShape service, String protocolTrait) {
        return ModelLoader.compile(service.getId().getName().toLowerCase(), toBotocore(model, service, protocolTrait));
    }

    private ObjectNode build(String protocolTrait) {
        ObjectNode root = MAPPER.createObjectNode();
        ObjectNode md = root.putObject("metadata");
        md.put("protocol", protocol);
        md.putArray("protocols").add(protocol);
        md.put("apiVersion", service.getVersion());
        md.put("endpointPrefix", service.getId().getName().toLowerCase());
        md.put("serviceId", service.getId().getName());
        md.put("targetPrefix", service.getId().getName());
        String jv = PROTOCOLS.get(protocolTrait)[1];
        if (jv != null) md.put("jsonVersion", jv);
        trait(service, "smithy.api#xmlNamespace").ifPresent(n -> md.put("xmlNamespace", n.expectObjectNode().expectStringMember("uri").getValue()));
        if (service.findTrait("aws.protocols#awsQueryCompatible").isPresent()) md.putObject("awsQueryCompatible");
        trait(service, protocolTrait).ifPresent(n -> {
            if (n.isObjectNode() && n.expectObjectNode().getBooleanMemberOrDefault("noErrorWrapping", false)) {
                md.put("noErrorWrapping", true);
            }
        });
        md.put("strictValidation", true);
        md.put("validationStyle", "smithy");

        // Names: bare shape names, qualified only where two namespaces collide.
        TreeSet<ShapeId> all = new TreeSet<>();
        for (Shape s : new Walker(model).walkShapes(service)) {
            if (!s.isMemberShape() && !s.isServiceShape() && !s.isOperationShape() && !s.isResourceShape()) all.add(s.getId());
        }
        Map<String, Integer> counts = new HashMap<>();
        for (ShapeId id : all) counts.merge(id.getName(), 1, Integer::sum);
        for (ShapeId id : all) {
            names.put(id, counts.get(id.getName()) > 1 && id.getNamespace().equals("smithy.api")
                    ? "smithy_api_" + id.getName()
                    : counts.get(id.getName()) > 1 ? id.getNamespace().replace('.', '_') + "_" + id.getName() : id.getName());
        }

        ObjectNode ops = root.putObject("operations");
        ObjectNode shapes = root.putObject("shapes");
        for (Shape s : new Walker(model).walkShapes(service)) {
            if (s instanceof OperationShape op) ops.set(op.getId().getName(), operation(op));
        }
        for (ShapeId id : all) {
            shapes.set(names.get(id), shape(model.expectShape(id)));
        }
        synthetic.forEach(shapes::set);
        return root;
    }

    private ObjectNode operation(OperationShape op) {
        ObjectNode o = MAPPER.createObjectNode();
        o.put("name", op.getId().getName());
        ObjectNode http = o.putObject("http");
        Optional<Node> h = trait(op, "smithy.api#http");
        if (h.isPresent()) {
            software.amazon.smithy.model.node.ObjectNode hn = h.get().expectObjectNode();
            http.put("method", hn.expectStringMember("method").getValue());
            http.put("requestUri", hn.expectStringMember("uri").getValue());
            http.put("responseCode", hn.getNumberMemberOrDefault("code", 200).intValue());
        } else {
            http.put("method", "POST");
            http.put("requestUri", "/");
        }
        if (!op.getInputShape().equals(UNIT)) {
            ObjectNode in = o.putObject("input");
            in.put("shape", names.get(op.getInputShape()));
            Shape input = model.expectShape(op.getInputShape());
            if (protocol.equals("rest-xml")) {
                in.put("locationName", trait(input, "smithy.api#xmlName").map(n -> n.expectStringNode().getValue()).orElse(input.getId().getName()));
                trait(input, "smithy.api#xmlNamespace").ifPresent(n -> in.set("xmlNamespace", namespace(n)));
            }
        }
        if (!op.getOutputShape().equals(UNIT)) {
            ObjectNode out = o.putObject("output");
            out.put("shape", names.get(op.getOutputShape()));
            Shape output = model.expectShape(op.getOutputShape());
            if (protocol.equals("query")) out.put("resultWrapper", op.getId().getName() + "Result");
            if (protocol.equals("rest-xml")) {
                out.put("locationName", trait(output, "smithy.api#xmlName").map(n -> n.expectStringNode().getValue()).orElse(output.getId().getName()));
            }
        }
        ArrayNode errors = o.putArray("errors");
        for (ShapeId e : op.getErrors(service)) errors.addObject().put("shape", names.get(e));
        trait(op, "smithy.api#endpoint").ifPresent(n -> o.putObject("endpoint").put("hostPrefix", n.expectObjectNode().expectStringMember("hostPrefix").getValue()));
        if (op.findTrait("smithy.api#httpChecksumRequired").isPresent()) o.put("httpChecksumRequired", true);
        return o;
    }

    private ObjectNode shape(Shape s) {
        ObjectNode o = MAPPER.createObjectNode();
        ShapeType t = s.getType();
        switch (t) {
            case STRUCTURE, UNION -> {
                o.put("type", "structure");
                if (t == ShapeType.UNION) o.put("union", true);
                ObjectNode members = o.putObject("members");
                ArrayNode required = MAPPER.createArrayNode();
                for (MemberShape m : s.members()) {
                    members.set(m.getMemberName(), member(m, false));
                    if (m.findTrait("smithy.api#required").isPresent()) required.add(m.getMemberName());
                    if (m.findTrait("smithy.api#httpPayload").isPresent()) o.put("payload", m.getMemberName());
                }
                if (!required.isEmpty()) o.set("required", required);
                Optional<Node> err = trait(s, "smithy.api#error");
                if (err.isPresent()) {
                    o.put("exception", true);
                    boolean server = err.get().expectStringNode().getValue().equals("server");
                    if (server) o.put("fault", true);
                    ObjectNode e = o.putObject("error");
                    e.put("senderFault", !server);
                    trait(s, "smithy.api#httpError").ifPresent(n -> e.put("httpStatusCode", n.expectNumberNode().getValue().intValue()));
                    if (!e.has("httpStatusCode")) e.put("httpStatusCode", server ? 500 : 400);
                    trait(s, "aws.protocols#awsQueryError").ifPresent(n -> {
                        e.put("code", n.expectObjectNode().expectStringMember("code").getValue());
                        e.put("queryHttpStatusCode", n.expectObjectNode().expectNumberMember("httpResponseCode").getValue().intValue());
                    });
                }
                o.put("namespace", s.getId().getNamespace());
            }
            case LIST, SET -> {
                o.put("type", "list");
                o.set("member", member(s.members().iterator().next(), true));
                if (t == ShapeType.SET || s.findTrait("smithy.api#uniqueItems").isPresent()) o.put("uniqueItems", true);
            }
            case MAP -> {
                o.put("type", "map");
                for (MemberShape m : s.members()) o.set(m.getMemberName(), member(m, true));
            }
            case ENUM -> {
                o.put("type", "string");
                ArrayNode values = o.putArray("enum");
                // @internal values are accepted by Smithy servers but never listed; leave them out.
                ((EnumShape) s).getAllMembers().forEach((name, m) -> {
                    if (m.findTrait("smithy.api#internal").isEmpty()) values.add(((EnumShape) s).getEnumValues().get(name));
                });
            }
            case INT_ENUM -> {
                o.put("type", "integer");
                ArrayNode values = o.putArray("enum");
                ((IntEnumShape) s).getEnumValues().values().forEach(v -> values.add(String.valueOf(v)));
            }
            case BIG_INTEGER -> o.put("type", "bigInteger");
            case BIG_DECIMAL -> o.put("type", "bigDecimal");
            case DOCUMENT -> o.put("type", "document");
            default -> o.put("type", t.toString());
        }
        if (t == ShapeType.STRING && s.findTrait("smithy.api#enum").isPresent()) {
            ArrayNode values = o.putArray("enum");
            trait(s, "smithy.api#enum").get().expectArrayNode().forEach(n -> {
                boolean internal = n.expectObjectNode().getArrayMember("tags")
                        .map(tags -> tags.getElements().stream().anyMatch(tag -> tag.expectStringNode().getValue().equals("internal"))).orElse(false);
                if (!internal) values.add(n.expectObjectNode().expectStringMember("value").getValue());
            });
        }
        constraints(s, o);
        if (s.findTrait("smithy.api#streaming").isPresent()) {
            if (t == ShapeType.UNION) o.put("eventstream", true);
            else o.put("streaming", true);
        }
        if (s.findTrait("smithy.api#requiresLength").isPresent()) o.put("requiresLength", true);
        if (s.findTrait("smithy.api#sparse").isPresent()) o.put("sparse", true);
        if (s.findTrait("smithy.api#sensitive").isPresent()) o.put("sensitive", true);
        trait(s, "smithy.api#mediaType").ifPresent(n -> o.put("mediaType", n.expectStringNode().getValue()));
        trait(s, "smithy.api#timestampFormat").ifPresent(n -> o.put("timestampFormat", n.expectStringNode().getValue()));
        if (xml) trait(s, "smithy.api#xmlName").ifPresent(n -> o.put("locationName", n.expectStringNode().getValue()));
        trait(s, "smithy.api#xmlNamespace").ifPresent(n -> o.set("xmlNamespace", namespace(n)));
        if (s.findTrait("smithy.api#xmlFlattened").isPresent()) o.put("flattened", true);
        return o;
    }

    private static void constraints(Shape s, ObjectNode o) {
        trait(s, "smithy.api#length").ifPresent(n -> {
            software.amazon.smithy.model.node.ObjectNode l = n.expectObjectNode();
            l.getNumberMember("min").ifPresent(v -> o.put("min", v.getValue().longValue()));
            l.getNumberMember("max").ifPresent(v -> o.put("max", v.getValue().longValue()));
        });
        trait(s, "smithy.api#range").ifPresent(n -> {
            software.amazon.smithy.model.node.ObjectNode r = n.expectObjectNode();
            r.getNumberMember("min").ifPresent(v -> o.put("min", new java.math.BigDecimal(v.getValue().toString())));
            r.getNumberMember("max").ifPresent(v -> o.put("max", new java.math.BigDecimal(v.getValue().toString())));
        });
        trait(s, "smithy.api#pattern").ifPresent(n -> o.put("pattern", n.expectStringNode().getValue()));
        if (s.findTrait("smithy.api#uniqueItems").isPresent()) o.put("uniqueItems", true);
    }

    /** Constraint traits on members override their target's: such members get a synthetic copy of the target. */
    private final Map<String, ObjectNode> synthetic = new java.util.LinkedHashMap<>();

    private String targetName(MemberShape m) {
        String target = names.get(m.getTarget()) == null ? m.getTarget().getName() : names.get(m.getTarget());
        boolean constrained = false;
        for (String t : new String[]{"smithy.api#length", "smithy.api#range", "smithy.api#pattern", "smithy.api#uniqueItems"}) {
            if (m.hasTrait(t)) constrained = true;
        }
        if (!constrained) return target;
        String name = target + "__" + m.getContainer().getName() + "_" + m.getMemberName();
        ObjectNode copy = shape(model.expectShape(m.getTarget()));
        constraints(m, copy);
        synthetic.put(name, copy);
        return name;
    }

    private ObjectNode member(MemberShape m, boolean collectionMember) {
        ObjectNode o = MAPPER.createObjectNode();
        o.put("shape", targetName(m));
        String location = null;
        String locationName = null;
        if (!collectionMember) {
            if (m.findTrait("smithy.api#httpLabel").isPresent()) {
                location = "uri";
                locationName = m.getMemberName();
            } else if (m.findTrait("smithy.api#httpQuery").isPresent()) {
                location = "querystring";
                locationName = trait(m, "smithy.api#httpQuery").get().expectStringNode().getValue();
            } else if (m.findTrait("smithy.api#httpQueryParams").isPresent()) {
                location = "querystring";
            } else if (m.findTrait("smithy.api#httpHeader").isPresent()) {
                location = "header";
                locationName = trait(m, "smithy.api#httpHeader").get().expectStringNode().getValue();
            } else if (m.findTrait("smithy.api#httpPrefixHeaders").isPresent()) {
                location = "headers";
                locationName = trait(m, "smithy.api#httpPrefixHeaders").get().expectStringNode().getValue();
            } else if (m.findTrait("smithy.api#httpResponseCode").isPresent()) {
                location = "statusCode";
            }
        }
        if (location != null) {
            o.put("location", location);
        } else if (protocol.equals("rest-json")) { // awsJson1_0/1_1 ignore @jsonName
            locationName = trait(m, "smithy.api#jsonName").map(n -> n.expectStringNode().getValue()).orElse(null);
        } else if (xml) {
            locationName = trait(m, "smithy.api#xmlName").map(n -> n.expectStringNode().getValue()).orElse(null);
            // A list's member named by its target's @xmlName (Smithy applies target xmlName to members).
            if (locationName == null && collectionMember) {
                locationName = trait(model.expectShape(m.getTarget()), "smithy.api#xmlName").map(n -> n.expectStringNode().getValue()).orElse(null);
            }
        }
        // Smithy names a flattened collection by its member name, ignoring the list member's @xmlName; in
        // botocore's form that is the member's own locationName (which takes precedence over the list member's).
        if (xml && locationName == null && location == null && !collectionMember && m.findTrait("smithy.api#xmlFlattened").isPresent()) {
            locationName = m.getMemberName();
        }
        if (locationName != null) o.put("locationName", locationName);
        trait(m, "aws.protocols#ec2QueryName").ifPresent(n -> o.put("queryName", n.expectStringNode().getValue()));
        if (m.findTrait("smithy.api#xmlAttribute").isPresent()) o.put("xmlAttribute", true);
        if (m.findTrait("smithy.api#xmlFlattened").isPresent()) o.put("flattened", true);
        trait(m, "smithy.api#xmlNamespace").ifPresent(n -> o.set("xmlNamespace", namespace(n)));
        trait(m, "smithy.api#timestampFormat").ifPresent(n -> o.put("timestampFormat", n.expectStringNode().getValue()));
        if (m.findTrait("smithy.api#idempotencyToken").isPresent()) o.put("idempotencyToken", true);
        if (m.findTrait("smithy.api#hostLabel").isPresent()) o.put("hostLabel", true);
        if (m.findTrait("smithy.api#eventPayload").isPresent()) o.put("eventpayload", true);
        if (m.findTrait("smithy.api#eventHeader").isPresent()) o.put("eventheader", true);
        // Smithy 2 gives streaming blobs an implicit @default(""): an absent body is still absent.
        if (model.expectShape(m.getTarget()).findTrait("smithy.api#streaming").isEmpty()) {
            trait(m, "smithy.api#default").ifPresent(n -> o.set("default", jackson(n)));
        }
        return o;
    }

    private static ObjectNode namespace(Node n) {
        ObjectNode ns = MAPPER.createObjectNode();
        software.amazon.smithy.model.node.ObjectNode on = n.expectObjectNode();
        ns.put("uri", on.expectStringMember("uri").getValue());
        on.getStringMember("prefix").ifPresent(p -> ns.put("prefix", p.getValue()));
        return ns;
    }

    static Optional<Node> trait(Shape s, String id) {
        return s.findTrait(id).map(Trait::toNode);
    }

    static JsonNode jackson(Node n) {
        try {
            return MAPPER.readTree(Node.printJson(n));
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
