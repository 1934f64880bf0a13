package dev.polystack.bridge;

import org.graalvm.polyglot.Value;

/**
 * A service served by LocalStack's own Python provider ({@code PROVIDER_OVERRIDE_<SERVICE>=localstack}), found
 * through LocalStack's plugin registry and called through its dispatch table with a real LocalStack
 * {@code RequestContext} ({@code polystack_bridge/localstack_host.py}). The gateway parses and serializes as for a
 * native provider; the envelope handling (errors, unsupported operations, crashes) is {@link PythonOperationProvider}'s.
 */
final class LocalStackServiceProvider extends PythonOperationProvider {
    private final String providerName;
    private final String gatewayListen;

    /** @param providerName LocalStack's provider name for the service ({@code default}, {@code v2}, ...) */
    LocalStackServiceProvider(String service, PythonInterpreter interpreter, String providerName, String gatewayListen) {
        super(service, interpreter, "localstack");
        this.providerName = providerName;
        this.gatewayListen = gatewayListen;
    }

    @Override
    String kind() {
        return "localstack";
    }

    @Override
    protected Value load() {
        String problem = interpreter.runtime().localstackProblem();
        if (problem != null) throw new IllegalStateException(problem);
        return interpreter.importModule("polystack_bridge.localstack_host").invokeMember("load", service, providerName, gatewayListen);
    }
}
