package dev.polystack.protocol.xml;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;
import java.io.ByteArrayInputStream;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * The JSON form of a query-protocol XML document, for clients that send {@code Accept: application/json}
 * (AWS answers query APIs such as STS and SQS in JSON then). The mapping is the one LocalStack uses and
 * clients written against it expect (Python's {@code xmltodict}): an element with children becomes an object
 * keyed by child name, a name that repeats becomes an array, a text-only element becomes its text, an empty
 * one {@code null}; attributes become {@code @name} members, namespace declarations are dropped.
 */
public final class XmlToJson {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final XMLInputFactory FACTORY = XMLInputFactory.newFactory();

    static {
        FACTORY.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        FACTORY.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        FACTORY.setProperty(XMLInputFactory.IS_COALESCING, true);
    }

    private XmlToJson() {
    }

    /** One element being read: its attributes and children so far, and its text. */
    private static final class Frame {
        final String name;
        ObjectNode object;
        final StringBuilder text = new StringBuilder();

        Frame(String name) {
            this.name = name;
        }

        ObjectNode object() {
            if (object == null) object = JsonNodeFactory.instance.objectNode();
            return object;
        }

        JsonNode value() {
            if (object != null) {
                String t = text.toString().strip();
                if (!t.isEmpty()) object.put("#text", t);
                return object;
            }
            return text.isEmpty() ? JsonNodeFactory.instance.nullNode() : JsonNodeFactory.instance.textNode(text.toString());
        }
    }

    /** The document as a JSON object ({@code {"<root>": ...}}). */
    public static ObjectNode convert(byte[] xml) {
        try {
            XMLStreamReader r = FACTORY.createXMLStreamReader(new ByteArrayInputStream(xml));
            Deque<Frame> stack = new ArrayDeque<>();
            ObjectNode root = JsonNodeFactory.instance.objectNode();
            while (r.hasNext()) {
                switch (r.next()) {
                    case XMLStreamConstants.START_ELEMENT -> {
                        Frame f = new Frame(r.getLocalName());
                        for (int i = 0; i < r.getAttributeCount(); i++) {
                            String prefix = r.getAttributePrefix(i);
                            String name = prefix == null || prefix.isEmpty() ? r.getAttributeLocalName(i)
                                    : prefix + ":" + r.getAttributeLocalName(i);
                            f.object().put("@" + name, r.getAttributeValue(i));
                        }
                        stack.push(f);
                    }
                    case XMLStreamConstants.CHARACTERS, XMLStreamConstants.CDATA -> {
                        if (!stack.isEmpty()) stack.peek().text.append(r.getText());
                    }
                    case XMLStreamConstants.END_ELEMENT -> {
                        Frame f = stack.pop();
                        add(stack.isEmpty() ? root : stack.peek().object(), f.name, f.value());
                    }
                    default -> {
                    }
                }
            }
            return root;
        } catch (XMLStreamException e) {
            throw new IllegalArgumentException("not XML", e);
        }
    }

    public static byte[] convertToBytes(byte[] xml) {
        try {
            return JSON.writeValueAsBytes(convert(xml));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void add(ObjectNode parent, String name, JsonNode value) {
        JsonNode existing = parent.get(name);
        if (existing == null) {
            parent.set(name, value);
        } else if (existing instanceof ArrayNode a) {
            a.add(value);
        } else {
            ArrayNode a = parent.arrayNode();
            a.add(existing);
            a.add(value);
            parent.set(name, a);
        }
    }
}
