package dev.polystack.services.cloudwatch;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * One metric: namespace, name and its dimensions. Dimensions are kept sorted by name, so that the same set sent
 * in another order is the same metric (as on AWS).
 */
public record MetricKey(String namespace, String name, List<Dim> dimensions) {

    /** A dimension: a name/value pair. */
    public record Dim(String name, String value) {
    }

    public MetricKey {
        List<Dim> sorted = new ArrayList<>(dimensions == null ? List.of() : dimensions);
        sorted.sort(Comparator.comparing(Dim::name));
        dimensions = List.copyOf(sorted);
    }

    /** Whether every one of {@code wanted} is among this metric's dimensions (a value of null matches any value). */
    boolean hasDimensions(List<Dim> wanted) {
        for (Dim w : wanted) {
            boolean found = false;
            for (Dim d : dimensions) {
                if (d.name().equals(w.name()) && (w.value() == null || d.value().equals(w.value()))) {
                    found = true;
                    break;
                }
            }
            if (!found) return false;
        }
        return true;
    }
}
