package dev.polystack.protocol.model;

/** An XML namespace: {@code xmlns="uri"} or, with a prefix, {@code xmlns:prefix="uri"}. */
public record XmlNamespace(String uri, String prefix) {
    /** The attribute name: {@code xmlns} or {@code xmlns:prefix}. */
    public String attributeName() {
        return prefix == null || prefix.isEmpty() ? "xmlns" : "xmlns:" + prefix;
    }
}
