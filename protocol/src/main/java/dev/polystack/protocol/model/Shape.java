package dev.polystack.protocol.model;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A compiled shape. Immutable once {@link ModelLoader} has linked the model (fields are only written
 * there); shapes reference each other, so recursive shapes are plain object cycles.
 */
public final class Shape {
    final String name;
    final ShapeType type;
    // structure
    Map<String, Member> members = Map.of();
    Member[] memberArray = new Member[0];
    Member[] bodyMembers = new Member[0];
    Member[] nonBodyMembers = new Member[0];
    Member[] responseBodyMembers = new Member[0];
    Set<String> required = Set.of();
    String payload;
    Member payloadMember;
    boolean union;
    boolean exception;
    boolean fault;
    boolean event;
    boolean eventstream;
    boolean document;
    String errorCode;
    int errorHttpStatus;
    int queryErrorHttpStatus;
    String namespace;
    Map<String, Member> bodyMembersByJsonName = Map.of();
    boolean hasDefaults;
    Boolean senderFault;
    // list / map
    Member listMember;
    Member mapKey;
    Member mapValue;
    boolean flattened;
    boolean sparse;
    boolean uniqueItems;
    // scalars
    boolean streaming;
    boolean requiresLength;
    boolean sensitive;
    boolean jsonValue;
    BigDecimal min;
    BigDecimal max;
    String pattern;
    private volatile Pattern compiledPattern;
    List<String> enumValues;
    Set<String> enumSet;
    TimestampFormat timestampFormat;
    String mediaType;
    // xml
    String locationName;
    XmlNamespace xmlNamespace;

    Shape(String name, ShapeType type) {
        this.name = name;
        this.type = type;
    }

    public String name() { return name; }

    public ShapeType type() { return type; }

    /** Structure members in declaration order (unmodifiable). */
    public Map<String, Member> members() { return members; }

    public Member member(String name) { return members.get(name); }

    /** Structure members as an array, in declaration order (for fast iteration; do not modify). */
    public Member[] memberArray() { return memberArray; }

    /** Members with {@link Location#BODY} (do not modify). */
    public Member[] bodyMembers() { return bodyMembers; }

    /** Members bound to the URI, query string, headers or status code (do not modify). */
    public Member[] nonBodyMembers() { return nonBodyMembers; }

    /** Members serialized in a response body: body members plus URI- and query-bound ones (those only bind requests). */
    public Member[] responseBodyMembers() { return responseBodyMembers; }

    public Set<String> required() { return required; }

    /** The member whose value is the whole HTTP body (REST protocols), or null. */
    public String payload() { return payload; }

    public Member payloadMember() { return payloadMember; }

    public boolean isUnion() { return union; }

    public boolean isException() { return exception; }

    /** A server fault ({@code "fault": true}). */
    public boolean isFault() { return fault; }

    public boolean isEvent() { return event; }

    public boolean isEventStream() { return eventstream; }

    /** The code an error is sent with, when it differs from the shape name (botocore {@code error.code}, Smithy awsQueryError), or null. */
    public String errorCode() { return errorCode; }

    /** The wire code of an error: {@link #errorCode()} if set, else the shape name. */
    public String wireErrorCode() { return errorCode != null ? errorCode : name; }

    /** The error's HTTP status from the specification, or 0. */
    public int errorHttpStatus() { return errorHttpStatus; }

    /**
     * The status the query protocol sends this error with when it differs from {@link #errorHttpStatus()}
     * (Smithy {@code @awsQueryError(httpResponseCode)} on a JSON service), else {@link #errorHttpStatus()}.
     */
    public int queryErrorHttpStatus() { return queryErrorHttpStatus > 0 ? queryErrorHttpStatus : errorHttpStatus; }

    /** The Smithy namespace of the shape ({@code com.amazonaws.sqs}), or null when unknown (botocore does not say). */
    public String namespace() { return namespace; }

    /** {@code namespace#name} when the namespace is known, else the name: the JSON protocols' {@code __type}. */
    public String qualifiedName() { return namespace == null ? name : namespace + "#" + name; }

    /** Body members by their JSON key ({@link Member#jsonName()}), for the JSON parsers. */
    public Map<String, Member> bodyMembersByJsonName() { return bodyMembersByJsonName; }

    /** Some member has a {@link Member#defaultValue()}. */
    public boolean hasDefaults() { return hasDefaults; }

    /** Sender (client) fault per the specification, or null when it does not say. */
    public Boolean senderFault() { return senderFault; }

    public Member listMember() { return listMember; }

    public Member mapKey() { return mapKey; }

    public Member mapValue() { return mapValue; }

    public boolean isFlattened() { return flattened; }

    /** Lists and maps that may hold nulls. */
    public boolean isSparse() { return sparse; }

    public boolean isUniqueItems() { return uniqueItems; }

    public boolean isStreaming() { return streaming; }

    public boolean isRequiresLength() { return requiresLength; }

    public boolean isSensitive() { return sensitive; }

    /** A string holding JSON (botocore {@code jsonvalue} on the shape, Smithy {@code @mediaType("application/json")} in headers). */
    public boolean isJsonValue() { return jsonValue; }

    /** Minimum length (strings, blobs, lists, maps) or value (numbers), or null. */
    public BigDecimal min() { return min; }

    public BigDecimal max() { return max; }

    public String pattern() { return pattern; }

    /** The pattern compiled once (lazily), or null. Like AWS, matched with {@code find()}. */
    public Pattern compiledPattern() {
        Pattern p = compiledPattern;
        if (p == null && pattern != null) {
            try {
                p = Pattern.compile(pattern);
            } catch (RuntimeException e) {
                p = Pattern.compile("");
            }
            compiledPattern = p;
        }
        return p;
    }

    /** Allowed values of an enum string (or int enum), or null. */
    public List<String> enumValues() { return enumValues; }

    public boolean isEnumValue(String v) { return enumSet == null || enumSet.contains(v); }

    public TimestampFormat timestampFormat() { return timestampFormat; }

    /** Smithy {@code @mediaType}, or null. */
    public String mediaType() { return mediaType; }

    /** Shape-level XML name (botocore {@code locationName} on a shape), or null. */
    public String locationName() { return locationName; }

    public XmlNamespace xmlNamespace() { return xmlNamespace; }

    @Override
    public String toString() { return name + ":" + type; }
}
