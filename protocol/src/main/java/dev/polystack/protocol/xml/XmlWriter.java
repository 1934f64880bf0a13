package dev.polystack.protocol.xml;

import java.nio.charset.StandardCharsets;

/**
 * A small, fast XML writer for response bodies (the hot path of query, ec2 and rest-xml responses):
 * appends to one {@link StringBuilder}, escapes text and attribute values, nothing else. The caller
 * writes well-formed sequences ({@link #start}/{@link #end} in pairs).
 */
public final class XmlWriter {
    private final StringBuilder sb;
    /** True while a start tag is open for attributes ({@code <a x="1"} without its {@code >}). */
    private boolean tagOpen;

    public XmlWriter() {
        this(256);
    }

    public XmlWriter(int capacity) {
        sb = new StringBuilder(capacity);
    }

    /** Writes the XML declaration {@code <?xml version="1.0" encoding="UTF-8"?>}. */
    public XmlWriter declaration() {
        sb.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        return this;
    }

    /** Opens an element; attributes may follow until the next content. */
    public XmlWriter start(String name) {
        closeTag();
        sb.append('<').append(name);
        tagOpen = true;
        return this;
    }

    /** An attribute on the element just started. */
    public XmlWriter attribute(String name, String value) {
        if (!tagOpen) throw new IllegalStateException("attribute " + name + " outside a start tag");
        sb.append(' ').append(name).append("=\"");
        escape(value, true);
        sb.append('"');
        return this;
    }

    public XmlWriter text(String text) {
        closeTag();
        escape(text, false);
        return this;
    }

    public XmlWriter end(String name) {
        if (tagOpen) {
            // An empty element: <a></a> rather than <a/>, as AWS writes it.
            sb.append("></").append(name).append('>');
            tagOpen = false;
        } else {
            sb.append("</").append(name).append('>');
        }
        return this;
    }

    /** {@code <name/>}: how AWS writes a query operation's empty result element. */
    public XmlWriter emptyElement(String name) {
        closeTag();
        sb.append('<').append(name).append("/>");
        return this;
    }

    /** {@code <name>text</name>}. */
    public XmlWriter element(String name, String text) {
        start(name);
        text(text);
        return end(name);
    }

    private void closeTag() {
        if (tagOpen) {
            sb.append('>');
            tagOpen = false;
        }
    }

    private void escape(String s, boolean attribute) {
        int n = s.length();
        int from = 0;
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            String rep;
            switch (c) {
                case '&' -> rep = "&amp;";
                case '<' -> rep = "&lt;";
                case '>' -> rep = "&gt;";
                case '"' -> rep = attribute ? "&quot;" : null;
                case '\'' -> rep = attribute ? "&apos;" : null;
                // Keep line breaks and tabs intact through XML's end-of-line normalization.
                case '\r' -> rep = "&#xD;";
                case '\n' -> rep = attribute ? "&#xA;" : null;
                case '\t' -> rep = attribute ? "&#x9;" : null;
                default -> rep = null;
            }
            if (rep != null) {
                sb.append(s, from, i).append(rep);
                from = i + 1;
            }
        }
        // Most values need no escaping: append(String) copies the whole array, where append(s, from, n) goes
        // char by char (a third of a 1,000-key listing's serialization).
        if (from == 0) sb.append(s);
        else sb.append(s, from, n);
    }

    public int length() { return sb.length(); }

    @Override
    public String toString() { return sb.toString(); }

    public byte[] toBytes() { return sb.toString().getBytes(StandardCharsets.UTF_8); }
}
