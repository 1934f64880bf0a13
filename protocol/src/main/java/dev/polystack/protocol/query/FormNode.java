package dev.polystack.protocol.query;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The keys of a query form as a tree: {@code Attribute.1.Name=x} becomes root → Attribute → 1 → Name = x.
 * Parsing walks this tree along the operation's input shape, so each key is split once.
 */
final class FormNode {
    String value;
    private HashMap<String, FormNode> kids;

    static FormNode of(Map<String, List<String>> form, String... skip) {
        FormNode root = new FormNode();
        outer:
        for (Map.Entry<String, List<String>> e : form.entrySet()) {
            String key = e.getKey();
            for (String s : skip) if (s.equals(key)) continue outer;
            List<String> values = e.getValue();
            root.put(key, values.isEmpty() ? "" : values.get(0));
        }
        return root;
    }

    private void put(String key, String v) {
        FormNode n = this;
        int start = 0;
        int dot;
        while ((dot = key.indexOf('.', start)) >= 0) {
            n = n.child(key.substring(start, dot));
            start = dot + 1;
        }
        n = n.child(key.substring(start));
        n.value = v;
    }

    private FormNode child(String name) {
        if (kids == null) kids = new HashMap<>(8);
        FormNode c = kids.get(name);
        if (c == null) {
            c = new FormNode();
            kids.put(name, c);
        }
        return c;
    }

    FormNode get(String name) {
        return kids == null ? null : kids.get(name);
    }

    boolean hasKids() {
        return kids != null && !kids.isEmpty();
    }

    /** Children named by positive integers ({@code 1}, {@code 2}, ...), in numeric order. */
    List<FormNode> indexed() {
        if (kids == null) return List.of();
        int max = 0;
        for (String k : kids.keySet()) {
            int i = index(k);
            if (i > max) max = i;
        }
        if (max == 0) return List.of();
        List<FormNode> out = new ArrayList<>(Math.min(max, kids.size()));
        if (max <= kids.size() * 4) {
            for (int i = 1; i <= max; i++) {
                FormNode n = kids.get(Integer.toString(i));
                if (n != null) out.add(n);
            }
        } else {
            List<Map.Entry<String, FormNode>> entries = new ArrayList<>(kids.entrySet());
            entries.removeIf(e -> index(e.getKey()) <= 0);
            entries.sort((a, b) -> Integer.compare(index(a.getKey()), index(b.getKey())));
            for (Map.Entry<String, FormNode> e : entries) out.add(e.getValue());
        }
        return out;
    }

    private static int index(String s) {
        int n = s.length();
        if (n == 0 || n > 9) return -1;
        int v = 0;
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') return -1;
            v = v * 10 + (c - '0');
        }
        return v;
    }
}
