package dev.polystack.codegen;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

/**
 * Generates a native service's typed API from botocore's specification, at build time (each service module runs it
 * in {@code generate-sources}; the output lands in {@code target/generated-sources/api} and is never committed):
 * <ul>
 *   <li>one final class per structure an operation reaches (immutable, with a builder and a {@code SHAPE} constant
 *       that {@code dev.polystack.api.model.TreeConverter} reads: no reflection at run time);</li>
 *   <li>one Java enum per string shape with an {@code enum} (AWS's values, {@code UNKNOWN} for others: members keep
 *       the string as sent, so an unknown value still reaches the provider);</li>
 *   <li>one exception per modelled error ({@code ServiceException} with the error's code, status and fault);</li>
 *   <li>the service interface: one default method per operation answering NotImplemented, its
 *       {@code OPERATIONS} table (the generic dispatch) and {@code client(env)} for typed calls from other services.</li>
 * </ul>
 * Usage: {@code ApiGenerator <botocore data dir> <service> <java package> <interface name> <output dir>}.
 */
public final class ApiGenerator {
    private static final Set<String> JAVA_KEYWORDS = Set.of("abstract", "assert", "boolean", "break", "byte", "case",
            "catch", "char", "class", "const", "continue", "default", "do", "double", "else", "enum", "extends", "final",
            "finally", "float", "for", "goto", "if", "implements", "import", "instanceof", "int", "interface", "long",
            "native", "new", "package", "private", "protected", "public", "return", "short", "static", "strictfp",
            "super", "switch", "synchronized", "this", "throw", "throws", "transient", "try", "void", "volatile", "while",
            "true", "false", "null", "record", "var", "yield", "sealed", "permits",
            // methods every generated class has
            "builder", "toBuilder", "build", "hashCode", "toString", "equals", "getClass", "notify", "notifyAll", "wait",
            "clone", "finalize");
    private static final String API = "dev.polystack.api.";
    private static final String MODEL = "dev.polystack.api.model.";

    private final JsonNode spec;
    private final JsonNode shapes;
    private final String service;
    private final String pkg;
    private final String apiName;
    private final Path out;

    private ApiGenerator(JsonNode spec, String service, String pkg, String apiName, Path out) {
        this.spec = spec;
        this.shapes = spec.path("shapes");
        this.service = service;
        this.pkg = pkg;
        this.apiName = apiName;
        this.out = out.resolve(pkg.replace('.', '/'));
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 5) {
            throw new IllegalArgumentException("usage: ApiGenerator <botocore data dir> <service> <package> <interface> <output dir>");
        }
        Path spec = specFile(Path.of(args[0]), args[1]);
        JsonNode json;
        try (InputStream in = open(spec)) {
            json = new ObjectMapper().readTree(in);
        }
        new ApiGenerator(json, args[1], args[2], args[3], Path.of(args[4])).generate();
    }

    /** The newest API version's service-2.json(.gz) of a service. */
    static Path specFile(Path dataDir, String service) throws IOException {
        Path dir = dataDir.resolve(service);
        Path newest;
        try (Stream<Path> versions = Files.list(dir)) {
            newest = versions.filter(Files::isDirectory).max(Comparator.comparing(p -> p.getFileName().toString()))
                    .orElseThrow(() -> new IOException("no specification for " + service + " in " + dir));
        }
        Path gz = newest.resolve("service-2.json.gz");
        return Files.exists(gz) ? gz : newest.resolve("service-2.json");
    }

    private static InputStream open(Path file) throws IOException {
        InputStream in = Files.newInputStream(file);
        return file.toString().endsWith(".gz") ? new GZIPInputStream(in) : in;
    }

    // ================================================================ what to generate

    private void generate() throws IOException {
        Files.createDirectories(out);
        Set<String> structures = new LinkedHashSet<>();
        Set<String> enums = new LinkedHashSet<>();
        Set<String> errors = new LinkedHashSet<>();
        for (Iterator<JsonNode> it = spec.path("operations").elements(); it.hasNext(); ) {
            JsonNode op = it.next();
            reach(op.path("input").path("shape").asText(null), structures, enums);
            reach(op.path("output").path("shape").asText(null), structures, enums);
            for (JsonNode e : op.path("errors")) errors.add(e.path("shape").asText());
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = shapes.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (e.getValue().path("exception").asBoolean(false)) errors.add(e.getKey());
        }
        // an error's extra members may be structures or enums no operation reaches (Logs' QueryCompileError)
        for (String e : errors) reachMembers(shapes.path(e), structures, enums);
        for (String s : structures) write(className(s), structure(s));
        for (String s : enums) write(className(s), enumeration(s));
        for (String s : errors) {
            if (shapes.has(s)) write(exceptionName(s), exception(s));
        }
        write(apiName, api());
    }

    /** Collects the structures and enums a shape reaches. */
    private void reach(String name, Set<String> structures, Set<String> enums) {
        if (name == null) return;
        JsonNode s = shapes.path(name);
        switch (s.path("type").asText()) {
            case "structure" -> {
                // errors (also reached as members of event streams) are generated as exceptions, not structures
                if (s.path("document").asBoolean(false) || isError(s) || !structures.add(name)) return;
                reachMembers(s, structures, enums);
            }
            case "list" -> reach(s.path("member").path("shape").asText(), structures, enums);
            case "map" -> {
                reach(s.path("key").path("shape").asText(), structures, enums);
                reach(s.path("value").path("shape").asText(), structures, enums);
            }
            case "string" -> {
                if (s.has("enum")) enums.add(name);
            }
            default -> {
            }
        }
    }

    private void reachMembers(JsonNode structure, Set<String> structures, Set<String> enums) {
        for (Iterator<JsonNode> it = structure.path("members").elements(); it.hasNext(); ) {
            reach(it.next().path("shape").asText(), structures, enums);
        }
    }

    private static boolean isError(JsonNode shape) {
        return shape.path("exception").asBoolean(false);
    }

    // ================================================================ types

    /** The Java type of a member (enums: their string form, as stored). */
    private String storedType(String shape, boolean streaming) {
        JsonNode s = shapes.path(shape);
        return switch (s.path("type").asText()) {
            // an error as a member (only in event streams, which no provider serves yet) stays an untyped tree
            case "structure" -> s.path("document").asBoolean(false) || isError(s) ? "java.lang.Object" : className(shape);
            case "list" -> "java.util.List<" + storedType(s.path("member").path("shape").asText(), false) + ">";
            case "map" -> "java.util.Map<java.lang.String, " + storedType(s.path("value").path("shape").asText(), false) + ">";
            case "string" -> "java.lang.String";
            case "integer" -> "java.lang.Integer";
            case "long" -> "java.lang.Long";
            case "float" -> "java.lang.Float";
            case "double" -> "java.lang.Double";
            case "boolean" -> "java.lang.Boolean";
            case "timestamp" -> "java.time.Instant";
            case "blob" -> streaming || s.path("streaming").asBoolean(false) ? API + "StreamingBody" : "byte[]";
            default -> "java.lang.Object";
        };
    }

    /** The {@code Type} expression the converter reads for a member. */
    private String typeExpression(String shape, boolean streaming) {
        JsonNode s = shapes.path(shape);
        String t = MODEL + "Type.";
        return switch (s.path("type").asText()) {
            case "structure" -> s.path("document").asBoolean(false) || isError(s) ? t + "DOCUMENT"
                    : t + "structure(() -> " + className(shape) + ".SHAPE)";
            case "list" -> t + "list(" + typeExpression(s.path("member").path("shape").asText(), false) + ")";
            case "map" -> t + "map(" + typeExpression(s.path("value").path("shape").asText(), false) + ")";
            case "string" -> t + "STRING";
            case "integer" -> t + "INTEGER";
            case "long" -> t + "LONG";
            case "float" -> t + "FLOAT";
            case "double" -> t + "DOUBLE";
            case "boolean" -> t + "BOOLEAN";
            case "timestamp" -> t + "TIMESTAMP";
            case "blob" -> streaming || s.path("streaming").asBoolean(false) ? t + "STREAM" : t + "BLOB";
            default -> t + "DOCUMENT";
        };
    }

    private boolean isEnum(String shape) {
        JsonNode s = shapes.path(shape);
        return s.path("type").asText().equals("string") && s.has("enum");
    }

    private String listEnum(String shape) {
        JsonNode s = shapes.path(shape);
        if (!s.path("type").asText().equals("list")) return null;
        String element = s.path("member").path("shape").asText();
        return isEnum(element) ? element : null;
    }

    // ================================================================ structures

    private record Field(String wire, String java, String shape, String type, String typeExpr, String doc) {
    }

    private List<Field> fields(JsonNode structure) {
        List<Field> fields = new ArrayList<>();
        Set<String> used = new HashSet<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = structure.path("members").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> m = it.next();
            String shape = m.getValue().path("shape").asText();
            boolean streaming = m.getValue().path("streaming").asBoolean(false);
            String java = fieldName(m.getKey());
            while (!used.add(java)) java = java + "_";
            fields.add(new Field(m.getKey(), java, shape, storedType(shape, streaming), typeExpression(shape, streaming),
                    firstSentence(m.getValue().path("documentation").asText(""))));
        }
        return fields;
    }

    private String structure(String name) {
        String cls = className(name);
        JsonNode s = shapes.path(name);
        List<Field> fields = fields(s);
        StringBuilder b = header();
        b.append(javadoc(s.path("documentation").asText(""), "The " + name + " structure of " + service + "."));
        b.append("@java.lang.SuppressWarnings(\"unchecked\")\n");
        b.append("public final class ").append(cls).append(" {\n");
        for (Field f : fields) b.append("    private final ").append(f.type).append(' ').append(f.java).append(";\n");
        b.append("\n    private ").append(cls).append("(Builder b) {\n");
        for (Field f : fields) b.append("        this.").append(f.java).append(" = b.").append(f.java).append(";\n");
        b.append("    }\n");
        for (Field f : fields) accessors(b, f);
        b.append("\n    public static Builder builder() {\n        return new Builder();\n    }\n");
        b.append("\n    public Builder toBuilder() {\n        Builder b = new Builder();\n");
        for (Field f : fields) b.append("        b.").append(f.java).append(" = this.").append(f.java).append(";\n");
        b.append("        return b;\n    }\n");
        // equals, hashCode, toString
        b.append("\n    @java.lang.Override\n    public boolean equals(java.lang.Object o) {\n        if (this == o) return true;\n");
        b.append("        if (!(o instanceof ").append(cls).append(" other)) return false;\n        return true");
        for (Field f : fields) {
            b.append("\n                && ").append(f.type.equals("byte[]") ? "java.util.Arrays.equals(" : "java.util.Objects.equals(")
                    .append("this.").append(f.java).append(", other.").append(f.java).append(")");
        }
        b.append(";\n    }\n");
        b.append("\n    @java.lang.Override\n    public int hashCode() {\n        int h = 1;\n");
        for (Field f : fields) {
            b.append("        h = 31 * h + ").append(f.type.equals("byte[]") ? "java.util.Arrays.hashCode(" : "java.util.Objects.hashCode(")
                    .append("this.").append(f.java).append(");\n");
        }
        b.append("        return h;\n    }\n");
        b.append("\n    @java.lang.Override\n    public java.lang.String toString() {\n        java.lang.StringBuilder s = new java.lang.StringBuilder(\"").append(cls).append("{\");\n");
        for (Field f : fields) {
            // members are read through this.: a member may share a local's name (DynamoDB's S, B)
            b.append("        if (this.").append(f.java).append(" != null) s.append(\"").append(f.java).append("=\").append(")
                    .append(f.type.equals("byte[]") ? "\"(\" + this." + f.java + ".length + \" bytes)\"" : "this." + f.java).append(").append(\", \");\n");
        }
        b.append("        if (s.charAt(s.length() - 1) == ' ') s.setLength(s.length() - 2);\n        return s.append('}').toString();\n    }\n");
        // builder
        b.append("\n    /** Builds a {@link ").append(cls).append("}; unset members stay absent (null). */\n");
        b.append("    public static final class Builder {\n");
        for (Field f : fields) b.append("        private ").append(f.type).append(' ').append(f.java).append(";\n");
        b.append("\n        private Builder() {\n        }\n");
        for (Field f : fields) {
            b.append("\n        public Builder ").append(f.java).append('(').append(f.type).append(" value) {\n")
                    .append("            this.").append(f.java).append(" = value;\n            return this;\n        }\n");
            if (isEnum(f.shape)) {
                b.append("\n        public Builder ").append(f.java).append('(').append(className(f.shape)).append(" value) {\n")
                        .append("            this.").append(f.java).append(" = value == null ? null : value.toString();\n")
                        .append("            return this;\n        }\n");
            }
        }
        b.append("\n        public ").append(cls).append(" build() {\n            return new ").append(cls).append("(this);\n        }\n    }\n");
        // the shape
        b.append("\n    /** This structure's members, for the converter. */\n");
        b.append("    public static final ").append(MODEL).append("Shape<").append(cls).append("> SHAPE = ").append(MODEL)
                .append("Shape.of(\"").append(name).append("\", Builder::new, Builder::build");
        for (Field f : fields) {
            b.append(",\n            ").append(MODEL).append("Member.of(\"").append(f.wire).append("\", ").append(f.typeExpr)
                    .append(", (").append(cls).append(" o) -> o.").append(f.java).append(", (Builder b, java.lang.Object v) -> b.")
                    .append(f.java).append(" = (").append(f.type).append(") v)");
        }
        b.append(");\n}\n");
        return b.toString();
    }

    private void accessors(StringBuilder b, Field f) {
        String listEnum = listEnum(f.shape);
        if (isEnum(f.shape)) {
            String e = className(f.shape);
            b.append("\n").append(doc(f.doc, "    ")).append("    public ").append(e).append(' ').append(f.java).append("() {\n")
                    .append("        return ").append(f.java).append(" == null ? null : ").append(e).append(".fromValue(")
                    .append(f.java).append(");\n    }\n");
            b.append("\n    /** {@code ").append(f.wire).append("} as sent, also when it is not one of AWS's values. */\n")
                    .append("    public java.lang.String ").append(f.java).append("AsString() {\n        return ")
                    .append(f.java).append(";\n    }\n");
        } else if (listEnum != null) {
            String e = className(listEnum);
            b.append("\n").append(doc(f.doc, "    ")).append("    public java.util.List<").append(e).append("> ").append(f.java)
                    .append("() {\n        return ").append(f.java).append(" == null ? null : ").append(f.java)
                    .append(".stream().map(").append(e).append("::fromValue).toList();\n    }\n");
            b.append("\n    /** {@code ").append(f.wire).append("} as sent, also values that are not AWS's. */\n")
                    .append("    public ").append(f.type).append(' ').append(f.java).append("AsStrings() {\n        return ")
                    .append(f.java).append(";\n    }\n");
        } else {
            b.append("\n").append(doc(f.doc, "    ")).append("    public ").append(f.type).append(' ').append(f.java)
                    .append("() {\n        return ").append(f.java).append(";\n    }\n");
        }
    }

    // ================================================================ enums

    private String enumeration(String name) {
        String cls = className(name);
        JsonNode s = shapes.path(name);
        StringBuilder b = header();
        b.append("/** AWS's values of {@code ").append(name).append("}; {@link #UNKNOWN} for any other. */\n");
        b.append("public enum ").append(cls).append(" {\n");
        Set<String> used = new HashSet<>();
        Map<String, String> constants = new LinkedHashMap<>();
        for (JsonNode v : s.path("enum")) {
            String c = constantName(v.asText());
            while (!used.add(c) || c.equals("UNKNOWN")) c = c + "_";
            constants.put(c, v.asText());
        }
        for (Map.Entry<String, String> c : constants.entrySet()) {
            b.append("    ").append(c.getKey()).append("(\"").append(escape(c.getValue())).append("\"),\n");
        }
        b.append("    /** A value AWS does not define (the member keeps the string as sent). */\n    UNKNOWN(null);\n\n");
        b.append("    private static final java.util.Map<java.lang.String, ").append(cls).append("> BY_VALUE = new java.util.HashMap<>();\n");
        b.append("    static {\n        for (").append(cls).append(" v : values()) if (v.value != null) BY_VALUE.put(v.value, v);\n    }\n\n");
        b.append("    private final java.lang.String value;\n\n    ").append(cls).append("(java.lang.String value) {\n        this.value = value;\n    }\n\n");
        b.append("    /** The constant of an AWS value; {@link #UNKNOWN} for any other. */\n");
        b.append("    public static ").append(cls).append(" fromValue(java.lang.String value) {\n        return value == null ? null : BY_VALUE.getOrDefault(value, UNKNOWN);\n    }\n\n");
        b.append("    /** The value as AWS spells it. */\n    @java.lang.Override\n    public java.lang.String toString() {\n        return value;\n    }\n}\n");
        return b.toString();
    }

    // ================================================================ exceptions

    private String exception(String name) {
        String cls = exceptionName(name);
        JsonNode s = shapes.path(name);
        JsonNode error = s.path("error");
        boolean server = s.path("fault").asBoolean(false);
        int status = error.path("httpStatusCode").asInt(server ? 500 : 400);
        boolean senderFault = error.has("senderFault") ? error.path("senderFault").asBoolean() : !server;
        StringBuilder b = header();
        b.append(javadoc(s.path("documentation").asText(""), "The " + name + " error of " + service + "."));
        b.append("public class ").append(cls).append(" extends ").append(API).append("ServiceException {\n");
        b.append("    /** The error's code (its shape's name). */\n    public static final java.lang.String CODE = \"").append(name).append("\";\n\n");
        b.append("    public ").append(cls).append("(java.lang.String message) {\n        super(CODE, message, ")
                .append(status).append(", ").append(senderFault).append(");\n    }\n");
        for (Field f : fields(s)) {
            if (f.wire.equalsIgnoreCase("message")) continue;
            b.append("\n    /** Sets {@code ").append(f.wire).append("}, serialized beside the message. */\n")
                    .append("    public ").append(cls).append(' ').append(f.java).append('(').append(f.type).append(" value) {\n")
                    .append("        with(\"").append(f.wire).append("\", value);\n        return this;\n    }\n");
        }
        b.append("}\n");
        return b.toString();
    }

    // ================================================================ the service interface

    private String api() {
        StringBuilder b = header();
        String title = spec.path("metadata").path("serviceFullName").asText(service);
        b.append("/**\n * The typed operations of ").append(title).append(" (generated from botocore's specification of {@code ")
                .append(service).append("}).\n")
                .append(" * A native provider implements the operations it serves; any other answers NotImplemented.\n")
                .append(" * {@link #OPERATIONS} is the generic dispatch; {@link #client} calls the service from another one.\n */\n");
        b.append("public interface ").append(apiName).append(" {\n");
        b.append("    /** The service's botocore name. */\n    java.lang.String SERVICE = \"").append(service).append("\";\n");
        List<String[]> ops = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = spec.path("operations").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String in = e.getValue().path("input").path("shape").asText(null);
            String outShape = e.getValue().path("output").path("shape").asText(null);
            String method = fieldName(e.getKey());
            ops.add(new String[]{e.getKey(), method, in == null ? null : className(in), outShape == null ? null : className(outShape)});
            b.append("\n").append(doc(firstSentence(e.getValue().path("documentation").asText("")), "    "));
            b.append("    default ").append(outShape == null ? "void" : className(outShape)).append(' ').append(method)
                    .append("(").append(API).append("RequestContext context").append(in == null ? "" : ", " + className(in) + " request")
                    .append(") {\n        throw new java.lang.UnsupportedOperationException(\"").append(e.getKey()).append("\");\n    }\n");
        }
        b.append("\n    /** Every operation, for the generic dispatch ({@code OPERATIONS.invoke(this, context, name, tree)}). */\n");
        b.append("    ").append(MODEL).append("ServiceApi<").append(apiName).append("> OPERATIONS = new ").append(MODEL)
                .append("ServiceApi<").append(apiName).append(">(SERVICE, ").append(apiName).append(".class");
        for (String[] op : ops) {
            b.append(",\n            new ").append(MODEL).append("Operation<").append(apiName).append(">(SERVICE, \"").append(op[0]).append("\", ")
                    .append(op[2] == null ? "null" : "() -> " + op[2] + ".SHAPE").append(", ").append(op[3] == null ? "null" : "() -> " + op[3] + ".SHAPE")
                    .append(", (api, context, request) -> ");
            String call = "api." + op[1] + "(context" + (op[2] == null ? "" : ", (" + op[2] + ") request") + ")";
            b.append(op[3] == null ? "{ " + call + "; return null; }" : call).append(")");
        }
        b.append(");\n");
        b.append("\n    /**\n     * This service as another service calls it, in process, through whichever provider serves it (native, moto or\n")
                .append("     * Python), with typed requests and results.\n     */\n");
        b.append("    static ").append(apiName).append(" client(").append(API).append("ProviderEnvironment environment) {\n");
        b.append("        return new ").append(apiName).append("() {\n");
        for (String[] op : ops) {
            b.append("            @java.lang.Override\n            public ").append(op[3] == null ? "void" : op[3]).append(' ').append(op[1])
                    .append("(").append(API).append("RequestContext context").append(op[2] == null ? "" : ", " + op[2] + " request")
                    .append(") {\n                ");
            if (op[3] != null) b.append("return (").append(op[3]).append(") ");
            b.append("OPERATIONS.call(environment, context, \"").append(op[0]).append("\", ").append(op[2] == null ? "null" : "request")
                    .append(");\n            }\n\n");
        }
        b.setLength(b.length() - 1);
        b.append("        };\n    }\n}\n");
        return b.toString();
    }

    // ================================================================ names and text

    private StringBuilder header() {
        return new StringBuilder("// Generated at build time by dev.polystack.codegen.ApiGenerator from botocore's ")
                .append(service).append(" specification. Do not edit.\npackage ").append(pkg).append(";\n\n");
    }

    private static String className(String shape) {
        String c = shape.replaceAll("[^A-Za-z0-9_]", "_");
        if (!Character.isJavaIdentifierStart(c.charAt(0))) c = "_" + c;
        return Character.toUpperCase(c.charAt(0)) + c.substring(1);
    }

    private String exceptionName(String shape) {
        String c = className(shape);
        return c.endsWith("Exception") || c.endsWith("Fault") ? c : c + "Exception";
    }

    /** {@code QueueUrl} → {@code queueUrl}, {@code MD5OfBody} → {@code md5OfBody}, {@code SSEKMSKeyId} → {@code ssekmsKeyId}. */
    static String fieldName(String member) {
        String m = member.replaceAll("[^A-Za-z0-9_]", "_");
        int upper = 0;
        while (upper < m.length() && (Character.isUpperCase(m.charAt(upper)) || Character.isDigit(m.charAt(upper)))) upper++;
        String name;
        if (upper <= 1) name = m.isEmpty() ? "_" : Character.toLowerCase(m.charAt(0)) + m.substring(1);
        else if (upper == m.length()) name = m.toLowerCase();
        else name = m.substring(0, upper - 1).toLowerCase() + m.substring(upper - 1);
        if (!Character.isJavaIdentifierStart(name.charAt(0))) name = "_" + name;
        return JAVA_KEYWORDS.contains(name) ? name + "Value" : name;
    }

    /** {@code ApproximateNumberOfMessages} → {@code APPROXIMATE_NUMBER_OF_MESSAGES}, {@code aws:kms} → {@code AWS_KMS}. */
    static String constantName(String value) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (Character.isLetterOrDigit(c)) {
                if (Character.isUpperCase(c) && i > 0 && Character.isLowerCase(value.charAt(i - 1))) b.append('_');
                b.append(Character.toUpperCase(c));
            } else if (b.length() > 0 && b.charAt(b.length() - 1) != '_') {
                b.append('_');
            }
        }
        while (b.length() > 0 && b.charAt(b.length() - 1) == '_') b.setLength(b.length() - 1);
        if (b.length() == 0 || !Character.isJavaIdentifierStart(b.charAt(0))) b.insert(0, '_');
        return b.toString();
    }

    private static String firstSentence(String html) {
        String text = html.replaceAll("<[^>]+>", "").replaceAll("\\s+", " ").trim();
        int dot = text.indexOf(". ");
        if (dot > 0) text = text.substring(0, dot + 1);
        if (text.length() > 300) text = text.substring(0, 297) + "...";
        return text.replace("*/", "*&#47;").replace("@", "&#64;").replace("\\u", "\\\\u");
    }

    private static String javadoc(String html, String fallback) {
        String s = firstSentence(html);
        return "/** " + (s.isEmpty() ? fallback : s) + " */\n";
    }

    private static String doc(String sentence, String indent) {
        return sentence.isEmpty() ? "" : indent + "/** " + sentence + " */\n";
    }

    private static String escape(String s) {
        return s.replace("\\", "\\\\").replace("\"", "\\\"");
    }

    private void write(String cls, String source) throws IOException {
        Path file = out.resolve(cls + ".java");
        byte[] bytes = source.getBytes(StandardCharsets.UTF_8);
        // Unchanged sources keep their timestamps, so the compiler's incremental check stays quiet.
        if (Files.exists(file) && java.util.Arrays.equals(Files.readAllBytes(file), bytes)) return;
        Files.write(file, bytes);
    }
}
