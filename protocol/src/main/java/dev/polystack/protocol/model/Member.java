package dev.polystack.protocol.model;

/**
 * A reference to a shape: a structure member, a list's member, a map's key or value. Immutable once
 * {@link ModelLoader} has linked the model.
 */
public final class Member {
    final String name;
    Shape shape;
    Location location = Location.BODY;
    String locationName;
    String jsonName;
    String queryName;
    XmlNamespace xmlNamespace;
    boolean xmlAttribute;
    boolean flattened;
    TimestampFormat timestampFormat;
    boolean jsonValue;
    boolean idempotencyToken;
    boolean hostLabel;
    boolean required;
    boolean streaming;
    boolean eventPayload;
    boolean eventHeader;
    Object defaultValue;

    Member(String name) {
        this.name = name;
    }

    /** Member name in the parameter tree. */
    public String name() { return name; }

    public Shape shape() { return shape; }

    public ShapeType type() { return shape.type; }

    public Location location() { return location; }

    /** The wire name given by the specification (header, query key, URI label, JSON key, XML element), or null. */
    public String locationName() { return locationName; }

    /** {@link #locationName()} if set, else the member name. */
    public String wireName() { return locationName != null ? locationName : name; }

    /**
     * The key in JSON bodies: {@code jsonName} (an extension key, set when an overlay gives the member a query
     * {@code locationName} its JSON form does not use), else {@link #wireName()}.
     */
    public String jsonName() { return jsonName != null ? jsonName : wireName(); }

    /** EC2 query name (botocore {@code queryName}, Smithy {@code @ec2QueryName}), or null. */
    public String queryName() { return queryName; }

    public XmlNamespace xmlNamespace() { return xmlNamespace; }

    public boolean isXmlAttribute() { return xmlAttribute; }

    /** Flattened here or on the target list/map shape. */
    public boolean isFlattened() { return flattened || shape.flattened; }

    /** Member format, else the target shape's, else null (the protocol's default for the location). */
    public TimestampFormat timestampFormat() { return timestampFormat != null ? timestampFormat : shape.timestampFormat; }

    /** A string carrying JSON, sent base64-encoded in headers (botocore {@code jsonvalue}). */
    public boolean isJsonValue() { return jsonValue || shape.jsonValue; }

    public boolean isIdempotencyToken() { return idempotencyToken; }

    public boolean isHostLabel() { return hostLabel; }

    public boolean isRequired() { return required; }

    /** A streaming blob (on the member or its shape). */
    public boolean isStreaming() { return streaming || shape.streaming; }

    public boolean isEventPayload() { return eventPayload; }

    public boolean isEventHeader() { return eventHeader; }

    /** Smithy {@code @default} value as a tree value (String, Number, Boolean, List, Map), or null. */
    public Object defaultValue() { return defaultValue; }

    @Override
    public String toString() { return name + "->" + (shape == null ? "?" : shape.name); }
}
