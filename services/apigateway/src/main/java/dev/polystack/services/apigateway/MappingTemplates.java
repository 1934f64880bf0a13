package dev.polystack.services.apigateway;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.jayway.jsonpath.Configuration;
import com.jayway.jsonpath.JsonPath;
import com.jayway.jsonpath.Option;
import com.jayway.jsonpath.spi.json.JacksonJsonProvider;
import com.jayway.jsonpath.spi.mapper.JacksonMappingProvider;
import org.apache.velocity.VelocityContext;
import org.apache.velocity.app.VelocityEngine;
import org.apache.velocity.runtime.RuntimeConstants;

import java.io.StringWriter;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Mapping templates: VTL (Apache Velocity) with the variables AWS documents, {@code $input}, {@code $util},
 * {@code $context} and {@code $stageVariables}.
 */
final class MappingTemplates {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Configuration JSON_PATH = Configuration.builder()
            .jsonProvider(new JacksonJsonProvider(JSON)).mappingProvider(new JacksonMappingProvider(JSON))
            .options(Option.SUPPRESS_EXCEPTIONS).build();
    private static final VelocityEngine ENGINE = engine();

    private MappingTemplates() {
    }

    private static VelocityEngine engine() {
        VelocityEngine engine = new VelocityEngine();
        engine.setProperty(RuntimeConstants.RUNTIME_LOG_REFERENCE_LOG_INVALID, false);
        engine.setProperty(RuntimeConstants.STRICT_MATH, false);
        engine.setProperty("parser.space_gobbling", "bc");
        engine.init();
        return engine;
    }

    /** Renders a template; a broken one yields a RuntimeException the caller maps to AWS's 500. */
    static String render(String template, Input input, Map<String, Object> context, Map<String, String> stageVariables) {
        VelocityContext vc = new VelocityContext();
        vc.put("input", input);
        vc.put("util", new Util());
        vc.put("context", context);
        vc.put("stageVariables", stageVariables == null ? Map.of() : stageVariables);
        StringWriter out = new StringWriter();
        ENGINE.evaluate(vc, out, "mapping-template", template);
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
