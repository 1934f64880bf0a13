package dev.polystack.services.apigateway;

import dev.polystack.services.apigateway.RestApi.FrozenResource;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class ResourceMatcherTest {
    private static FrozenResource r(String path) {
        return new FrozenResource(path, path, Map.of());
    }

    private static final List<FrozenResource> TREE = List.of(r("/"), r("/pets"), r("/pets/{id}"), r("/pets/mine"),
            r("/{proxy+}"), r("/files/{path+}"));

    @Test
    void literalBeatsVariableBeatsGreedy() {
        assertEquals("/pets/mine", ResourceMatcher.match(TREE, "/pets/mine").resource().path());
        ResourceMatcher.Match byId = ResourceMatcher.match(TREE, "/pets/42");
        assertEquals("/pets/{id}", byId.resource().path());
        assertEquals(Map.of("id", "42"), byId.pathParameters());
        assertEquals("/{proxy+}", ResourceMatcher.match(TREE, "/a/b/c").resource().path());
        assertEquals(Map.of("proxy", "a/b/c"), ResourceMatcher.match(TREE, "/a/b/c").pathParameters());
    }

    @Test
    void greedyUnderALiteralAndTheRoot() {
        ResourceMatcher.Match files = ResourceMatcher.match(TREE, "/files/x/y.txt");
        assertEquals("/files/{path+}", files.resource().path());
        assertEquals("x/y.txt", files.pathParameters().get("path"));
        assertEquals("/", ResourceMatcher.match(TREE, "/").resource().path());
        assertEquals("/pets", ResourceMatcher.match(TREE, "/pets/").resource().path());
        assertNull(ResourceMatcher.match(List.of(r("/pets")), "/dogs"));
    }

    @Test
    void percentEncodedPartsAreDecoded() {
        assertEquals("a b", ResourceMatcher.match(TREE, "/pets/a%20b").pathParameters().get("id"));
    }
}
