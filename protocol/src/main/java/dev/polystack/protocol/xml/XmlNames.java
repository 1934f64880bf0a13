package dev.polystack.protocol.xml;

import dev.polystack.protocol.model.Member;
import dev.polystack.protocol.model.Operation;
import dev.polystack.protocol.model.ServiceModel;
import dev.polystack.protocol.model.Shape;

/**
 * The XML and query names of a service's members, lists, maps and results, by botocore's rules.
 * (SQS's query names come from the model overlay {@code overlays/sqs.json}: its botocore specification is
 * JSON-only and lost them.)
 */
public final class XmlNames {
    private final ServiceModel model;

    public XmlNames(ServiceModel model) {
        this.model = model;
    }

    public ServiceModel model() { return model; }

    /** The namespace of query/ec2 response roots, or null. */
    public String xmlNamespace() { return model.xmlNamespace(); }

    /** The serialized name ({@code locationName}) of a member, list member or map key/value, or null. */
    public String locationName(Member m) {
        return m.locationName();
    }

    /** The element or form-key name of a structure member: its locationName, else its name. */
    public String name(Member m) {
        return m.wireName();
    }

    public boolean isFlattened(Member m) {
        return m.isFlattened();
    }

    /**
     * The key of a member in its structure, query and XML alike: its own locationName; else, for a flattened
     * list whose member has a name, that name (SQS's {@code AttributeName.1}); else the member name. (No
     * botocore specification gives a flattened list member both names, differing.)
     */
    public String memberKey(Member m) {
        if (m.locationName() != null) return m.locationName();
        Shape s = m.shape();
        if (s.listMember() != null && m.isFlattened()) {
            String n = s.listMember().locationName();
            if (n != null) return n;
        }
        return m.name();
    }

    /** The element of each item of a non-flattened list: its member's locationName, else {@code member}. */
    public String listItemName(Shape list) {
        String n = list.listMember().locationName();
        return n != null ? n : "member";
    }

    public String mapKeyName(Shape map) {
        String n = map.mapKey().locationName();
        return n != null ? n : "key";
    }

    public String mapValueName(Shape map) {
        String n = map.mapValue().locationName();
        return n != null ? n : "value";
    }

    /** The query result element ({@code SendMessageResult}). */
    public String resultWrapper(Operation op) {
        String w = op.outputResultWrapper();
        return w != null ? w : op.name() + "Result";
    }
}
