package dev.polystack.services.dynamodb;

import dev.polystack.api.ProviderEnvironment;
import dev.polystack.api.ProviderFactory;
import dev.polystack.api.ServiceProvider;

import java.util.Set;

/**
 * Registers the native DynamoDB and DynamoDB Streams providers ({@code PROVIDER_OVERRIDE_DYNAMODB=native}, the
 * default). Both serve one engine: streams read the records the tables' writes make.
 */
public final class DynamoProviderFactory implements ProviderFactory {
    private DynamoEngine engine;

    @Override
    public String kind() {
        return "native";
    }

    @Override
    public Set<String> services() {
        return Set.of("dynamodb", "dynamodbstreams");
    }

    @Override
    public synchronized ServiceProvider create(String service, ProviderEnvironment environment) {
        if (engine == null) engine = new DynamoEngine(System::currentTimeMillis);
        return service.equals("dynamodb") ? new DynamoProvider(engine, environment) : new StreamsProvider(engine, environment);
    }
}
