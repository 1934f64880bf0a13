package dev.polystack.api.model;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The metadata of one generated structure type: its members and how to build it. Each generated class holds one in
 * its {@code SHAPE} constant, made once when the class loads; {@link TreeConverter} reads nothing else, so a
 * conversion does no reflection.
 */
public final class Shape<T> {
    private final String name;
    private final Member[] members;
    private final Map<String, Member> byName;
    private final Supplier<Object> newBuilder;
    private final Function<Object, T> build;

    private Shape(String name, Supplier<Object> newBuilder, Function<Object, T> build, Member[] members) {
        this.name = name;
        this.members = members;
        this.newBuilder = newBuilder;
        this.build = build;
        Map<String, Member> index = new HashMap<>(members.length * 2);
        for (Member m : members) index.put(m.name(), m);
        this.byName = index;
    }

    @SuppressWarnings("unchecked")
    public static <T, B> Shape<T> of(String name, Supplier<B> newBuilder, Function<B, T> build, Member... members) {
        return new Shape<>(name, (Supplier<Object>) newBuilder, (Function<Object, T>) build, members);
    }

    /** The shape's name in the service specification. */
    public String name() {
        return name;
    }

    public Member[] members() {
        return members.clone();
    }

    Member[] memberArray() {
        return members;
    }

    Member member(String name) {
        return byName.get(name);
    }

    Object newBuilder() {
        return newBuilder.get();
    }

    T build(Object builder) {
        return build.apply(builder);
    }
}
