package dev.polystack.services.apigateway;

import dev.polystack.services.apigateway.api.PatchOperation;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The {@code patchOperations} of API Gateway's {@code Update*} operations. A path is a JSON-pointer-like
 * {@code /member[/key]} where {@code ~1} stands for {@code /} inside a key ({@code /binaryMediaTypes/image~1png},
 * {@code /requestParameters/method.request.header.x}).
 */
final class Patch {
    static final String OPS = "add, remove, move, test, replace, copy";
    private static final Set<String> KNOWN = Set.of("add", "remove", "move", "test", "replace", "copy");

    record Op(String op, String path, String value, String from) {
        /** The path's first segment: {@code /requestParameters/x} → {@code requestParameters}. */
        String member() {
            String p = path.startsWith("/") ? path.substring(1) : path;
            int slash = p.indexOf('/');
            return slash < 0 ? p : p.substring(0, slash);
        }

        /** What follows the member, unescaped ({@code ~1} → {@code /}, {@code ~0} → {@code ~}), or null. */
        String key() {
            String p = path.startsWith("/") ? path.substring(1) : path;
            int slash = p.indexOf('/');
            return slash < 0 ? null : unescape(p.substring(slash + 1));
        }
    }

    private Patch() {
    }

    /**
     * Reads and checks the operations; {@code inputName} is the operation's input name as AWS reports it
     * ({@code updateRestApiInput}). Extra constraint violations found by the caller may be added to {@code more}.
     */
    static List<Op> read(List<PatchOperation> patchOperations, String inputName, Validation more) {
        List<Op> ops = new ArrayList<>();
        Validation v = more == null ? new Validation() : more;
        if (patchOperations != null) {
            int i = 0;
            for (PatchOperation o : patchOperations) {
                i++;
                String op = o.opAsString();
                if (op != null && !KNOWN.contains(op)) v.enumValue(op, inputName + ".patchOperations." + i + ".member.op", OPS);
                ops.add(new Op(op, o.path(), o.value(), o.from()));
            }
        }
        v.throwIfAny();
        for (Op op : ops) {
            if (op.path() == null) throw ApiGatewayErrors.badRequest("Invalid patch path null");
        }
        return ops;
    }

    static String unescape(String s) {
        return s.replace("~1", "/").replace("~0", "~");
    }

    /** Typed value for a scalar member from the patch's string value ("true" → true, "12" → 12 where numeric). */
    static Object scalar(String value, Object current) {
        if (value == null) return null;
        if (current instanceof Boolean) return Boolean.parseBoolean(value);
        if (current instanceof Integer || current instanceof Long) {
            try {
                return Long.parseLong(value);
            } catch (NumberFormatException e) {
                return value;
            }
        }
        return value;
    }
}
