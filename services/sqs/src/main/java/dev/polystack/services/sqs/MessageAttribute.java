package dev.polystack.services.sqs;

import com.fasterxml.jackson.annotation.JsonIgnore;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One message (or message system) attribute: a data type ({@code String}, {@code Number}, {@code Binary},
 * optionally with a custom suffix such as {@code Number.float}) and a string or binary value.
 */
record MessageAttribute(String dataType, String stringValue, byte[] binaryValue) {

    @JsonIgnore
    boolean isBinary() {
        return dataType.startsWith("Binary");
    }

    /** Bytes this attribute counts toward the message size limit (name + type + value). */
    int size(String name) {
        int value = isBinary() ? binaryValue.length : stringValue.getBytes(StandardCharsets.UTF_8).length;
        return name.getBytes(StandardCharsets.UTF_8).length + dataType.getBytes(StandardCharsets.UTF_8).length + value;
    }

    /** The botocore MessageAttributeValue structure. */
    Map<String, Object> toTree() {
        Map<String, Object> m = new LinkedHashMap<>(4);
        if (isBinary()) m.put("BinaryValue", binaryValue);
        else m.put("StringValue", stringValue);
        m.put("DataType", dataType);
        return m;
    }
}
