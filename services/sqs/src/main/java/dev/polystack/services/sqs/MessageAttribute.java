package dev.polystack.services.sqs;

import com.fasterxml.jackson.annotation.JsonIgnore;
import dev.polystack.services.sqs.api.MessageAttributeValue;

import java.nio.charset.StandardCharsets;

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

    /** The MessageAttributeValue structure of a received message. */
    MessageAttributeValue toValue() {
        MessageAttributeValue.Builder b = MessageAttributeValue.builder().dataType(dataType);
        return (isBinary() ? b.binaryValue(binaryValue) : b.stringValue(stringValue)).build();
    }
}
