package dev.polystack.services.ssm;

import dev.polystack.api.AccountRegionStore;
import dev.polystack.api.RequestContext;
import dev.polystack.services.ssm.api.Command;
import dev.polystack.services.ssm.api.CommandInvocation;
import dev.polystack.services.ssm.api.CommandPlugin;
import dev.polystack.services.ssm.api.GetCommandInvocationResult;
import dev.polystack.services.ssm.api.InvalidCommandIdException;
import dev.polystack.services.ssm.api.InvocationDoesNotExistException;
import dev.polystack.services.ssm.api.SendCommandRequest;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Run Command as LocalStack (through moto) answers it: there are no managed instances to run on, so every command is
 * recorded and reported as finished successfully on each instance it named, with empty output, through
 * SendCommand, ListCommands, ListCommandInvocations and GetCommandInvocation.
 */
final class RunCommands {
    static final String PLUGIN = "aws:runShellScript";

    /** One command sent (persisted as is). */
    public static final class SentCommand {
        public String commandId;
        public String documentName;
        public String documentVersion;
        public String comment;
        public Map<String, List<String>> parameters = new LinkedHashMap<>();
        public List<String> instanceIds = new ArrayList<>();
        public long requested;
        public int timeoutSeconds;
        public String maxConcurrency;
        public String maxErrors;
        public String serviceRole;
        public String outputS3Region;
        public String outputS3BucketName;
        public String outputS3KeyPrefix;
    }

    record Snapshot(Map<String, Map<String, Map<String, SentCommand>>> commands) {
    }

    private final AccountRegionStore<Map<String, SentCommand>> stores = new AccountRegionStore<>((a, r) -> new ConcurrentHashMap<>());

    synchronized Command send(RequestContext ctx, SendCommandRequest in) {
        SentCommand c = new SentCommand();
        c.commandId = UUID.randomUUID().toString();
        c.documentName = in.documentName();
        c.documentVersion = in.documentVersion() == null ? "$DEFAULT" : in.documentVersion();
        c.comment = in.comment() == null ? "" : in.comment();
        if (in.parameters() != null) c.parameters.putAll(in.parameters());
        c.instanceIds.addAll(SsmProvider.orEmpty(in.instanceIds()));
        c.requested = System.currentTimeMillis();
        c.timeoutSeconds = in.timeoutSeconds() == null ? 3600 : in.timeoutSeconds();
        c.maxConcurrency = in.maxConcurrency() == null ? "50" : in.maxConcurrency();
        c.maxErrors = in.maxErrors() == null ? "0" : in.maxErrors();
        c.serviceRole = in.serviceRoleArn() == null ? "" : in.serviceRoleArn();
        c.outputS3Region = in.outputS3Region() == null ? ctx.region() : in.outputS3Region();
        c.outputS3BucketName = in.outputS3BucketName() == null ? "" : in.outputS3BucketName();
        c.outputS3KeyPrefix = in.outputS3KeyPrefix() == null ? "" : in.outputS3KeyPrefix();
        stores.get(ctx).put(c.commandId, c);
        return command(c, in);
    }

    synchronized List<Command> list(RequestContext ctx, String commandId, String instanceId) {
        List<Command> out = new ArrayList<>();
        if (commandId != null) {
            out.add(command(existing(ctx, commandId), null));
            return out;
        }
        for (SentCommand c : stores.get(ctx).values()) {
            if (instanceId == null || c.instanceIds.contains(instanceId)) out.add(command(c, null));
        }
        return out;
    }

    synchronized List<CommandInvocation> invocations(RequestContext ctx, String commandId, String instanceId, boolean details) {
        List<SentCommand> commands = commandId != null ? List.of(existing(ctx, commandId)) : new ArrayList<>(stores.get(ctx).values());
        List<CommandInvocation> out = new ArrayList<>();
        for (SentCommand c : commands) {
            for (String instance : c.instanceIds) {
                if (instanceId != null && !instanceId.equals(instance)) continue;
                Instant at = Instant.ofEpochMilli(c.requested);
                List<CommandPlugin> plugins = details ? List.of(CommandPlugin.builder().name(PLUGIN).status("Success").statusDetails("Success")
                        .responseCode(0).responseStartDateTime(at).responseFinishDateTime(at).output("")
                        .standardOutputUrl("").standardErrorUrl("").outputS3Region(c.outputS3Region)
                        .outputS3BucketName(c.outputS3BucketName).outputS3KeyPrefix(c.outputS3KeyPrefix).build()) : List.of();
                out.add(CommandInvocation.builder().commandId(c.commandId).instanceId(instance).instanceName("").comment(c.comment)
                        .documentName(c.documentName).documentVersion(c.documentVersion).requestedDateTime(at).status("Success")
                        .statusDetails("Success").standardOutputUrl("").standardErrorUrl("").commandPlugins(plugins)
                        .serviceRole(c.serviceRole).build());
            }
        }
        return out;
    }

    synchronized GetCommandInvocationResult invocation(RequestContext ctx, String commandId, String instanceId, String pluginName) {
        SentCommand c = existing(ctx, commandId);
        if (!c.instanceIds.contains(instanceId) || (pluginName != null && !pluginName.equals(PLUGIN))) {
            throw new InvocationDoesNotExistException(null);
        }
        String at = Instant.ofEpochMilli(c.requested).toString();
        return GetCommandInvocationResult.builder().commandId(c.commandId).instanceId(instanceId).comment(c.comment)
                .documentName(c.documentName).documentVersion(c.documentVersion).pluginName(PLUGIN).responseCode(0)
                .executionStartDateTime(at).executionElapsedTime("PT0S").executionEndDateTime(at).status("Success")
                .statusDetails("Success").standardOutputContent("").standardOutputUrl("").standardErrorContent("")
                .standardErrorUrl("").build();
    }

    private SentCommand existing(RequestContext ctx, String commandId) {
        SentCommand c = commandId == null ? null : stores.get(ctx).get(commandId);
        if (c == null) throw new InvalidCommandIdException(null);
        return c;
    }

    private static Command command(SentCommand c, SendCommandRequest in) {
        Instant at = Instant.ofEpochMilli(c.requested);
        int count = c.instanceIds.size();
        Command.Builder b = Command.builder().commandId(c.commandId).documentName(c.documentName).documentVersion(c.documentVersion)
                .comment(c.comment).expiresAfter(at.plusSeconds(c.timeoutSeconds)).parameters(c.parameters).instanceIds(c.instanceIds)
                .requestedDateTime(at).status("Success").statusDetails("Success").outputS3Region(c.outputS3Region)
                .outputS3BucketName(c.outputS3BucketName).outputS3KeyPrefix(c.outputS3KeyPrefix).maxConcurrency(c.maxConcurrency)
                .maxErrors(c.maxErrors).targetCount(count).completedCount(count).errorCount(0).deliveryTimedOutCount(0)
                .serviceRole(c.serviceRole).timeoutSeconds(c.timeoutSeconds).targets(List.of());
        if (in != null) b.targets(SsmProvider.orEmpty(in.targets())).notificationConfig(in.notificationConfig())
                .cloudWatchOutputConfig(in.cloudWatchOutputConfig());
        return b.build();
    }

    // ---------------------------------------------------------------- persistence

    synchronized Snapshot snapshot() {
        Map<String, Map<String, Map<String, SentCommand>>> out = new LinkedHashMap<>();
        stores.all().forEach((account, regions) -> regions.forEach((region, commands) ->
                out.computeIfAbsent(account, a -> new LinkedHashMap<>()).put(region, new LinkedHashMap<>(commands))));
        return new Snapshot(out);
    }

    synchronized void restore(Snapshot s) {
        stores.clear();
        if (s == null || s.commands() == null) return;
        s.commands().forEach((account, regions) -> regions.forEach((region, commands) ->
                stores.put(account, region, new ConcurrentHashMap<>(commands))));
    }

    synchronized void reset() {
        stores.clear();
    }
}
