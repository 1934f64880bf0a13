package dev.polystack.lambda.runtime;

import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Base64;
import java.util.Date;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The JSON the Java runtime client needs, without dependencies (a function's class path is its own): parse to
 * plain values (Map, List, String, Long/BigDecimal, Boolean, null), write them, and convert between plain values
 * and a handler's declared types (numbers, beans with setters or public fields, and back through getters).
 */
final class Json {
    private final String s;
    private int i;

    private Json(String s) {
        this.s = s;
    }

    static Object read(String text) {
        if (text.isBlank()) return null;
        Json p = new Json(text);
        Object v = p.value();
        p.ws();
        if (p.i != text.length()) throw new IllegalArgumentException("Unexpected character at " + p.i);
        return v;
    }

    private Object value() {
        ws();
        char c = s.charAt(i);
        switch (c) {
            case '{': {
                Map<String, Object> m = new LinkedHashMap<>();
                i++;
                ws();
                if (s.charAt(i) == '}') { i++; return m; }
                while (true) {
                    ws();
                    String k = string();
                    ws();
                    expect(':');
                    m.put(k, value());
                    ws();
                    if (s.charAt(i) == ',') { i++; continue; }
                    expect('}');
                    return m;
                }
            }
            case '[': {
                List<Object> l = new ArrayList<>();
                i++;
                ws();
                if (s.charAt(i) == ']') { i++; return l; }
                while (true) {
                    l.add(value());
                    ws();
                    if (s.charAt(i) == ',') { i++; continue; }
                    expect(']');
                    return l;
                }
            }
            case '"':
                return string();
            case 't': i += 4; return Boolean.TRUE;
            case 'f': i += 5; return Boolean.FALSE;
            case 'n': i += 4; return null;
            default: {
                int start = i;
                while (i < s.length() && "+-0123456789.eE".indexOf(s.charAt(i)) >= 0) i++;
                String n = s.substring(start, i);
                if (n.isEmpty()) throw new IllegalArgumentException("Unexpected character '" + c + "' at " + start);
                if (n.contains(".") || n.contains("e") || n.contains("E")) return new BigDecimal(n);
                BigInteger big = new BigInteger(n);
                return big.bitLength() < 64 ? (Object) big.longValue() : big;
            }
        }
    }

    private String string() {
        expect('"');
        StringBuilder b = new StringBuilder();
        while (true) {
            char c = s.charAt(i++);
            if (c == '"') return b.toString();
            if (c != '\\') { b.append(c); continue; }
            char e = s.charAt(i++);
            switch (e) {
                case 'n' -> b.append('\n');
                case 't' -> b.append('\t');
                case 'r' -> b.append('\r');
                case 'b' -> b.append('\b');
                case 'f' -> b.append('\f');
                case 'u' -> { b.append((char) Integer.parseInt(s.substring(i, i + 4), 16)); i += 4; }
                default -> b.append(e);
            }
        }
    }

    private void expect(char c) {
        if (s.charAt(i) != c) throw new IllegalArgumentException("Expected '" + c + "' at " + i);
        i++;
    }

    private void ws() {
        while (i < s.length() && Character.isWhitespace(s.charAt(i))) i++;
    }

    static String write(Object v) {
        StringBuilder b = new StringBuilder();
        write(b, v);
        return b.toString();
    }

    private static void write(StringBuilder b, Object v) {
        if (v == null) {
            b.append("null");
        } else if (v instanceof String str) {
            b.append('"');
            for (char c : str.toCharArray()) {
                switch (c) {
                    case '"' -> b.append("\\\"");
                    case '\\' -> b.append("\\\\");
                    case '\n' -> b.append("\\n");
                    case '\r' -> b.append("\\r");
                    case '\t' -> b.append("\\t");
                    case '\b' -> b.append("\\b");
                    case '\f' -> b.append("\\f");
                    default -> {
                        if (c < 0x20) b.append(String.format("\\u%04X", (int) c));
                        else b.append(c);
                    }
                }
            }
            b.append('"');
        } else if (v instanceof Number || v instanceof Boolean) {
            b.append(v);
        } else if (v instanceof Map<?, ?> m) {
            b.append('{');
            boolean first = true;
            for (Map.Entry<?, ?> e : m.entrySet()) {
                if (!first) b.append(',');
                first = false;
                write(b, String.valueOf(e.getKey()));
                b.append(':');
                write(b, e.getValue());
            }
            b.append('}');
        } else if (v instanceof Collection<?> c) {
            b.append('[');
            boolean first = true;
            for (Object o : c) {
                if (!first) b.append(',');
                first = false;
                write(b, o);
            }
            b.append(']');
        } else {
            write(b, String.valueOf(v));
        }
    }

    /** A plain value as the handler's parameter type. */
    static Object convert(Object v, Class<?> type, Type generic) throws ReflectiveOperationException {
        if (v == null) return type.isPrimitive() ? convert(0L, type, type) : null;
        if (type == Object.class || type.isInstance(v) && !(v instanceof Map<?, ?> || v instanceof List<?>)) return v;
        if (type == String.class) return v instanceof String ? v : write(v);
        if (v instanceof Number n) {
            if (type == int.class || type == Integer.class) return n.intValue();
            if (type == long.class || type == Long.class) return n.longValue();
            if (type == double.class || type == Double.class) return n.doubleValue();
            if (type == float.class || type == Float.class) return n.floatValue();
            if (type == short.class || type == Short.class) return n.shortValue();
            if (type == BigDecimal.class) return new BigDecimal(n.toString());
        }
        if ((type == boolean.class || type == Boolean.class) && v instanceof Boolean) return v;
        if (Map.class.isAssignableFrom(type) && v instanceof Map<?, ?> m) {
            Type valueType = generic instanceof ParameterizedType p ? p.getActualTypeArguments()[1] : Object.class;
            Map<String, Object> out = new LinkedHashMap<>();
            for (Map.Entry<?, ?> e : m.entrySet()) out.put(String.valueOf(e.getKey()), convert(e.getValue(), raw(valueType), valueType));
            return out;
        }
        if (Collection.class.isAssignableFrom(type) && v instanceof List<?> l) {
            Type itemType = generic instanceof ParameterizedType p ? p.getActualTypeArguments()[0] : Object.class;
            List<Object> out = new ArrayList<>();
            for (Object o : l) out.add(convert(o, raw(itemType), itemType));
            return out;
        }
        Object event = eventValue(v, type);
        if (event != null) return event;
        if (v instanceof Map<?, ?> m) return bean(m, type);
        throw new IllegalArgumentException("Cannot convert " + write(v) + " to " + type.getName());
    }

    /**
     * The value types of AWS's event classes (aws-lambda-java-events), read as AWS's own serializer reads them:
     * binary data (Kinesis {@code data}, DynamoDB {@code B}) from base64, {@code java.util.Date} from epoch seconds
     * (Kinesis {@code approximateArrivalTimestamp}, DynamoDB {@code ApproximateCreationDateTime}) or an ISO-8601
     * text, Joda-Time's {@code DateTime} (SNS {@code Timestamp}, S3 {@code eventTime}, EventBridge {@code time})
     * through its own parsing constructor, and enums by name. Null for any other type.
     */
    private static Object eventValue(Object v, Class<?> type) throws ReflectiveOperationException {
        if (type == ByteBuffer.class && v instanceof String text) return ByteBuffer.wrap(Base64.getDecoder().decode(text));
        if (type == byte[].class && v instanceof String text) return Base64.getDecoder().decode(text);
        if (type == Date.class || type == Instant.class) {
            Instant instant = v instanceof Number n ? Instant.ofEpochMilli(new BigDecimal(n.toString()).movePointRight(3).longValue())
                    : v instanceof String text ? OffsetDateTime.parse(text).toInstant() : null;
            if (instant == null) return null;
            return type == Date.class ? Date.from(instant) : instant;
        }
        if (type.getName().equals("org.joda.time.DateTime") && (v instanceof String || v instanceof Number)) {
            // Joda's DateTime(Object) parses ISO-8601 text and takes epoch milliseconds
            Object instant = v instanceof Number n ? (Object) new BigDecimal(n.toString()).movePointRight(3).longValue() : v;
            return type.getConstructor(Object.class).newInstance(instant);
        }
        if (type.isEnum() && v instanceof String text) {
            for (Object constant : type.getEnumConstants()) {
                if (((Enum<?>) constant).name().equals(text)) return constant;
            }
        }
        return null;
    }

    private static Class<?> raw(Type t) {
        if (t instanceof Class<?> c) return c;
        if (t instanceof ParameterizedType p) return (Class<?>) p.getRawType();
        return Object.class;
    }

    /** A bean from a JSON object: its setters, else its public fields, matched by name. */
    private static Object bean(Map<?, ?> m, Class<?> type) throws ReflectiveOperationException {
        Object bean = type.getDeclaredConstructor().newInstance();
        for (Map.Entry<?, ?> e : m.entrySet()) {
            String name = String.valueOf(e.getKey());
            String setter = "set" + Character.toUpperCase(name.charAt(0)) + name.substring(1);
            Method found = null;
            for (Method method : type.getMethods()) {
                if (method.getParameterCount() == 1 && method.getName().equalsIgnoreCase(setter)) found = method;
            }
            if (found != null) {
                found.invoke(bean, convert(e.getValue(), found.getParameterTypes()[0], found.getGenericParameterTypes()[0]));
                continue;
            }
            try {
                Field f = type.getField(name);
                f.set(bean, convert(e.getValue(), f.getType(), f.getGenericType()));
            } catch (NoSuchFieldException ignored) {
                // unknown members are ignored, as AWS's serializer does
            }
        }
        return bean;
    }

    /**
     * A handler's answer as JSON, written the way AWS's Java runtime writes it (aws-lambda-java-serialization: its
     * own shaded Jackson, so a function's Jackson annotations play no part): a String as a JSON string; a bean by its
     * public getters ({@code getX}, {@code isX} for a primitive boolean) and public fields, named by standard bean
     * naming ({@code getURL} is {@code URL}), in the order of the class's declared fields, then the other getters,
     * with null properties left out (NON_NULL; null map values stay); records by their components; byte arrays
     * and ByteBuffers in base64, char arrays as strings, other arrays as lists; NaN and infinities as strings;
     * java.util.Date as epoch milliseconds and java.time values as Jackson's JavaTimeModule writes timestamps
     * (Instant: decimal seconds with nine digits, LocalDate: [year, month, day]); Optional as its content.
     */
    static String writeResult(Object v) throws ReflectiveOperationException {
        StringBuilder b = new StringBuilder();
        writeResult(b, v);
        return b.toString();
    }

    private static void writeResult(StringBuilder b, Object v) throws ReflectiveOperationException {
        if (v == null) {
            b.append("null");
        } else if (v instanceof CharSequence || v instanceof Character || v instanceof java.util.UUID
                || v instanceof java.net.URI || v instanceof java.net.URL || v instanceof java.util.Locale
                || v instanceof java.util.regex.Pattern || v instanceof java.util.Currency) {
            write(b, v.toString());
        } else if (v instanceof Double d && (d.isNaN() || d.isInfinite()) || v instanceof Float f && (f.isNaN() || f.isInfinite())) {
            write(b, v.toString());
        } else if (v instanceof Number || v instanceof Boolean) {
            b.append(v);
        } else if (v instanceof Enum<?> e) {
            write(b, e.name());
        } else if (v instanceof Class<?> c) {
            write(b, c.getName());
        } else if (v instanceof java.io.File f) {
            write(b, f.getAbsolutePath());
        } else if (v instanceof java.util.TimeZone z) {
            write(b, z.getID());
        } else if (v instanceof byte[] bytes) {
            write(b, Base64.getEncoder().encodeToString(bytes));
        } else if (v instanceof ByteBuffer buffer) {
            ByteBuffer copy = buffer.duplicate();
            byte[] bytes = new byte[copy.remaining()];
            copy.get(bytes);
            write(b, Base64.getEncoder().encodeToString(bytes));
        } else if (v instanceof char[] chars) {
            write(b, new String(chars));
        } else if (v instanceof Date d) {
            b.append(d.getTime());
        } else if (v instanceof java.util.Calendar c) {
            b.append(c.getTimeInMillis());
        } else if (v instanceof java.util.Optional<?> o) {
            writeResult(b, o.orElse(null));
        } else if (v instanceof java.util.OptionalInt o) {
            b.append(o.isPresent() ? String.valueOf(o.getAsInt()) : "null");
        } else if (v instanceof java.util.OptionalLong o) {
            b.append(o.isPresent() ? String.valueOf(o.getAsLong()) : "null");
        } else if (v instanceof java.util.OptionalDouble o) {
            if (o.isPresent()) writeResult(b, o.getAsDouble()); else b.append("null");
        } else if (v instanceof java.time.temporal.TemporalAccessor || v instanceof java.time.Duration) {
            writeTime(b, v);
        } else if (v instanceof Map<?, ?> m) {
            b.append('{');
            boolean first = true;
            for (Map.Entry<?, ?> e : m.entrySet()) {
                if (!first) b.append(',');
                first = false;
                write(b, e.getKey() instanceof Enum<?> k ? k.name() : String.valueOf(e.getKey()));
                b.append(':');
                writeResult(b, e.getValue());
            }
            b.append('}');
        } else if (v instanceof Iterable<?> items) {
            b.append('[');
            boolean first = true;
            for (Object o : items) {
                if (!first) b.append(',');
                first = false;
                writeResult(b, o);
            }
            b.append(']');
        } else if (v.getClass().isArray()) {
            b.append('[');
            for (int k = 0; k < java.lang.reflect.Array.getLength(v); k++) {
                if (k > 0) b.append(',');
                writeResult(b, java.lang.reflect.Array.get(v, k));
            }
            b.append(']');
        } else {
            writeBean(b, v);
        }
    }

    /** java.time values as Jackson's JavaTimeModule writes them with its defaults (timestamps, nanoseconds). */
    private static void writeTime(StringBuilder b, Object v) throws ReflectiveOperationException {
        if (v instanceof Instant i) {
            b.append(decimalSeconds(i.getEpochSecond(), i.getNano()));
        } else if (v instanceof OffsetDateTime t) {
            b.append(decimalSeconds(t.toEpochSecond(), t.getNano()));
        } else if (v instanceof java.time.ZonedDateTime t) {
            b.append(decimalSeconds(t.toEpochSecond(), t.getNano()));
        } else if (v instanceof java.time.Duration d) {
            b.append(decimalSeconds(d.getSeconds(), d.getNano()));
        } else if (v instanceof java.time.LocalDate d) {
            b.append('[').append(d.getYear()).append(',').append(d.getMonthValue()).append(',').append(d.getDayOfMonth()).append(']');
        } else if (v instanceof java.time.LocalDateTime t) {
            b.append('[').append(t.getYear()).append(',').append(t.getMonthValue()).append(',').append(t.getDayOfMonth())
                    .append(',');
            timeOfDay(b, t.toLocalTime());
            b.append(']');
        } else if (v instanceof java.time.LocalTime t) {
            b.append('[');
            timeOfDay(b, t);
            b.append(']');
        } else {
            write(b, v.toString()); // Year, YearMonth, ZoneId and the like: their ISO text
        }
    }

    /** Hour and minute, then the second if it or the nanoseconds are set, then the nanoseconds if set. */
    private static void timeOfDay(StringBuilder b, java.time.LocalTime t) {
        b.append(t.getHour()).append(',').append(t.getMinute());
        if (t.getSecond() > 0 || t.getNano() > 0) {
            b.append(',').append(t.getSecond());
            if (t.getNano() > 0) b.append(',').append(t.getNano());
        }
    }

    /** Seconds with nine decimal places (Jackson's DecimalUtils), "0.0" for zero. */
    private static String decimalSeconds(long seconds, int nanos) {
        if (seconds == 0 && nanos == 0) return "0.0";
        return new BigDecimal(BigInteger.valueOf(seconds).multiply(BigInteger.valueOf(1_000_000_000L))
                .add(BigInteger.valueOf(nanos)), 9).toPlainString();
    }

    /**
     * A bean or record as Jackson's bean serializer writes it with AWS's settings: properties in the order of the
     * class's declared fields (superclasses first, private ones included for the order), then getters without a
     * field; a property is visible through a public getter or a public field; nulls left out.
     */
    private static void writeBean(StringBuilder b, Object v) throws ReflectiveOperationException {
        Map<String, java.lang.reflect.Member> properties = new LinkedHashMap<>();
        Class<?> type = v.getClass();
        if (type.isRecord()) {
            for (var c : type.getRecordComponents()) properties.put(c.getName(), c.getAccessor());
        } else {
            List<Class<?>> hierarchy = new ArrayList<>();
            for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) hierarchy.add(0, c);
            for (Class<?> c : hierarchy) {
                for (Field f : c.getDeclaredFields()) {
                    int mod = f.getModifiers();
                    if (Modifier.isStatic(mod) || Modifier.isTransient(mod) || f.isSynthetic()) continue;
                    properties.putIfAbsent(f.getName(), null);
                    if (Modifier.isPublic(mod)) properties.put(f.getName(), f);
                }
            }
            for (Method m : type.getMethods()) {
                if (m.getParameterCount() != 0 || m.getDeclaringClass() == Object.class || Modifier.isStatic(m.getModifiers())
                        || m.getReturnType() == void.class || m.isBridge() || m.isSynthetic()) continue;
                String n = m.getName();
                String prop = n.startsWith("get") && n.length() > 3 ? n.substring(3)
                        : n.startsWith("is") && n.length() > 2 && m.getReturnType() == boolean.class ? n.substring(2) : null;
                if (prop != null) properties.put(beanName(prop), m);
            }
        }
        b.append('{');
        boolean first = true;
        for (Map.Entry<String, java.lang.reflect.Member> p : properties.entrySet()) {
            if (p.getValue() == null) continue;
            Object value;
            if (p.getValue() instanceof Method m) {
                m.setAccessible(true); // a public getter of a non-public class (a nested handler type)
                value = m.invoke(v);
            } else {
                Field f = (Field) p.getValue();
                f.setAccessible(true);
                value = f.get(v);
            }
            if (value == null) continue;
            if (!first) b.append(',');
            first = false;
            write(b, p.getKey());
            b.append(':');
            writeResult(b, value);
        }
        b.append('}');
    }

    /** Standard bean naming: the first letter lowered, unless the first two are capitals ({@code URL} stays). */
    private static String beanName(String prop) {
        if (prop.length() > 1 && Character.isUpperCase(prop.charAt(0)) && Character.isUpperCase(prop.charAt(1))) return prop;
        return Character.toLowerCase(prop.charAt(0)) + prop.substring(1);
    }
}
