package dev.polystack.services.ssm;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A parameter: its versions (oldest first, at most {@link ParameterStore#MAX_VERSIONS}) and tags. Guarded by itself. */
public final class StoredParameter {
    public List<ParameterVersion> versions = new ArrayList<>();
    public Map<String, String> tags = new LinkedHashMap<>();

    ParameterVersion latest() {
        return versions.get(versions.size() - 1);
    }

    ParameterVersion version(long number) {
        for (ParameterVersion v : versions) if (v.version == number) return v;
        return null;
    }

    ParameterVersion labelled(String label) {
        for (ParameterVersion v : versions) if (v.labels.contains(label)) return v;
        return null;
    }
}
