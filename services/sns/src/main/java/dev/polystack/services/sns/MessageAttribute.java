package dev.polystack.services.sns;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.polystack.services.sqs.api.MessageAttributeValue;

import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** One SNS message attribute, as published: DataType plus StringValue or BinaryValue. */
public record MessageAttribute(String dataType, String stringValue, byte[] binaryValue) {
    private static final ObjectMapper JSON = new ObjectMapper();

    public boolean binary() {
        return dataType.startsWith("Binary");
    }

    /** The value as the JSON envelope shows it ({@code Value}): Base64 for binary attributes. */
    public String envelopeValue() {
        return binary() ? Base64.getEncoder().encodeToString(binaryValue) : stringValue;
    }

    /** The SQS MessageAttributeValue for raw delivery. */
    public MessageAttributeValue toSqs() {
        MessageAttributeValue.Builder out = MessageAttributeValue.builder().dataType(dataType);
        return (binary() ? out.binaryValue(binaryValue) : out.stringValue(stringValue)).build();
    }

    /**
     * The values a filter policy sees: String → the text; Number → the number; String.Array → each
     * element; Binary → not filterable (null).
     */
    List<Object> filterValues() {
        if (binary()) return null;
        if (dataType.startsWith("String.Array")) {
            try {
                JsonNode array = JSON.readTree(stringValue);
                if (array != null && array.isArray()) {
                    List<Object> out = new ArrayList<>();
                    for (JsonNode n : array) out.add(FilterPolicy.scalar(n));
                    return out;
                }
            } catch (Exception e) {
                // not a JSON array: compare the text itself
            }
            return List.of(stringValue);
        }
        if (dataType.startsWith("Number")) {
            try {
                return List.of(Double.parseDouble(stringValue));
            } catch (NumberFormatException e) {
                return List.of(stringValue);
            }
        }
        return List.of(stringValue);
    }
}
