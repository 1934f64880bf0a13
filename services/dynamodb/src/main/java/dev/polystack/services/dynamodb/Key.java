package dev.polystack.services.dynamodb;

import java.util.Comparator;

/**
 * Where an item sits in a sorted table or index: partition key, sort key (null without one), and for index
 * entries the table key that tells apart items with equal index keys. {@code bound} -1/+1 makes a search
 * sentinel that sorts before/after every entry sharing its partition (range null) or its sort key.
 */
record Key(AttrValue hash, AttrValue range, Key tableKey, int bound) {

    static Key of(AttrValue hash, AttrValue range) {
        return new Key(hash, range, null, 0);
    }

    static final Comparator<Key> ORDER = Key::compare;

    private static int compare(Key a, Key b) {
        int c = compareValues(a.hash, b.hash);
        if (c != 0) return c;
        if (a.range == null || b.range == null) {
            if (a.range == null && b.range == null) {
                if (a.bound != b.bound) return Integer.compare(a.bound, b.bound);
                return compareTableKeys(a.tableKey, b.tableKey);
            }
            if (a.range == null) return a.bound != 0 ? a.bound : -1;
            return b.bound != 0 ? -b.bound : 1;
        }
        c = compareValues(a.range, b.range);
        if (c != 0) return c;
        if (a.bound != 0 || b.bound != 0) return Integer.compare(a.bound, b.bound);
        return compareTableKeys(a.tableKey, b.tableKey);
    }

    private static int compareTableKeys(Key a, Key b) {
        if (a == null || b == null) return a == b ? 0 : (a == null ? -1 : 1);
        return compare(a, b);
    }

    private static int compareValues(AttrValue a, AttrValue b) {
        int c = a.type().compareTo(b.type());
        return c != 0 ? c : Items.compare(a, b);
    }
}
