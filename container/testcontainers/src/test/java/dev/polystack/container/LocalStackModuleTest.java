package dev.polystack.container;

import org.junit.jupiter.api.Test;
import org.testcontainers.containers.localstack.LocalStackContainer;
import org.testcontainers.utility.DockerImageName;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.SqsClient;

import java.net.URI;
import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * What a user's test suite does with Testcontainers' LocalStack module, with Polystack's image declared a
 * compatible substitute for localstack/localstack: the module waits for the "Ready." line, maps port 4566 and
 * hands the endpoint to the AWS SDK for Java v2.
 */
class LocalStackModuleTest {
    private static final DockerImageName IMAGE = DockerImageName
            .parse(System.getenv().getOrDefault("POLYSTACK_IMAGE", "localhost/polystack:latest"))
            .asCompatibleSubstituteFor("localstack/localstack");

    @Test
    void sqsS3AndDynamoDbThroughTheModule() {
        try (LocalStackContainer localstack = new LocalStackContainer(IMAGE)
                // The server's own output in the test report; a busy CI machine may need more than the default minute.
                .withLogConsumer(frame -> System.out.print("container: " + frame.getUtf8String()))
                .withStartupTimeout(Duration.ofMinutes(3))) {
            localstack.start();
            URI endpoint = localstack.getEndpoint();
            StaticCredentialsProvider credentials = StaticCredentialsProvider.create(
                    AwsBasicCredentials.create(localstack.getAccessKey(), localstack.getSecretKey()));
            Region region = Region.of(localstack.getRegion());

            try (SqsClient sqs = SqsClient.builder().endpointOverride(endpoint).credentialsProvider(credentials).region(region).build()) {
                String queue = sqs.createQueue(b -> b.queueName("tc-queue")).queueUrl();
                sqs.sendMessage(b -> b.queueUrl(queue).messageBody("from testcontainers"));
                assertEquals("from testcontainers", sqs.receiveMessage(b -> b.queueUrl(queue).waitTimeSeconds(1))
                        .messages().get(0).body());
            }

            try (S3Client s3 = S3Client.builder().endpointOverride(endpoint).credentialsProvider(credentials).region(region)
                    .forcePathStyle(true).build()) {
                s3.createBucket(b -> b.bucket("tc-bucket"));
                s3.putObject(b -> b.bucket("tc-bucket").key("k"), RequestBody.fromString("value"));
                assertEquals("value", s3.getObjectAsBytes(b -> b.bucket("tc-bucket").key("k")).asUtf8String());
            }

            try (DynamoDbClient dynamodb = DynamoDbClient.builder().endpointOverride(endpoint).credentialsProvider(credentials)
                    .region(region).build()) {
                dynamodb.createTable(b -> b.tableName("tc-table").billingMode(BillingMode.PAY_PER_REQUEST)
                        .keySchema(KeySchemaElement.builder().attributeName("id").keyType(KeyType.HASH).build())
                        .attributeDefinitions(AttributeDefinition.builder().attributeName("id")
                                .attributeType(ScalarAttributeType.S).build()));
                dynamodb.putItem(b -> b.tableName("tc-table").item(Map.of("id", AttributeValue.fromS("1"),
                        "name", AttributeValue.fromS("Ada"))));
                assertEquals("Ada", dynamodb.getItem(b -> b.tableName("tc-table")
                        .key(Map.of("id", AttributeValue.fromS("1")))).item().get("name").s());
            }
        }
    }
}
