package dev.polystack.protocol.restxml;

import dev.polystack.protocol.model.Member;
import dev.polystack.protocol.model.ShapeType;
import dev.polystack.protocol.model.TimestampFormat;
import dev.polystack.protocol.rest.RestBinding;
import dev.polystack.protocol.xml.WireValues;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * rest-xml's request headers: timestamps as HTTP dates unless the member says otherwise, lists as comma-separated
 * values (split by {@link RestBinding}), JSON values base64-encoded, blobs base64-encoded. Response headers are
 * written by {@link RestBinding#writeNonBody}, as for rest-json.
 * Values parse with {@link WireValues} (shared with query and ec2: any of the three timestamp formats,
 * case-insensitive booleans), not rest-json's strict {@link RestBinding#scalar}, which Smithy's restJson1
 * malformed-request cases require.
 */
final class HttpHeaderValues {
    private HttpHeaderValues() {
    }

    static Object parse(Member m, List<String> values) {
        ShapeType t = m.shape().type();
        if (t == ShapeType.LIST) {
            Member item = m.shape().listMember();
            TimestampFormat f = format(item, m);
            boolean httpDates = item.shape().type() == ShapeType.TIMESTAMP && f == TimestampFormat.RFC822;
            List<String> parts = new ArrayList<>();
            for (String v : values) {
                if (httpDates) RestBinding.splitHttpDates(v, parts);
                else RestBinding.splitHeaderList(v, parts);
            }
            List<Object> out = new ArrayList<>(parts.size());
            for (String p : parts) out.add(WireValues.parse(item.shape().type(), p, f));
            return out;
        }
        String v = values.size() == 1 ? values.get(0) : String.join(",", values);
        if (t == ShapeType.STRING) {
            if (m.isJsonValue()) {
                try {
                    return new String(Base64.getDecoder().decode(v.trim()), StandardCharsets.UTF_8);
                } catch (IllegalArgumentException e) {
                    throw new WireValues.BadValueException("not base64-encoded JSON");
                }
            }
            return v;
        }
        return WireValues.parse(t, v.trim(), format(m, null));
    }

    /** The member's timestamp format (or its list's), else the HTTP date that headers default to. */
    private static TimestampFormat format(Member m, Member list) {
        if (m.timestampFormat() != null) return m.timestampFormat();
        if (list != null && list.timestampFormat() != null) return list.timestampFormat();
        return TimestampFormat.RFC822;
    }
}
