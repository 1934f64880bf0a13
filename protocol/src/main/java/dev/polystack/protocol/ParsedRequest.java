package dev.polystack.protocol;

import java.util.Map;

/** An operation name and its botocore-shaped input parameters. */
public record ParsedRequest(String operation, Map<String, Object> params) {
}
