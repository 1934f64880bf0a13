package dev.polystack.api.model;

import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * One member of a typed shape: its name in the parameter tree (botocore's member name), its type, and how to read it
 * from the typed object and set it on the shape's builder. Generated code creates these once per shape.
 */
public final class Member {
    private final String name;
    private final Type type;
    private final Function<Object, Object> getter;
    private final BiConsumer<Object, Object> setter;

    private Member(String name, Type type, Function<Object, Object> getter, BiConsumer<Object, Object> setter) {
        this.name = name;
        this.type = type;
        this.getter = getter;
        this.setter = setter;
    }

    /**
     * @param getter reads the member's stored value (enum members: their string values)
     * @param setter sets it on the builder
     */
    @SuppressWarnings("unchecked")
    public static <T, B> Member of(String name, Type type, Function<T, ?> getter, BiConsumer<B, Object> setter) {
        return new Member(name, type, (Function<Object, Object>) getter, (BiConsumer<Object, Object>) setter);
    }

    public String name() {
        return name;
    }

    public Type type() {
        return type;
    }

    Object get(Object typed) {
        return getter.apply(typed);
    }

    void set(Object builder, Object value) {
        setter.accept(builder, value);
    }
}
