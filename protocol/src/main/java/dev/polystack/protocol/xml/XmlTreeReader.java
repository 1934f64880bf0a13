package dev.polystack.protocol.xml;

import dev.polystack.protocol.model.Member;
import dev.polystack.protocol.model.Shape;
import dev.polystack.protocol.model.ShapeType;

import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Reads XML request bodies (rest-xml) into botocore-shaped trees following the specification's XML traits,
 * with the JDK's StAX parser (no DTDs, no external entities). Unknown elements are skipped; the root
 * element's name is not checked (botocore does not check it either).
 */
public final class XmlTreeReader {
    private static final XMLInputFactory FACTORY = newFactory();

    /** A malformed document or value; the codec turns it into the protocol's error. */
    public static final class MalformedXmlException extends RuntimeException {
        public MalformedXmlException(String message) {
            super(message, null, false, false);
        }
    }

    /** A structure's members by element name (flattened lists by their item name) and attributes by name. */
    private record StructPlan(Map<String, Member> elements, Map<String, Member> attributes) {
    }

    private final XmlNames names;
    private final Map<Shape, StructPlan> plans = new ConcurrentHashMap<>();

    public XmlTreeReader(XmlNames names) {
        this.names = names;
    }

    private static XMLInputFactory newFactory() {
        XMLInputFactory f = XMLInputFactory.newFactory();
        f.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        f.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        f.setProperty(XMLInputFactory.IS_COALESCING, true);
        f.setProperty(XMLInputFactory.IS_NAMESPACE_AWARE, true);
        return f;
    }

    /** Parses a document whose root element is a value of {@code ref}'s shape (a structure payload or a body). */
    public Object read(InputStream in, Member ref) {
        try {
            XMLStreamReader r = FACTORY.createXMLStreamReader(in);
            try {
                while (r.hasNext()) {
                    if (r.next() == XMLStreamConstants.START_ELEMENT) return readValue(r, ref);
                }
                return null;
            } finally {
                r.close();
            }
        } catch (XMLStreamException e) {
            throw new MalformedXmlException("The XML you provided was not well-formed or did not validate against our published schema");
        }
    }

    /** Parses a document whose root element holds the members of {@code structure}. */
    public Map<String, Object> readStructure(InputStream in, Shape structure) {
        try {
            XMLStreamReader r = FACTORY.createXMLStreamReader(in);
            try {
                while (r.hasNext()) {
                    if (r.next() == XMLStreamConstants.START_ELEMENT) return readStructure(r, structure);
                }
                return null;
            } finally {
                r.close();
            }
        } catch (XMLStreamException e) {
            throw new MalformedXmlException("The XML you provided was not well-formed or did not validate against our published schema");
        }
    }

    private StructPlan plan(Shape s) {
        StructPlan p = plans.get(s);
        if (p == null) {
            Map<String, Member> elements = new HashMap<>();
            Map<String, Member> attributes = new HashMap<>();
            for (Member m : s.memberArray()) {
                if (m.isXmlAttribute()) attributes.put(names.name(m), m);
                else elements.put(names.memberKey(m), m);
            }
            p = new StructPlan(elements, attributes);
            plans.put(s, p);
        }
        return p;
    }

    /** At a START_ELEMENT: reads it whole (to its END_ELEMENT) as a value of {@code ref}'s shape. */
    private Object readValue(XMLStreamReader r, Member ref) throws XMLStreamException {
        Shape s = ref.shape();
        switch (s.type()) {
            case STRUCTURE:
                return readStructure(r, s);
            case LIST: {
                List<Object> list = new ArrayList<>();
                Member item = s.listMember();
                while (nextChild(r)) list.add(readValue(r, item));
                return list;
            }
            case MAP: {
                Map<String, Object> map = new LinkedHashMap<>();
                while (nextChild(r)) readEntry(r, s, map);
                return map;
            }
            default:
                return scalar(ref, r.getElementText());
        }
    }

    private Map<String, Object> readStructure(XMLStreamReader r, Shape s) throws XMLStreamException {
        StructPlan plan = plan(s);
        Map<String, Object> out = new LinkedHashMap<>();
        if (!plan.attributes.isEmpty()) {
            for (int i = 0; i < r.getAttributeCount(); i++) {
                String name = r.getAttributePrefix(i) == null || r.getAttributePrefix(i).isEmpty()
                        ? r.getAttributeLocalName(i) : r.getAttributePrefix(i) + ":" + r.getAttributeLocalName(i);
                Member m = plan.attributes.get(name);
                if (m == null) m = plan.attributes.get(r.getAttributeLocalName(i));
                if (m != null) out.put(m.name(), scalar(m, r.getAttributeValue(i)));
            }
        }
        while (nextChild(r)) {
            Member m = plan.elements.get(r.getLocalName());
            if (m == null) {
                skip(r);
                continue;
            }
            Shape ms = m.shape();
            if (names.isFlattened(m) && ms.type() == ShapeType.LIST) {
                @SuppressWarnings("unchecked")
                List<Object> list = (List<Object>) out.computeIfAbsent(m.name(), k -> new ArrayList<>());
                list.add(readValue(r, ms.listMember()));
            } else if (names.isFlattened(m) && ms.type() == ShapeType.MAP) {
                @SuppressWarnings("unchecked")
                Map<String, Object> map = (Map<String, Object>) out.computeIfAbsent(m.name(), k -> new LinkedHashMap<>());
                readEntry(r, ms, map);
            } else {
                out.put(m.name(), readValue(r, m));
            }
        }
        return out;
    }

    /** At an entry element ({@code <entry>} or a flattened map's element): reads its key and value. */
    private void readEntry(XMLStreamReader r, Shape map, Map<String, Object> out) throws XMLStreamException {
        String keyName = names.mapKeyName(map);
        String valueName = names.mapValueName(map);
        String key = null;
        Object value = null;
        while (nextChild(r)) {
            String n = r.getLocalName();
            if (n.equals(keyName)) key = r.getElementText();
            else if (n.equals(valueName)) value = readValue(r, map.mapValue());
            else skip(r);
        }
        if (key != null) out.put(key, value);
    }

    /** Advances to the next child START_ELEMENT (true) or to the parent's END_ELEMENT (false). */
    private static boolean nextChild(XMLStreamReader r) throws XMLStreamException {
        while (r.hasNext()) {
            int e = r.next();
            if (e == XMLStreamConstants.START_ELEMENT) return true;
            if (e == XMLStreamConstants.END_ELEMENT) return false;
        }
        return false;
    }

    private static void skip(XMLStreamReader r) throws XMLStreamException {
        int depth = 1;
        while (depth > 0 && r.hasNext()) {
            int e = r.next();
            if (e == XMLStreamConstants.START_ELEMENT) depth++;
            else if (e == XMLStreamConstants.END_ELEMENT) depth--;
        }
    }

    private static Object scalar(Member ref, String text) {
        try {
            return WireValues.parse(ref.shape().type(), text, ref.timestampFormat());
        } catch (WireValues.BadValueException e) {
            throw new MalformedXmlException("The XML you provided was not well-formed or did not validate against our published schema");
        }
    }
}
