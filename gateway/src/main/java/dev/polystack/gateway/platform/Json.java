package dev.polystack.gateway.platform;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.polystack.api.HttpResponseData;

/** JSON responses for platform endpoints (Jackson, created on first use). */
public final class Json {
    private Json() {
    }

    private static final class Holder {
        static final ObjectMapper MAPPER = new ObjectMapper();
    }

    public static HttpResponseData response(int status, Object value) {
        try {
            return new HttpResponseData(status).header("Content-Type", "application/json")
                    .body(Holder.MAPPER.writeValueAsBytes(value));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    public static ObjectMapper mapper() {
        return Holder.MAPPER;
    }
}
