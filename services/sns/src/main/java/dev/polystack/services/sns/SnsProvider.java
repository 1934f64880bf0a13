package dev.polystack.services.sns;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.polystack.api.InternalRoute;
import dev.polystack.api.Persistable;
import dev.polystack.api.ProviderEnvironment;
import dev.polystack.api.RequestContext;
import dev.polystack.api.ServiceProvider;
import dev.polystack.services.sns.api.*;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Native SNS, as the generated {@link SnsApi}: this class only hands each operation to the class of its concern,
 * and owns persistence and the life cycle. {@link SnsTopics} (topics, tags, permissions), {@link SnsSubscriptions},
 * {@link SnsPublisher} (Publish, PublishBatch) with {@link SnsDelivery} (SQS, HTTP(S), Lambda, Firehose, email),
 * {@link SnsPlatform} (mobile push), {@link SnsSms}, {@link SnsDeveloperEndpoints} (LocalStack's /_aws/sns/...).
 * Errors follow what AWS answers ({@link SnsErrors}; messages as recorded).
 */
public final class SnsProvider implements SnsApi, ServiceProvider, Persistable {
    private static final ObjectMapper JSON = new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private final SnsResources resources = new SnsResources();
    private final SnsSigner signer = SnsSigner.SHARED;
    private final SnsDelivery delivery;
    private final SnsTopics topics;
    private final SnsSubscriptions subscriptions;
    private final SnsPlatform platform;
    private final SnsPublisher publisher;
    private final SnsSms sms;
    private final SnsDeveloperEndpoints developerEndpoints;

    public SnsProvider(ProviderEnvironment env) {
        delivery = new SnsDelivery(env, signer);
        topics = new SnsTopics(resources, delivery, signer);
        subscriptions = new SnsSubscriptions(resources, delivery);
        platform = new SnsPlatform(resources);
        publisher = new SnsPublisher(resources, delivery, platform);
        sms = new SnsSms(resources);
        developerEndpoints = new SnsDeveloperEndpoints(resources, delivery, signer);
    }

    @Override
    public String service() {
        return "sns";
    }

    @Override
    public Map<String, Object> invoke(RequestContext ctx, String operation, Map<String, Object> in) {
        return OPERATIONS.invoke(this, ctx, operation, in);
    }

    @Override
    public List<InternalRoute> internalRoutes() {
        return developerEndpoints.routes();
    }

    // ---------------------------------------------------------------- topics

    @Override
    public CreateTopicResponse createTopic(RequestContext ctx, CreateTopicInput in) {
        return topics.createTopic(ctx, in);
    }

    @Override
    public void deleteTopic(RequestContext ctx, DeleteTopicInput in) {
        topics.deleteTopic(ctx, in.topicArn());
    }

    @Override
    public GetTopicAttributesResponse getTopicAttributes(RequestContext ctx, GetTopicAttributesInput in) {
        return topics.getTopicAttributes(ctx, in);
    }

    @Override
    public void setTopicAttributes(RequestContext ctx, SetTopicAttributesInput in) {
        topics.setTopicAttributes(ctx, in);
    }

    @Override
    public ListTopicsResponse listTopics(RequestContext ctx, ListTopicsInput in) {
        return topics.listTopics(ctx, in);
    }

    @Override
    public TagResourceResponse tagResource(RequestContext ctx, TagResourceRequest in) {
        topics.tagResource(ctx, in);
        return TagResourceResponse.builder().build();
    }

    @Override
    public UntagResourceResponse untagResource(RequestContext ctx, UntagResourceRequest in) {
        topics.untagResource(ctx, in);
        return UntagResourceResponse.builder().build();
    }

    @Override
    public ListTagsForResourceResponse listTagsForResource(RequestContext ctx, ListTagsForResourceRequest in) {
        return topics.listTagsForResource(ctx, in);
    }

    @Override
    public void addPermission(RequestContext ctx, AddPermissionInput in) {
        topics.addPermission(ctx, in);
    }

    @Override
    public void removePermission(RequestContext ctx, RemovePermissionInput in) {
        topics.removePermission(ctx, in);
    }

    @Override
    public GetDataProtectionPolicyResponse getDataProtectionPolicy(RequestContext ctx, GetDataProtectionPolicyInput in) {
        return topics.getDataProtectionPolicy(ctx, in);
    }

    @Override
    public void putDataProtectionPolicy(RequestContext ctx, PutDataProtectionPolicyInput in) {
        topics.putDataProtectionPolicy(ctx, in);
    }

    // ---------------------------------------------------------------- subscriptions

    @Override
    public SubscribeResponse subscribe(RequestContext ctx, SubscribeInput in) {
        return subscriptions.subscribe(ctx, in);
    }

    @Override
    public void unsubscribe(RequestContext ctx, UnsubscribeInput in) {
        subscriptions.unsubscribe(in.subscriptionArn());
    }

    @Override
    public ConfirmSubscriptionResponse confirmSubscription(RequestContext ctx, ConfirmSubscriptionInput in) {
        return subscriptions.confirmSubscription(ctx, in);
    }

    @Override
    public GetSubscriptionAttributesResponse getSubscriptionAttributes(RequestContext ctx, GetSubscriptionAttributesInput in) {
        return subscriptions.getSubscriptionAttributes(ctx, in.subscriptionArn());
    }

    @Override
    public void setSubscriptionAttributes(RequestContext ctx, SetSubscriptionAttributesInput in) {
        subscriptions.setSubscriptionAttributes(in);
    }

    @Override
    public ListSubscriptionsResponse listSubscriptions(RequestContext ctx, ListSubscriptionsInput in) {
        return subscriptions.listSubscriptions(ctx, in);
    }

    @Override
    public ListSubscriptionsByTopicResponse listSubscriptionsByTopic(RequestContext ctx, ListSubscriptionsByTopicInput in) {
        return subscriptions.listSubscriptionsByTopic(ctx, in);
    }

    // ---------------------------------------------------------------- publishing

    @Override
    public PublishResponse publish(RequestContext ctx, PublishInput in) {
        return publisher.publish(ctx, in);
    }

    @Override
    public PublishBatchResponse publishBatch(RequestContext ctx, PublishBatchInput in) {
        return publisher.publishBatch(ctx, in);
    }

    // ---------------------------------------------------------------- SMS

    @Override
    public SetSMSAttributesResponse setSMSAttributes(RequestContext ctx, SetSMSAttributesInput in) {
        sms.setSmsAttributes(ctx, in);
        return SetSMSAttributesResponse.builder().build();
    }

    @Override
    public GetSMSAttributesResponse getSMSAttributes(RequestContext ctx, GetSMSAttributesInput in) {
        return sms.getSmsAttributes(ctx, in);
    }

    @Override
    public CheckIfPhoneNumberIsOptedOutResponse checkIfPhoneNumberIsOptedOut(RequestContext ctx, CheckIfPhoneNumberIsOptedOutInput in) {
        return sms.checkIfPhoneNumberIsOptedOut(ctx, in);
    }

    @Override
    public ListPhoneNumbersOptedOutResponse listPhoneNumbersOptedOut(RequestContext ctx, ListPhoneNumbersOptedOutInput in) {
        return sms.listPhoneNumbersOptedOut(ctx);
    }

    @Override
    public OptInPhoneNumberResponse optInPhoneNumber(RequestContext ctx, OptInPhoneNumberInput in) {
        sms.optInPhoneNumber(ctx, in);
        return OptInPhoneNumberResponse.builder().build();
    }

    // ---------------------------------------------------------------- mobile push

    @Override
    public CreatePlatformApplicationResponse createPlatformApplication(RequestContext ctx, CreatePlatformApplicationInput in) {
        return platform.createApplication(ctx, in);
    }

    @Override
    public GetPlatformApplicationAttributesResponse getPlatformApplicationAttributes(RequestContext ctx,
                                                                                     GetPlatformApplicationAttributesInput in) {
        return platform.getApplicationAttributes(in.platformApplicationArn());
    }

    @Override
    public void setPlatformApplicationAttributes(RequestContext ctx, SetPlatformApplicationAttributesInput in) {
        platform.setApplicationAttributes(in);
    }

    @Override
    public ListPlatformApplicationsResponse listPlatformApplications(RequestContext ctx, ListPlatformApplicationsInput in) {
        return platform.listApplications(ctx, in.nextToken());
    }

    @Override
    public void deletePlatformApplication(RequestContext ctx, DeletePlatformApplicationInput in) {
        platform.deleteApplication(in.platformApplicationArn());
    }

    @Override
    public CreateEndpointResponse createPlatformEndpoint(RequestContext ctx, CreatePlatformEndpointInput in) {
        return platform.createEndpoint(in);
    }

    @Override
    public GetEndpointAttributesResponse getEndpointAttributes(RequestContext ctx, GetEndpointAttributesInput in) {
        return platform.getEndpointAttributes(in.endpointArn());
    }

    @Override
    public void setEndpointAttributes(RequestContext ctx, SetEndpointAttributesInput in) {
        platform.setEndpointAttributes(in);
    }

    @Override
    public void deleteEndpoint(RequestContext ctx, DeleteEndpointInput in) {
        platform.deleteEndpoint(in.endpointArn());
    }

    @Override
    public ListEndpointsByPlatformApplicationResponse listEndpointsByPlatformApplication(RequestContext ctx,
                                                                                         ListEndpointsByPlatformApplicationInput in) {
        return platform.listEndpoints(in.platformApplicationArn(), in.nextToken());
    }

    // ---------------------------------------------------------------- persistence and life cycle

    /** Format version 1: {@code {"regions": {account: {region: SnsRegion}}}} (Jackson, public fields). */
    static final class Snapshot {
        public Map<String, Map<String, SnsRegion>> regions = new LinkedHashMap<>();
    }

    @Override
    public void saveState(OutputStream out) throws IOException {
        ObjectNode root = JSON.createObjectNode();
        ObjectNode regions = root.putObject("regions");
        resources.store.all().forEach((account, byRegion) -> byRegion.forEach((region, state) -> {
            synchronized (state) { // topics and their subscriptions as one consistent picture
                regions.withObjectProperty(account).set(region, JSON.valueToTree(state));
            }
        }));
        JSON.writeValue(out, root);
    }

    @Override
    public void loadState(InputStream in, int version) throws IOException {
        if (version != 1) throw new IOException("unsupported SNS state version " + version);
        Snapshot snapshot = JSON.readValue(in, Snapshot.class);
        resources.store.clear();
        snapshot.regions.forEach((account, regions) -> regions.forEach((region, state) -> {
            for (Subscription s : state.subscriptions.values()) {
                String policy = s.attributes.get("FilterPolicy");
                if (policy != null && !policy.isEmpty()) {
                    try {
                        s.filterPolicy = FilterPolicy.parse(policy);
                    } catch (FilterPolicy.InvalidPolicy e) {
                        s.filterPolicy = null;
                    }
                }
            }
            if (state.topics.values().stream().anyMatch(t -> !t.fifo)) signer.warmUp(); // signed envelopes ahead
            resources.store.put(account, region, state);
        }));
    }

    @Override
    public void resetState() {
        resources.store.clear();
    }

    /** Waits for queued deliveries (tests). */
    boolean awaitDeliveries(Duration timeout) throws InterruptedException {
        return delivery.awaitIdle(timeout);
    }

    @Override
    public void close() {
        try {
            delivery.awaitIdle(Duration.ofSeconds(5)); // let accepted messages reach their queues
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        delivery.close();
    }
}
