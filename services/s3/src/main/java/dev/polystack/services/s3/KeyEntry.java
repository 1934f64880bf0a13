package dev.polystack.services.s3;

import java.util.ArrayList;
import java.util.List;

/**
 * All versions of one key, newest first. Immutable: every change makes a new entry that replaces the
 * old one atomically in the bucket's sorted key map.
 */
public record KeyEntry(List<ObjectVersion> versions) {

    public KeyEntry {
        versions = List.copyOf(versions);
    }

    public ObjectVersion latest() {
        return versions.get(0);
    }

    public ObjectVersion version(String versionId) {
        for (ObjectVersion v : versions) if (v.versionId.equals(versionId)) return v;
        return null;
    }

    /**
     * Adds {@code v} as the newest version. With versioning enabled all versions are kept; otherwise
     * (never enabled, or suspended) the version with id "null" is replaced. Replaced versions go into
     * {@code removed} so their blobs can be freed.
     */
    public KeyEntry with(ObjectVersion v, List<ObjectVersion> removed) {
        List<ObjectVersion> next = new ArrayList<>(versions.size() + 1);
        next.add(v);
        for (ObjectVersion old : versions) {
            if (old.versionId.equals(v.versionId)) removed.add(old);
            else next.add(old);
        }
        return new KeyEntry(next);
    }

    /** Without the given version; null when nothing remains. */
    public KeyEntry without(String versionId, List<ObjectVersion> removed) {
        List<ObjectVersion> next = new ArrayList<>(versions.size());
        for (ObjectVersion old : versions) {
            if (old.versionId.equals(versionId)) removed.add(old);
            else next.add(old);
        }
        return next.isEmpty() ? null : new KeyEntry(next);
    }
}
