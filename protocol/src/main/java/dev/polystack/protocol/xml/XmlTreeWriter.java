package dev.polystack.protocol.xml;

import dev.polystack.protocol.model.Member;
import dev.polystack.protocol.model.Shape;
import dev.polystack.protocol.model.ShapeType;
import dev.polystack.protocol.model.TimestampFormat;
import dev.polystack.protocol.model.XmlNamespace;

import java.util.List;
import java.util.Map;

/**
 * Writes botocore-shaped trees as XML following a specification's XML traits (element names, flattened
 * lists and maps, attributes, namespaces, timestamp formats). Shared by query, ec2 and rest-xml responses.
 */
public final class XmlTreeWriter {
    private final XmlNames names;
    /** Timestamps as epoch seconds whatever the member says (query answers in JSON, as AWS writes them there). */
    private final boolean epochTimestamps;
    /** ISO 8601 timestamps always with milliseconds ({@code .000Z}), as S3 writes them; otherwise only when non-zero. */
    private final boolean millisTimestamps;

    public XmlTreeWriter(XmlNames names) {
        this(names, false);
    }

    public XmlTreeWriter(XmlNames names, boolean epochTimestamps) {
        this(names, epochTimestamps, false);
    }

    public XmlTreeWriter(XmlNames names, boolean epochTimestamps, boolean millisTimestamps) {
        this.names = names;
        this.epochTimestamps = epochTimestamps;
        this.millisTimestamps = millisTimestamps;
    }

    public XmlNames names() { return names; }

    /** Writes the child elements of a structure value (members in specification order, attributes skipped). */
    @SuppressWarnings("unchecked")
    public void writeMembers(XmlWriter w, Shape structure, Map<String, Object> value) {
        writeMembers(w, structure.memberArray(), value);
    }

    /** Writes the child elements of a structure value, members in the given order (attributes skipped). */
    public void writeMembers(XmlWriter w, Member[] members, Map<String, Object> value) {
        if (value == null || value.isEmpty()) return;
        for (Member m : members) {
            if (m.isXmlAttribute() || !inBody(m)) continue;
            Object v = value.get(m.name());
            if (v == null) continue;
            writeMember(w, m, v);
        }
    }

    /** Writes a structure member: one element, or one element per item for flattened lists and maps. */
    @SuppressWarnings("unchecked")
    public void writeMember(XmlWriter w, Member m, Object v) {
        Shape s = m.shape();
        if (names.isFlattened(m)) {
            if (s.type() == ShapeType.LIST) {
                String itemName = names.memberKey(m);
                Member item = s.listMember();
                XmlNamespace ns = m.xmlNamespace();
                for (Object x : (List<Object>) v) {
                    if (x != null) writeValue(w, itemName, item, x, ns != null ? ns : item.xmlNamespace());
                }
                return;
            }
            if (s.type() == ShapeType.MAP) {
                String name = names.name(m);
                for (Map.Entry<?, ?> e : ((Map<?, ?>) v).entrySet()) {
                    start(w, name, m.xmlNamespace());
                    writeEntry(w, s, e);
                    w.end(name);
                }
                return;
            }
        }
        writeValue(w, names.name(m), m, v, m.xmlNamespace());
    }

    /**
     * Writes {@code value} as element {@code name} according to the shape behind {@code ref}. {@code ns} is the
     * element's namespace (the member's; a nested shape's own namespace is ignored, as Smithy specifies).
     */
    @SuppressWarnings("unchecked")
    public void writeValue(XmlWriter w, String name, Member ref, Object value, XmlNamespace ns) {
        Shape s = ref.shape();
        switch (s.type()) {
            case STRUCTURE -> {
                // A nested shape's default namespace is ignored (Smithy), but a prefixed one is declared: its
                // attributes need the prefix bound (S3's <Grantee xmlns:xsi=".." xsi:type="CanonicalUser">).
                XmlNamespace own = s.xmlNamespace();
                start(w, name, ns != null ? ns : own != null && own.prefix() != null && !own.prefix().isEmpty() ? own : null);
                Map<String, Object> map = (Map<String, Object>) value;
                for (Member a : s.memberArray()) {
                    if (!a.isXmlAttribute()) continue;
                    Object av = map.get(a.name());
                    if (av != null) w.attribute(names.name(a), scalar(a, av));
                }
                writeMembers(w, s, map);
                w.end(name);
            }
            case LIST -> {
                start(w, name, ns);
                Member item = s.listMember();
                String itemName = names.listItemName(s);
                for (Object x : (List<Object>) value) {
                    if (x != null) writeValue(w, itemName, item, x, item.xmlNamespace());
                }
                w.end(name);
            }
            case MAP -> {
                start(w, name, ns);
                for (Map.Entry<?, ?> e : ((Map<?, ?>) value).entrySet()) {
                    w.start("entry");
                    writeEntry(w, s, e);
                    w.end("entry");
                }
                w.end(name);
            }
            case DOCUMENT -> w.element(name, String.valueOf(value));
            default -> {
                start(w, name, ns);
                w.text(epochTimestamps && s.type() == ShapeType.TIMESTAMP
                        ? WireValues.formatTimestamp(value, TimestampFormat.UNIX_TIMESTAMP)
                        : millisTimestamps && s.type() == ShapeType.TIMESTAMP && ref.timestampFormat() == null
                        ? millis(value) : scalar(ref, value));
                w.end(name);
            }
        }
    }

    /** Whether a member is written in an XML body: all but those bound to headers or the status code. */
    public static boolean inBody(Member m) {
        return switch (m.location()) {
            case HEADER, HEADERS, STATUS_CODE -> false;
            default -> true;
        };
    }

    private void writeEntry(XmlWriter w, Shape map, Map.Entry<?, ?> e) {
        if (e.getValue() == null) return;
        Member k = map.mapKey();
        Member v = map.mapValue();
        writeValue(w, names.mapKeyName(map), k, e.getKey(), k.xmlNamespace());
        writeValue(w, names.mapValueName(map), v, e.getValue(), v.xmlNamespace());
    }

    private static void start(XmlWriter w, String name, XmlNamespace ns) {
        w.start(name);
        if (ns != null && ns.uri() != null) w.attribute(ns.attributeName(), ns.uri());
    }

    private static String millis(Object value) {
        java.time.Instant t = value instanceof java.time.Instant i ? i : null;
        return t == null ? WireValues.formatTimestamp(value, TimestampFormat.ISO8601) : dev.polystack.protocol.Timestamps.iso8601Millis(t);
    }

    /** A scalar as body text: timestamps ISO 8601 unless the member says otherwise. */
    public static String scalar(Member ref, Object value) {
        ShapeType t = ref.shape().type();
        if (t == ShapeType.TIMESTAMP) {
            TimestampFormat f = ref.timestampFormat();
            return WireValues.formatTimestamp(value, f == null ? TimestampFormat.ISO8601 : f);
        }
        return WireValues.format(t, value, null);
    }
}
