package dev.polystack.services.apigateway;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.jayway.jsonpath.Configuration;
import com.jayway.jsonpath.JsonPath;
import com.jayway.jsonpath.Option;
import com.jayway.jsonpath.spi.json.JacksonJsonProvider;
import com.jayway.jsonpath.spi.mapper.JacksonMappingProvider;
import org.apache.velocity.Template;
import org.apache.velocity.VelocityContext;
import org.apache.velocity.runtime.RuntimeConstants;
import org.apache.velocity.runtime.RuntimeInstance;
import org.apache.velocity.runtime.parser.ParseException;

import java.io.StringReader;
import java.io.StringWriter;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Mapping templates: VTL (Apache Velocity) with the variables AWS documents, {@code $input}, {@code $util},
 * {@code $context} and {@code $stageVariables}.
 */
final class MappingTemplates {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Configuration JSON_PATH = Configuration.builder()
            .jsonProvider(new JacksonJsonProvider(JSON)).mappingProvider(new JacksonMappingProvider(JSON))
            .options(Option.SUPPRESS_EXCEPTIONS).build();
    private static final RuntimeInstance RUNTIME = runtime();
    /** Parsed templates by their text: parsing is most of a render's cost, and an API's templates are few. */
    private static final Map<String, Template> PARSED = new ConcurrentHashMap<>();
    private static final int MAX_PARSED = 2048;

    private MappingTemplates() {
    }

    /** Stage variables as templates see them: one the stage lacks renders as an empty string (as AWS answers, recorded). */
    private static final class StageVariables extends java.util.AbstractMap<String, String> {
        private final Map<String, String> values;

        StageVariables(Map<String, String> values) {
            this.values = values;
        }

        @Override
        public String get(Object key) {
            return values.getOrDefault(key, "");
        }

        @Override
        public boolean containsKey(Object key) {
            return values.containsKey(key);
        }

        @Override
        public java.util.Set<Entry<String, String>> entrySet() {
            return values.entrySet();
        }
    }

    private static RuntimeInstance runtime() {
        RuntimeInstance runtime = new RuntimeInstance();
        runtime.setProperty(RuntimeConstants.RUNTIME_LOG_REFERENCE_LOG_INVALID, false);
        runtime.setProperty(RuntimeConstants.STRICT_MATH, false);
        runtime.setProperty("parser.space_gobbling", "bc");
        runtime.init();
        return runtime;
    }

    private static Template parsed(String text) {
        Template cached = PARSED.get(text);
        if (cached != null) return cached;
        try {
            Template template = new Template();
            template.setName("mapping-template");
            template.setRuntimeServices(RUNTIME);
            template.setData(RUNTIME.parse(new StringReader(text), template));
            template.initDocument();
            if (PARSED.size() >= MAX_PARSED) PARSED.clear();
            PARSED.put(text, template);
            return template;
        } catch (ParseException e) {
            throw new IllegalArgumentException("mapping template does not parse: " + e.getMessage(), e);
        }
    }

    /** Renders a template; a broken one yields a RuntimeException the caller maps to AWS's 500. */
    static String render(String template, Input input, Map<String, Object> context, Map<String, String> stageVariables) {
        VelocityContext vc = new VelocityContext();
        vc.put("input", input);
        vc.put("util", new Util());
        vc.put("context", context);
        vc.put("stageVariables", new StageVariables(stageVariables == null ? Map.of() : stageVariables));
        StringWriter out = new StringWriter();
        parsed(template).merge(vc, out);
        return out.toString();
    }

    /** {@code $input}: the body and the request's parameters. */
    public static final class Input {
        private final String body;
        private final Map<String, Map<String, String>> params;

        Input(String body, Map<String, String> path, Map<String, String> query, Map<String, String> headers) {
            this.body = body == null ? "" : body;
            this.params = new LinkedHashMap<>();
            params.put("path", path);
            params.put("querystring", query);
            params.put("header", headers);
        }

        public String getBody() {
            return body;
        }

        /** {@code $input.json('$.a')}: the JSONPath result as JSON text. */
        public String json(String path) {
            Object value = read(path);
            try {
                return JSON.writeValueAsString(value);
            } catch (JsonProcessingException e) {
                return "null";
            }
        }

        /** {@code $input.path('$.a')}: the JSONPath result as an object VTL can walk. */
        public Object path(String path) {
            return read(path);
        }

        private Object read(String path) {
            String text = body.isBlank() ? "{}" : body;
            try {
                Object doc = JSON_PATH.jsonProvider().parse(text);
                return JsonPath.using(JSON_PATH).parse(doc).read(path, Object.class);
            } catch (RuntimeException e) {
                return path.equals("$") ? text : null;
            }
        }

        /** {@code $input.params()}: path, querystring and header maps. */
        public Map<String, Map<String, String>> params() {
            return params;
        }

        /** {@code $input.params('x')}: the first of path, query string and header with that name. */
        public String params(String name) {
            for (String where : List.of("path", "querystring", "header")) {
                Map<String, String> m = params.get(where);
                if (m == null) continue;
                if (m.containsKey(name)) return m.get(name);
                if (where.equals("header")) {
                    for (Map.Entry<String, String> e : m.entrySet()) {
                        if (e.getKey().equalsIgnoreCase(name)) return e.getValue();
                    }
                }
            }
            return "";
        }
    }

    /** {@code $util}. */
    public static final class Util {
        public String escapeJavaScript(Object s) {
            if (s == null) return "";
            String text = s.toString();
            StringBuilder out = new StringBuilder(text.length());
            for (char c : text.toCharArray()) {
                switch (c) {
                    case '"' -> out.append("\\\"");
                    case '\\' -> out.append("\\\\");
                    case '\n' -> out.append("\\n");
                    case '\r' -> out.append("\\r");
                    case '\t' -> out.append("\\t");
                    case '\'' -> out.append("\\'");
                    default -> out.append(c);
                }
            }
            return out.toString();
        }

        public Object parseJson(String s) {
            try {
                return JSON.readValue(s, Object.class);
            } catch (JsonProcessingException e) {
                return null;
            }
        }

        public String urlEncode(String s) {
            return s == null ? "" : URLEncoder.encode(s, StandardCharsets.UTF_8);
        }

        public String urlDecode(String s) {
            return s == null ? "" : URLDecoder.decode(s, StandardCharsets.UTF_8);
        }

        public String base64Encode(String s) {
            return s == null ? "" : Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
        }

        public String base64Decode(String s) {
            return s == null ? "" : new String(Base64.getDecoder().decode(s), StandardCharsets.UTF_8);
        }
    }
}
