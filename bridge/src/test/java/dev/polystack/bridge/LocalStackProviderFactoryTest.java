package dev.polystack.bridge;

import dev.polystack.api.Config;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Which services kind {@code localstack} offers, and when it is installed (no Python runs here). */
class LocalStackProviderFactoryTest {

    @Test
    void offersStepFunctionsAndCloudFormationByDefaultAndWhatIsOverriddenToLocalStack() {
        Config config = new Config(Map.of("PROVIDER_OVERRIDE_EKS", "localstack",
                "PROVIDER_OVERRIDE_SQS", "moto", "PROVIDER_OVERRIDE_RESOURCE_GROUPS", "LocalStack"));
        assertEquals(Set.of("stepfunctions", "cloudformation", "eks", "resource-groups"), LocalStackProviderFactory.chosen(config));
        assertEquals(Set.of("stepfunctions", "cloudformation"), LocalStackProviderFactory.chosen(new Config(Map.of())));
    }

    @Test
    void aServiceNamedInServicesWarmsUpWithoutEagerLoadingAndEagerLoadingOnlyStartsOverriddenServices() {
        PythonSettings listed = PythonSettings.from(new Config(Map.of("SERVICES", "sqs, StepFunctions")));
        assertTrue(listed.startsEagerly("stepfunctions", "localstack"));
        assertFalse(listed.startsEagerly("cloudformation", "localstack"));

        PythonSettings eager = PythonSettings.from(new Config(Map.of("EAGER_SERVICE_LOADING", "1",
                "PROVIDER_OVERRIDE_STEPFUNCTIONS", "localstack")));
        assertTrue(eager.startsEagerly("stepfunctions", "localstack"));
        assertFalse(eager.startsEagerly("stepfunctions", "moto"));
        assertFalse(eager.startsEagerly("ses", "moto"), "moto's 160 fallback services are never all imported");
        assertFalse(PythonSettings.from(new Config(Map.of("PROVIDER_OVERRIDE_STEPFUNCTIONS", "localstack")))
                .startsEagerly("stepfunctions", "localstack"));
    }

    @Test
    void installedMeansLocalStacksRegistryInVendorLocalStack(@TempDir Path home) throws Exception {
        PythonSettings settings = settings(home);
        assertFalse(settings.localstackInstalled());
        PythonRuntime runtime = new PythonRuntime(settings);
        assertNotNull(runtime.localstackProblem());
        assertTrue(runtime.localstackProblem().contains("./polystack vendor localstack"));

        Path registry = home.resolve("vendor/localstack/localstack/services/providers.py");
        Files.createDirectories(registry.getParent());
        Files.writeString(registry, "");
        assertTrue(settings.localstackInstalled());
        assertNull(runtime.localstackProblem());
        // LocalStack and its dependencies go on Python's path after the adapters, before moto's site-packages.
        assertEquals(home.resolve("vendor/localstack"), runtime.pythonPath().get(1));
    }

    private static PythonSettings settings(Path home) {
        return new PythonSettings(home, home.resolve("no-moto").toString(), List.of(), Map.of(),
                home.resolve("cache"), 1, 10, false, false, Set.of(), Set.of());
    }
}
