package dev.polystack.protocol.json;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.polystack.api.ServiceException;
import dev.polystack.protocol.ErrorDescriptor;
import dev.polystack.protocol.MalformedInputException;
import dev.polystack.protocol.Validator;
import dev.polystack.protocol.model.Member;
import dev.polystack.protocol.model.Operation;
import dev.polystack.protocol.model.ServiceModel;
import dev.polystack.protocol.model.Shape;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Error bodies and validation errors shared by the JSON-like protocols (json, rest-json, rpc-v2-cbor). */
public final class JsonErrorSupport {
    private final ServiceModel model;
    private final JsonWriter writer;

    public JsonErrorSupport(ServiceModel model, JsonWriter writer) {
        this.model = model;
        this.writer = writer;
    }

    public ServiceException serializationException(MalformedInputException e) {
        return new ServiceException("SerializationException", e.getMessage());
    }

    /** Validates parsed input; throws the protocol's validation error. */
    public void validate(Operation op, Map<String, Object> params) {
        if (op.input() == null) return;
        List<Validator.Violation> violations = Validator.validate(op.input(), params, model.isStrictValidation());
        if (violations.isEmpty()) return;
        throw validationError(violations);
    }

    public ServiceException validationError(List<Validator.Violation> violations) {
        if ("smithy".equals(model.validationStyle())) {
            List<Object> fields = new ArrayList<>();
            for (Validator.Violation v : violations) {
                Map<String, Object> f = new LinkedHashMap<>();
                f.put("path", Validator.smithyPath(v));
                f.put("message", Validator.smithyFieldMessage(v));
                fields.add(f);
            }
            return new ServiceException("ValidationException", Validator.smithyMessage(violations)).with("fieldList", fields);
        }
        if (model.isAwsQueryCompatible()) {
            Validator.Violation first = violations.get(0);
            if (first.nullValue() && first.path().size() == 1) {
                return new ServiceException("MissingParameter", "The request must contain the parameter " + first.path().get(0) + ".");
            }
            return new ServiceException("InvalidParameterValue", Validator.coralMessage(violations));
        }
        return new ServiceException("ValidationException", Validator.coralMessage(violations));
    }

    /**
     * Writes an error's message and extra fields: typed by the error shape's members when modelled (the
     * message goes to its {@code message}/{@code Message} member), else as plain values.
     */
    public void writeErrorMembers(JsonGenerator g, ErrorDescriptor d, ServiceException error) throws IOException {
        Shape shape = d.shape();
        String message = error.getMessage();
        if (shape == null) {
            if (message != null) g.writeStringField("message", message);
            for (Map.Entry<String, Object> e : error.fields().entrySet()) {
                if (e.getValue() == null) continue;
                g.writeFieldName(e.getKey());
                JsonWriter.document(g, e.getValue());
            }
            return;
        }
        Member messageMember = messageMember(shape);
        Map<String, Object> values = error.fields();
        if (message != null && messageMember != null && !values.containsKey(messageMember.name())) {
            values = new LinkedHashMap<>(values);
            values.put(messageMember.name(), message);
        } else if (message != null && messageMember == null) {
            g.writeStringField("message", message);
        }
        writer.members(g, shape, values);
    }

    public static Member messageMember(Shape shape) {
        Member m = shape.member("message");
        if (m == null) m = shape.member("Message");
        if (m == null) m = shape.member("errorMessage");
        return m;
    }
}
