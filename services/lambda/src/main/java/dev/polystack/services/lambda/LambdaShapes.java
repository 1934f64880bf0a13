package dev.polystack.services.lambda;

import dev.polystack.services.lambda.api.AliasConfiguration;
import dev.polystack.services.lambda.api.AliasRoutingConfiguration;
import dev.polystack.services.lambda.api.DeadLetterConfig;
import dev.polystack.services.lambda.api.DestinationConfig;
import dev.polystack.services.lambda.api.EnvironmentResponse;
import dev.polystack.services.lambda.api.EphemeralStorage;
import dev.polystack.services.lambda.api.FunctionConfiguration;
import dev.polystack.services.lambda.api.FunctionEventInvokeConfig;
import dev.polystack.services.lambda.api.ImageConfig;
import dev.polystack.services.lambda.api.ImageConfigResponse;
import dev.polystack.services.lambda.api.Layer;
import dev.polystack.services.lambda.api.LayerVersionContentOutput;
import dev.polystack.services.lambda.api.LayerVersionsListItem;
import dev.polystack.services.lambda.api.LoggingConfig;
import dev.polystack.services.lambda.api.OnFailure;
import dev.polystack.services.lambda.api.OnSuccess;
import dev.polystack.services.lambda.api.RuntimeVersionConfig;
import dev.polystack.services.lambda.api.SnapStartResponse;
import dev.polystack.services.lambda.api.TracingConfigResponse;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;

/** Lambda's resources as AWS reports them, in the generated types: functions, aliases, layers, invoke configs. */
final class LambdaShapes {
    static final DateTimeFormatter LAST_MODIFIED = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSZ").withZone(ZoneOffset.UTC);

    private LambdaShapes() {
    }

    static String timestamp(Instant t) {
        return LAST_MODIFIED.format(t);
    }

    /** FunctionConfiguration as AWS reports it; {@code withState} false for list entries (AWS leaves state out there). */
    static FunctionConfiguration configuration(FunctionVersion v, LambdaFunction fn, boolean withState) {
        FunctionConfig c = v.config();
        FunctionConfiguration.Builder b = FunctionConfiguration.builder()
                .functionName(fn.name)
                .functionArn(v.version().equals(FunctionVersion.LATEST) && withState ? fn.arn() : fn.arn() + ":" + v.version())
                .runtime(c.runtime())
                .role(c.role())
                .handler(c.handler())
                .codeSize(v.code().size())
                .description(c.description())
                .timeout(c.timeout())
                .memorySize(c.memorySize())
                .lastModified(timestamp(v.lastModified()))
                .codeSha256(v.code().sha256())
                .version(v.version())
                .tracingConfig(TracingConfigResponse.builder().mode(c.tracingMode()).build())
                .revisionId(v.revisionId())
                .packageType(c.packageType())
                .architectures(c.architectures())
                .ephemeralStorage(EphemeralStorage.builder().size(c.ephemeralStorage()).build())
                .snapStart(SnapStartResponse.builder().applyOn("None").optimizationStatus("Off").build())
                .loggingConfig(LoggingConfig.builder().logFormat(c.logFormat()).logGroup(c.logGroup()).build());
        if (c.image() != null) {
            b.imageConfigResponse(ImageConfigResponse.builder().imageConfig(ImageConfig.builder()
                    .entryPoint(c.image().entryPoint()).command(c.image().command())
                    .workingDirectory(c.image().workingDirectory()).build()).build());
        }
        if (c.environment() != null) b.environment(EnvironmentResponse.builder().variables(c.environment()).build());
        if (c.deadLetterTargetArn() != null) b.deadLetterConfig(DeadLetterConfig.builder().targetArn(c.deadLetterTargetArn()).build());
        b.kmsKeyArn(c.kmsKeyArn());
        if (!c.layers().isEmpty()) {
            List<Layer> layers = new ArrayList<>();
            for (String arn : c.layers()) layers.add(Layer.builder().arn(arn).codeSize(0L).build());
            b.layers(layers);
        }
        if (withState) {
            b.state(v.state());
            if (v.state().equals("Pending")) b.stateReason("The function is being created.").stateReasonCode("Creating");
            if (v.lastUpdateStatus() != null) {
                b.lastUpdateStatus(v.lastUpdateStatus());
                if (v.lastUpdateStatus().equals("InProgress")) {
                    b.lastUpdateStatusReason("The function is being created.").lastUpdateStatusReasonCode("Creating");
                }
            }
            if (c.runtime() != null) {
                b.runtimeVersionConfig(RuntimeVersionConfig.builder().runtimeVersionArn("arn:" + FunctionRef.partition(fn.region)
                        + ":lambda:" + fn.region + "::runtime:" + runtimeVersionId(c.runtime())).build());
            }
        }
        return b.build();
    }

    /**
     * A runtime version's id as AWS's runtime version ARNs end: 64 hex digits, here the SHA-256 of the runtime's
     * name (a base64 hash with its symbols removed was shorter than its cut for some names: a 500 on ruby3.3).
     */
    static String runtimeVersionId(String runtime) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                    .digest(runtime.getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static AliasConfiguration alias(Alias a, LambdaFunction fn) {
        AliasConfiguration.Builder b = AliasConfiguration.builder()
                .aliasArn(fn.arn() + ":" + a.name())
                .name(a.name())
                .functionVersion(a.functionVersion())
                .description(a.description())
                .revisionId(a.revisionId());
        if (!a.additionalWeights().isEmpty()) {
            b.routingConfig(AliasRoutingConfiguration.builder().additionalVersionWeights(a.additionalWeights()).build());
        }
        return b.build();
    }

    static FunctionEventInvokeConfig eventInvokeConfig(EventInvokeConfig c, LambdaFunction fn, String qualifier) {
        return FunctionEventInvokeConfig.builder()
                .lastModified(c.lastModified())
                .functionArn(fn.arn() + ":" + (qualifier == null ? FunctionVersion.LATEST : qualifier))
                .maximumRetryAttempts(c.maximumRetryAttempts())
                .maximumEventAgeInSeconds(c.maximumEventAgeInSeconds())
                .destinationConfig(DestinationConfig.builder()
                        .onSuccess(OnSuccess.builder().destination(c.onSuccess()).build())
                        .onFailure(OnFailure.builder().destination(c.onFailure()).build())
                        .build())
                .build();
    }

    static LayerVersionContentOutput layerContent(LayerVersion v, String codeUrlBase) {
        return LayerVersionContentOutput.builder().location(codeUrlBase + v.content().fileName())
                .codeSha256(v.content().sha256()).codeSize(v.content().size()).build();
    }

    static LayerVersionsListItem layerVersionItem(LayerVersion v) {
        return LayerVersionsListItem.builder()
                .layerVersionArn(v.arn())
                .version((long) v.version())
                .description(v.description())
                .createdDate(timestamp(v.created()))
                .compatibleRuntimes(v.compatibleRuntimes().isEmpty() ? null : v.compatibleRuntimes())
                .licenseInfo(v.licenseInfo())
                .compatibleArchitectures(v.compatibleArchitectures().isEmpty() ? null : v.compatibleArchitectures())
                .build();
    }

    /** One page of a list: the items from {@code Marker} (the index of the next item), at most {@code MaxItems}. */
    record Page<T>(List<T> items, String nextMarker) {
    }

    static <T> Page<T> page(List<T> all, String marker, Integer maxItems) {
        int start = 0;
        if (marker != null) {
            try {
                start = Math.max(0, Integer.parseInt(marker));
            } catch (NumberFormatException e) {
                throw LambdaErrors.invalidParameter("Invalid marker: " + marker);
            }
        }
        int max = maxItems == null ? 50 : maxItems;
        int end = Math.min(all.size(), start + max);
        return new Page<>(start >= all.size() ? List.of() : List.copyOf(all.subList(start, end)),
                end < all.size() ? Integer.toString(end) : null);
    }

    /** Maps a list through {@code f} with its function (a convenience for the list operations). */
    static <A, B> List<B> each(List<A> in, LambdaFunction fn, BiFunction<A, LambdaFunction, B> f) {
        List<B> out = new ArrayList<>();
        for (A a : in) out.add(f.apply(a, fn));
        return out;
    }
}
