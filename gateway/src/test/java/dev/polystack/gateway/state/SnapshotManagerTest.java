package dev.polystack.gateway.state;

import dev.polystack.api.Config;
import dev.polystack.api.HttpRequestData;
import dev.polystack.api.HttpResponseData;
import dev.polystack.api.Persistable;
import dev.polystack.api.RequestContext;
import dev.polystack.api.ServiceProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.*;

class SnapshotManagerTest {
    @TempDir
    Path dir;

    /** A provider whose whole state is a list of strings, saved one per line. */
    static final class ListProvider implements ServiceProvider, Persistable {
        final List<String> items = new CopyOnWriteArrayList<>();
        /** What each confirmed save held, in order (the manager calls stateSaved once the file is in place). */
        final List<String> confirmedSaves = new CopyOnWriteArrayList<>();
        private volatile String lastWritten;

        public String service() { return "fake"; }

        public Map<String, Object> invoke(RequestContext c, String op, Map<String, Object> in) { return Map.of(); }

        public void saveState(OutputStream out) throws IOException {
            lastWritten = String.join("\n", items);
            out.write(lastWritten.getBytes(StandardCharsets.UTF_8));
        }

        @Override
        public void stateSaved() { confirmedSaves.add(lastWritten); }

        public void loadState(InputStream in, int version) throws IOException {
            items.clear();
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            if (text.contains("\u0000")) throw new IOException("bad payload");
            if (!text.isEmpty()) items.addAll(List.of(text.split("\n")));
        }

        public void resetState() { items.clear(); }
    }

    /** Providers created on demand, reporting creation to the manager as the gateway does. */
    static final class Access implements ProviderAccess {
        final Map<String, ServiceProvider> created = new ConcurrentHashMap<>();
        final SnapshotManager manager;

        Access(SnapshotManager manager) { this.manager = manager; }

        public Collection<String> services() { return List.of("fake"); }

        public ServiceProvider existing(String s) { return created.get(s); }

        public ServiceProvider obtain(String s) {
            return created.computeIfAbsent(s, x -> {
                ListProvider p = new ListProvider();
                manager.afterCreate(x, p);
                return p;
            });
        }
    }

    private SnapshotManager manager(String... settings) {
        Map<String, String> env = new java.util.HashMap<>(Map.of("PERSISTENCE", "1", "DATA_DIR", dir.toString()));
        for (int i = 0; i < settings.length; i += 2) env.put(settings[i], settings[i + 1]);
        return new SnapshotManager(new Config(env));
    }

    @Test
    void stateSurvivesACleanRestart() {
        SnapshotManager first = manager();
        Access a = new Access(first);
        first.startup(a);
        ListProvider p = (ListProvider) a.obtain("fake");
        p.items.addAll(List.of("one", "two"));
        first.afterRequest("fake", "SendMessage", "POST");
        first.shutdown();

        SnapshotManager second = manager();
        Access b = new Access(second);
        second.startup(b);
        assertEquals(List.of("one", "two"), ((ListProvider) b.obtain("fake")).items);
    }

    @Test
    void onRequestSavesSoonAfterAChangeWithoutShutdown() throws Exception {
        SnapshotManager m = manager();
        Access a = new Access(m);
        m.startup(a);
        ((ListProvider) a.obtain("fake")).items.add("x");
        m.afterRequest("fake", "CreateQueue", "POST");
        Path file = m.snapshotFile("fake");
        for (int i = 0; i < 100 && !Files.exists(file); i++) Thread.sleep(20);
        assertEquals("x", new String(SnapshotFile.read(file).payload(), StandardCharsets.UTF_8));
    }

    @Test
    void readOnlyOperationsDoNotMarkChanges() {
        SnapshotManager m = manager("SNAPSHOT_SAVE_STRATEGY", "ON_SHUTDOWN");
        Access a = new Access(m);
        m.startup(a);
        ((ListProvider) a.obtain("fake")).items.add("x");
        m.afterRequest("fake", "ListQueues", "POST");
        m.afterRequest("fake", "GetObject", "POST");
        m.afterRequest("fake", null, "GET"); // answered over raw HTTP (no operation): the method tells
        m.afterRequest("fake", null, "OPTIONS");
        m.shutdown();
        assertFalse(Files.exists(m.snapshotFile("fake")));
    }

    @Test
    void aChangeAnsweredOverRawHttpIsSavedToo() throws Exception {
        SnapshotManager m = manager("SNAPSHOT_SAVE_STRATEGY", "ON_SHUTDOWN");
        Access a = new Access(m);
        m.startup(a);
        ((ListProvider) a.obtain("fake")).items.add("posted");
        m.afterRequest("fake", null, "POST"); // S3's browser POST upload has no botocore operation
        m.shutdown();
        assertEquals("posted", new String(SnapshotFile.read(m.snapshotFile("fake")).payload(), StandardCharsets.UTF_8));
    }

    @Test
    void manualStrategySavesOnlyWhenAsked() {
        SnapshotManager m = manager("SNAPSHOT_SAVE_STRATEGY", "MANUAL");
        Access a = new Access(m);
        m.startup(a);
        ((ListProvider) a.obtain("fake")).items.add("x");
        m.afterRequest("fake", "CreateQueue", "POST");
        m.shutdown();
        assertFalse(Files.exists(m.snapshotFile("fake")));
        assertEquals(List.of("fake"), m.save(null));
        assertTrue(Files.exists(m.snapshotFile("fake")));
    }

    @Test
    void aCorruptSnapshotIsMovedAsideAndTheServiceStartsEmpty() throws Exception {
        SnapshotManager first = manager();
        Access a = new Access(first);
        first.startup(a);
        ((ListProvider) a.obtain("fake")).items.add("kept");
        first.save(null);
        Path file = first.snapshotFile("fake");
        byte[] bytes = Files.readAllBytes(file);
        bytes[bytes.length - 1] ^= 0x55; // flip bits in the payload: checksum no longer matches
        Files.write(file, bytes);

        SnapshotManager second = manager();
        Access b = new Access(second);
        second.startup(b);
        assertTrue(((ListProvider) b.obtain("fake")).items.isEmpty());
        assertFalse(Files.exists(file));
        try (var files = Files.list(file.getParent())) {
            assertTrue(files.anyMatch(f -> f.getFileName().toString().startsWith("fake.snapshot.corrupt-")));
        }
        assertTrue(((Map<?, ?>) ((Map<?, ?>) second.status().get("services")).get("fake")).get("error").toString().contains("moved"));
    }

    @Test
    void aProviderThatFailsToLoadIsResetNotHalfLoaded() throws Exception {
        SnapshotFile.write(manager().snapshotFile("fake"), "fake", 1, "a\nb\u0000".getBytes(StandardCharsets.UTF_8));
        SnapshotManager m = manager();
        Access a = new Access(m);
        m.startup(a);
        assertTrue(((ListProvider) a.obtain("fake")).items.isEmpty());
    }

    @Test
    void truncatedAndForeignFilesAreRejected() throws Exception {
        Path f = dir.resolve("x.snapshot");
        SnapshotFile.write(f, "fake", 1, "hello world".getBytes(StandardCharsets.UTF_8));
        byte[] whole = Files.readAllBytes(f);
        Files.write(f, java.util.Arrays.copyOf(whole, whole.length - 3));
        assertThrows(IOException.class, () -> SnapshotFile.read(f));
        Files.writeString(f, "{\"not\":\"a snapshot\"}");
        assertThrows(IOException.class, () -> SnapshotFile.read(f));
    }

    @Test
    void loadOnStartupCreatesProvidersThatHaveSnapshots() {
        SnapshotManager first = manager();
        Access a = new Access(first);
        first.startup(a);
        ((ListProvider) a.obtain("fake")).items.add("eager");
        first.save(null);

        SnapshotManager second = manager("SNAPSHOT_LOAD_STRATEGY", "ON_STARTUP");
        Access b = new Access(second);
        second.startup(b);
        assertNotNull(b.existing("fake"));
        assertEquals(List.of("eager"), ((ListProvider) b.existing("fake")).items);
    }

    @Test
    void resetEndpointEmptiesTheServiceAndPersistsTheEmptiness() throws Exception {
        SnapshotManager m = manager("SNAPSHOT_SAVE_STRATEGY", "ON_SHUTDOWN");
        Access a = new Access(m);
        m.startup(a);
        ((ListProvider) a.obtain("fake")).items.add("gone");
        m.save(null);
        HttpResponseData r = m.routes().get(0).handler().apply(HttpRequestData.of("POST", "/_localstack/state/fake/reset", Map.of(), null));
        assertEquals(200, r.status());
        assertTrue(((ListProvider) a.existing("fake")).items.isEmpty());
        m.shutdown();
        assertEquals(0, SnapshotFile.read(m.snapshotFile("fake")).payload().length);
        HttpResponseData unknown = m.routes().get(0).handler().apply(HttpRequestData.of("POST", "/_localstack/state/nope/reset", Map.of(), null));
        assertEquals(404, unknown.status());
    }

    @Test
    void persistenceOffDoesNothing() {
        SnapshotManager m = new SnapshotManager(new Config(Map.of("DATA_DIR", dir.toString())));
        Access a = new Access(m);
        m.startup(a);
        ((ListProvider) a.obtain("fake")).items.add("x");
        m.afterRequest("fake", "CreateQueue", "POST");
        m.shutdown();
        assertFalse(Files.exists(m.snapshotFile("fake")));
        assertEquals(Map.of("enabled", false), m.status());
    }

    @Test
    void theProviderHearsOfASaveOnlyOnceItsFileIsInPlace() throws Exception {
        SnapshotManager m = manager("SNAPSHOT_SAVE_STRATEGY", "MANUAL");
        Access a = new Access(m);
        m.startup(a);
        ListProvider p = (ListProvider) a.obtain("fake");
        p.items.add("a");
        assertEquals(List.of("fake"), m.save(null));
        assertEquals(List.of("a"), p.confirmedSaves);
        assertEquals("a", new String(SnapshotFile.read(m.snapshotFile("fake")).payload(), StandardCharsets.UTF_8));

        Files.delete(m.snapshotFile("fake"));
        Files.createDirectory(m.snapshotFile("fake")); // the rename cannot replace a folder: the save fails
        p.items.add("b");
        assertEquals(List.of(), m.save(null));
        assertEquals(List.of("a"), p.confirmedSaves, "a failed save is not confirmed");
    }

    @Test
    void unfinishedSavesOfAKilledServerAreDeletedAtStart() throws Exception {
        Path state = dir.resolve("state");
        Files.createDirectories(state);
        SnapshotFile.write(state.resolve("fake.snapshot"), "fake", 1, "kept".getBytes(StandardCharsets.UTF_8));
        Path unfinished = Files.writeString(state.resolve("fake.snapshot123456789.tmp"), "polystack-snapshot 1\n{\"serv");
        Path foreign = Files.writeString(state.resolve("notes.txt"), "not ours");

        SnapshotManager m = manager();
        Access a = new Access(m);
        m.startup(a);
        assertFalse(Files.exists(unfinished));
        assertTrue(Files.exists(foreign));
        assertEquals(List.of("kept"), ((ListProvider) a.obtain("fake")).items);
        m.shutdown();
    }
}
