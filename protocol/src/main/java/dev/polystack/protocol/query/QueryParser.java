package dev.polystack.protocol.query;

import dev.polystack.api.HttpRequestData;
import dev.polystack.api.ServiceException;
import dev.polystack.protocol.ParsedRequest;
import dev.polystack.protocol.model.Member;
import dev.polystack.protocol.model.Operation;
import dev.polystack.protocol.model.Shape;
import dev.polystack.protocol.model.ShapeType;
import dev.polystack.protocol.xml.WireValues;
import dev.polystack.protocol.xml.XmlNames;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Parses query-protocol requests (form body or query string: {@code Action=SendMessage&QueueUrl=...}) into
 * botocore-shaped parameter trees, following botocore's query serializer in reverse: {@code member.N}
 * lists, flattened lists, {@code entry.N.key/value} maps, nested {@code A.B.C} structures. The ec2 dialect
 * names members by {@code queryName} or capitalized {@code locationName} and writes every list as
 * {@code Name.N}.
 */
public final class QueryParser {

    /** How a service reports invalid input (AWS is not uniform across query services). */
    public enum Validation {
        /** SQS and EC2: {@code MissingParameter: The request must contain the parameter X.} */
        MISSING_PARAMETER,
        /** Coral services (STS, IAM, ...): {@code ValidationError: 1 validation error detected: ...} */
        VALIDATION_ERROR,
        /**
         * SNS: Coral's {@code ValidationError}, except a required top-level scalar sent not at all, which SNS answers
         * {@code InvalidParameter: Invalid parameter: SubscriptionArn Reason: no value for required parameter}
         * (recorded; a missing nested member stays a ValidationError, also recorded, and a missing top-level map is
         * left to the provider, which answers Coral's ValidationError after its own ARN checks, as SNS does).
         */
        INVALID_PARAMETER
    }

    /** A structure's members with their form keys, computed once per shape. */
    private record StructPlan(Member[] members, String[] keys) {
    }

    private final XmlNames names;
    private final boolean ec2;
    private final Validation validation;
    /** SQS: a request posted to a queue's URL without {@code QueueUrl} names the queue by its path. */
    private final boolean queueUrlFromPath;
    private final Map<Shape, StructPlan> plans = new ConcurrentHashMap<>();

    public QueryParser(XmlNames names, boolean ec2, Validation validation) {
        this(names, ec2, validation, false);
    }

    public QueryParser(XmlNames names, boolean ec2, Validation validation, boolean queueUrlFromPath) {
        this.names = names;
        this.ec2 = ec2;
        this.validation = validation;
        this.queueUrlFromPath = queueUrlFromPath;
    }

    /** The form: the body when it is a form, merged over the query string's parameters. */
    static Map<String, List<String>> form(HttpRequestData request) {
        Map<String, List<String>> query = request.queryParameters();
        byte[] body = "GET".equals(request.method()) ? new byte[0] : dev.polystack.protocol.xml.RequestBodies.document(request);
        if (body.length == 0) return query;
        Map<String, List<String>> form = HttpRequestData.decodeForm(new String(body, StandardCharsets.UTF_8));
        if (query.isEmpty()) return form;
        Map<String, List<String>> all = new LinkedHashMap<>(query);
        all.putAll(form);
        return all;
    }

    /** The error of a queue-URL request without an Action; the codec writes it as AWS does, a bare element. */
    public static final String UNKNOWN_OPERATION = "UnknownOperationException";

    public ParsedRequest parse(HttpRequestData request) {
        Map<String, List<String>> form = form(request);
        String path = request.path();
        boolean onQueueUrl = queueUrlFromPath && path.length() > 1 && !path.startsWith("/_");
        if (onQueueUrl && !form.containsKey("QueueUrl")) {
            form = new LinkedHashMap<>(form);
            form.put("QueueUrl", List.of(path));
        }
        List<String> actions = form.get("Action");
        String action = actions == null || actions.isEmpty() ? null : actions.get(0);
        if (action == null || action.isEmpty()) {
            // SQS's query API on a queue URL answers a request without an Action with a bare 404 document.
            if (onQueueUrl) throw new ServiceException(UNKNOWN_OPERATION, "No Action on a queue URL", 404);
            throw new ServiceException("MissingAction", "The request must contain the parameter Action.");
        }
        // Operations on no queue are not taken at a queue URL (AWS answers InvalidAction there).
        if (onQueueUrl && (action.equals("ListQueues") || action.equals("CreateQueue"))) {
            throw new ServiceException("InvalidAction", "The action " + action + " is not valid for this endpoint.");
        }
        Operation op = names.model().operation(action);
        if (op == null) {
            throw new ServiceException("InvalidAction", "The action " + action + " is not valid for this endpoint.");
        }
        return new ParsedRequest(op.name(), parseInput(op, FormNode.of(form, "Action", "Version")));
    }

    Map<String, Object> parseInput(Operation op, FormNode root) {
        if (op.input() == null) return new LinkedHashMap<>();
        Errors errors = new Errors();
        Map<String, Object> params = parseStructure(op.input(), root, "", errors);
        errors.throwIfAny();
        return params;
    }

    private StructPlan plan(Shape s) {
        StructPlan p = plans.get(s);
        if (p == null) {
            Member[] members = s.memberArray();
            String[] keys = new String[members.length];
            for (int i = 0; i < members.length; i++) keys[i] = ec2 ? ec2Name(members[i], members[i].name()) : names.memberKey(members[i]);
            p = new StructPlan(members, keys);
            plans.put(s, p);
        }
        return p;
    }

    /** EC2 naming: queryName, else the locationName capitalized, else the default capitalized (a no-op for botocore's names). */
    private String ec2Name(Member m, String dflt) {
        if (m.queryName() != null) return m.queryName();
        String n = names.locationName(m);
        if (n == null || n.isEmpty()) n = dflt;
        return n.isEmpty() ? n : Character.toUpperCase(n.charAt(0)) + n.substring(1);
    }

    private Map<String, Object> parseStructure(Shape s, FormNode node, String path, Errors errors) {
        StructPlan plan = plan(s);
        Map<String, Object> out = new LinkedHashMap<>();
        for (int i = 0; i < plan.members.length; i++) {
            Member m = plan.members[i];
            FormNode child = node == null ? null : node.get(plan.keys[i]);
            String memberPath = errors.path(path, m, plan.keys[i]);
            if (child == null) {
                if (m.isRequired() && emptyListWhenAbsent(m)) {
                    // SQS: the query protocol writes an empty list as nothing at all, so an absent required list is
                    // an empty one and the provider answers it as in JSON (SendMessageBatch: EmptyBatchRequest).
                    out.put(m.name(), new ArrayList<>());
                } else if (m.isRequired() && path.isEmpty() && validation == Validation.INVALID_PARAMETER
                        && m.shape().type().isScalar()) {
                    errors.missingParameter(m.name());
                } else if (m.isRequired() && path.isEmpty() && validation == Validation.INVALID_PARAMETER
                        && m.shape().type() == ShapeType.MAP) {
                    // SNS checks a required Attributes map after the ARN beside it (recorded), so its provider answers
                    // the ValidationError; the query protocol sends an empty map as nothing at all anyway.
                    continue;
                } else if (m.isRequired()) {
                    errors.missing(memberPath);
                }
                continue;
            }
            Object v = parseValue(m, child, memberPath, errors);
            if (v != null) out.put(m.name(), v);
        }
        return out;
    }

    private boolean emptyListWhenAbsent(Member m) {
        return !ec2 && validation == Validation.MISSING_PARAMETER && m.shape().type() == ShapeType.LIST;
    }

    private Object parseValue(Member ref, FormNode node, String path, Errors errors) {
        Shape s = ref.shape();
        switch (s.type()) {
            case STRUCTURE:
                return parseStructure(s, node, path, errors);
            case LIST: {
                FormNode items = node;
                if (!ec2 && !names.isFlattened(ref)) {
                    items = node.get(names.listItemName(s));
                    // "Name=" alone is botocore's empty list; tolerate a flattened form too.
                    if (items == null) items = node.hasKids() ? node : null;
                }
                List<Object> list = new ArrayList<>();
                if (items == null) return list;
                Member item = s.listMember();
                int i = 0;
                for (FormNode n : items.indexed()) {
                    i++;
                    Object v = parseValue(item, n, errors.itemPath(path, Integer.toString(i)), errors);
                    if (v != null) list.add(v);
                }
                return list;
            }
            case MAP: {
                FormNode entries = names.isFlattened(ref) ? node : node.get("entry");
                Map<String, Object> map = new LinkedHashMap<>();
                if (entries == null) return map;
                String keyName = ec2 ? ec2Name(s.mapKey(), "key") : names.mapKeyName(s);
                String valueName = ec2 ? ec2Name(s.mapValue(), "value") : names.mapValueName(s);
                for (FormNode e : entries.indexed()) {
                    FormNode k = e.get(keyName);
                    if (k == null || k.value == null) continue;
                    FormNode v = e.get(valueName);
                    String entryPath = errors.itemPath(path, k.value);
                    if (v == null) {
                        errors.missing(entryPath);
                        continue;
                    }
                    Object value = parseValue(s.mapValue(), v, entryPath, errors);
                    if (value != null) map.put(k.value, value);
                }
                return map;
            }
            default: {
                if (node.value == null) return null;
                try {
                    return WireValues.parse(s.type(), node.value, ref.timestampFormat());
                } catch (WireValues.BadValueException e) {
                    errors.invalid(path, node.value, s.type());
                    return null;
                }
            }
        }
    }

    /** Collects validation errors with their paths, in the service's style. */
    private final class Errors {
        private List<String> messages;
        private String firstMissing;
        private String badValue;
        private String missingInvalidParameter;

        /** Paths: Coral style ({@code messageAttributes.attr1.member.dataType}) or form keys ({@code MessageAttribute.1.Name}). */
        String path(String parent, Member m, String key) {
            if (validation != Validation.MISSING_PARAMETER) {
                String n = m.name();
                String lower = n.isEmpty() ? n : Character.toLowerCase(n.charAt(0)) + n.substring(1);
                return parent.isEmpty() ? lower : parent + "." + lower;
            }
            return parent.isEmpty() ? key : parent + "." + key;
        }

        String itemPath(String parent, String index) {
            return validation != Validation.MISSING_PARAMETER ? parent + "." + index + ".member" : parent + "." + index;
        }

        /** SNS's answer to a required top-level scalar that was not sent (the first one, as AWS names one). */
        void missingParameter(String member) {
            if (missingInvalidParameter == null) missingInvalidParameter = member;
        }

        void missing(String path) {
            if (validation == Validation.MISSING_PARAMETER) {
                if (firstMissing == null) firstMissing = path;
                return;
            }
            add("Value null at '" + path + "' failed to satisfy constraint: Member must not be null");
        }

        void invalid(String path, String value, ShapeType type) {
            if (validation == Validation.MISSING_PARAMETER) {
                if (badValue == null) {
                    badValue = "Value (" + value + ") for parameter " + path + " is invalid. " + expectation(type);
                }
                return;
            }
            add("Value '" + value + "' at '" + path + "' failed to satisfy constraint: Member must be " + describe(type));
        }

        private void add(String m) {
            if (messages == null) messages = new ArrayList<>(2);
            messages.add(m);
        }

        void throwIfAny() {
            if (missingInvalidParameter != null) {
                throw new ServiceException("InvalidParameter",
                        "Invalid parameter: " + missingInvalidParameter + " Reason: no value for required parameter");
            }
            if (firstMissing != null) {
                throw new ServiceException("MissingParameter", "The request must contain the parameter " + firstMissing + (ec2 ? "" : "."));
            }
            if (badValue != null) throw new ServiceException("InvalidParameterValue", badValue);
            if (messages != null) {
                int n = messages.size();
                throw new ServiceException("ValidationError", n + " validation error" + (n == 1 ? "" : "s") + " detected: "
                        + String.join("; ", messages));
            }
        }
    }

    private static String expectation(ShapeType type) {
        return "Expected: " + describe(type) + ".";
    }

    private static String describe(ShapeType type) {
        return switch (type) {
            case INTEGER, LONG, BYTE, SHORT, BIG_INTEGER -> "an integer";
            case FLOAT, DOUBLE, BIG_DECIMAL -> "a number";
            case BOOLEAN -> "a boolean";
            case TIMESTAMP -> "a timestamp";
            case BLOB -> "base64-encoded binary data";
            default -> "a valid value";
        };
    }
}
