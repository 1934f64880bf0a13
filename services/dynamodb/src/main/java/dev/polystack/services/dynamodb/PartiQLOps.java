package dev.polystack.services.dynamodb;

import dev.polystack.api.ServiceException;
import dev.polystack.services.dynamodb.api.AttributeValue;
import dev.polystack.services.dynamodb.api.BatchExecuteStatementInput;
import dev.polystack.services.dynamodb.api.BatchExecuteStatementOutput;
import dev.polystack.services.dynamodb.api.BatchStatementError;
import dev.polystack.services.dynamodb.api.BatchStatementRequest;
import dev.polystack.services.dynamodb.api.BatchStatementResponse;
import dev.polystack.services.dynamodb.api.ExecuteStatementInput;
import dev.polystack.services.dynamodb.api.ExecuteStatementOutput;
import dev.polystack.services.dynamodb.api.ExecuteTransactionInput;
import dev.polystack.services.dynamodb.api.ExecuteTransactionOutput;
import dev.polystack.services.dynamodb.api.ItemResponse;
import dev.polystack.services.dynamodb.api.ParameterizedStatement;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** ExecuteStatement, BatchExecuteStatement and ExecuteTransaction: PartiQL statements run by the engine. */
final class PartiQLOps {
    private final DynamoEngine engine;

    PartiQLOps(DynamoEngine engine) {
        this.engine = engine;
    }

    private static List<AttrValue> parameters(List<AttributeValue> raw) {
        if (raw == null) return List.of();
        if (raw.isEmpty()) {
            throw Errors.validation("1 validation error detected: Value '[]' at 'parameters' failed to satisfy constraint: Member must have length greater than or equal to 1");
        }
        return Items.values(raw);
    }

    ExecuteStatementOutput execute(DynamoEngine.Region r, ExecuteStatementInput in) {
        PartiQL.Statement s = PartiQL.parse(in.statement(), parameters(in.parameters()));
        Table t = engine.table(r, s.table());
        ExecuteStatementOutput.Builder out = ExecuteStatementOutput.builder();
        if (s.kind().equals("SELECT")) {
            Map<String, AttrValue> start = null;
            String token = in.nextToken();
            if (token != null) {
                start = r.statementTokens.remove(token);
                if (start == null) throw Errors.validation("Invalid NextToken");
            }
            Table.Index idx = index(t, s.index());
            DynamoEngine.Read read = new DynamoEngine.Read(t, idx, s.where(), s.projection(), false, in.limit(),
                    start, true, 0, 1);
            // WHERE with an equality on the partition key reads that partition only (a Query), as DynamoDB does.
            AttrValue partition = partitionOf(s.where(), idx == null ? t.hash : idx.hash);
            DynamoEngine.Page page = partition != null ? engine.query(read, new DynamoEngine.KeyCondition(partition, null, null, null))
                    : engine.scan(read);
            out.items(Items.toApi(page.items()));
            if (page.lastKey() != null) {
                String next = UUID.randomUUID().toString();
                r.statementTokens.put(next, page.lastKey());
                out.nextToken(next);
            }
            return out.build();
        }
        DynamoEngine.Change c = run(write(t, s), s, "ALL_OLD".equals(in.returnValuesOnConditionCheckFailureAsString()));
        Map<String, AttrValue> returned = returned(s, c);
        return out.items(returned == null || returned.isEmpty() ? List.of() : List.of(Items.toApi(returned))).build();
    }

    /** What a RETURNING clause asks for. */
    private static Map<String, AttrValue> returned(PartiQL.Statement s, DynamoEngine.Change c) {
        if (s.returning() == null) return null;
        return switch (s.returning()) {
            case "ALL_OLD" -> c.before();
            case "ALL_NEW" -> c.after();
            case "UPDATED_OLD" -> c.before() == null ? null : Projection.apply(c.before(), s.update().targets());
            case "UPDATED_NEW" -> c.after() == null ? null : Projection.apply(c.after(), s.update().targets());
            default -> null;
        };
    }

    /** The index a SELECT names ({@code FROM "table"."index"}), or null for the table itself. */
    private static Table.Index index(Table t, String name) {
        if (name == null) return null;
        Table.Index idx = t.indexes.get(name);
        if (idx == null) throw Errors.validation("The table does not have the specified index: " + name);
        return idx;
    }

    /** The value the WHERE clause's top-level conjunction sets the partition key to, or null. */
    private static AttrValue partitionOf(Expr.Cond where, Table.KeyAttr hash) {
        List<Expr.Cond> parts = new ArrayList<>();
        flatten(where, parts);
        for (Expr.Cond c : parts) {
            if (c instanceof Expr.Compare cmp && cmp.op().equals("=") && cmp.left() instanceof Expr.PathOperand p
                    && p.path().isTopLevel() && p.path().head().equals(hash.name()) && cmp.right() instanceof Expr.ValueOperand v
                    && v.value().type().equals(hash.type())) {
                return v.value();
            }
        }
        return null;
    }

    /** Runs one write; an INSERT over an existing key is DuplicateItemException, as AWS answers. */
    private DynamoEngine.Change run(DynamoEngine.Action a, PartiQL.Statement s, boolean returnItemOnFailure) {
        if (a.change() == null) {
            // EXISTS(...) is a condition check: it only means something inside ExecuteTransaction.
            throw Errors.validation("Statement wasn't well formed, can't be processed: EXISTS is only supported in ExecuteTransaction");
        }
        try {
            return engine.write(a.table(), a.key(), a.condition(), returnItemOnFailure, a.change());
        } catch (ServiceException e) {
            if (s.kind().equals("INSERT") && e.code().equals("ConditionalCheckFailedException")) {
                throw new ServiceException("DuplicateItemException", "Duplicate primary key exists in table");
            }
            throw e;
        }
    }

    /** An INSERT, UPDATE or DELETE as a conditional single-item write (the engine's transaction action). */
    private static DynamoEngine.Action write(Table t, PartiQL.Statement s) {
        switch (s.kind()) {
            case "INSERT" -> {
                Map<String, AttrValue> item = s.item();
                t.checkItemKey(item);
                Items.checkSize(item);
                Expr.Cond absent = new Expr.AttributeExists(new Expr.Path(List.of(t.hash.name())), false);
                return new DynamoEngine.Action(t, t.keyOf(item, false), absent, false, old -> item);
            }
            case "EXISTS" -> {
                Map<String, AttrValue> key = new LinkedHashMap<>();
                Expr.Cond rest = splitKey(t, s.where(), key);
                Expr.Cond exists = new Expr.AttributeExists(new Expr.Path(List.of(t.hash.name())), true);
                return new DynamoEngine.Action(t, t.keyOf(key, true), rest == null ? exists : new Expr.And(exists, rest), false, null);
            }
            case "UPDATE", "DELETE" -> {
                Map<String, AttrValue> key = new LinkedHashMap<>();
                Expr.Cond rest = splitKey(t, s.where(), key);
                Key k = t.keyOf(key, true);
                Expr.Cond exists = new Expr.AttributeExists(new Expr.Path(List.of(t.hash.name())), true);
                Expr.Cond cond = rest == null ? exists : new Expr.And(exists, rest);
                if (s.kind().equals("DELETE")) return new DynamoEngine.Action(t, k, rest, false, old -> null);
                DynamoProvider.checkKeyNotUpdated(t, s.update());
                return new DynamoEngine.Action(t, k, cond, false, old -> {
                    Map<String, AttrValue> next = s.update().apply(old);
                    t.checkItemKey(next);
                    return next;
                });
            }
            default -> throw Errors.validation("Statement wasn't well formed, can't be processed: unsupported statement");
        }
    }

    /** Takes the key attributes' equalities out of the WHERE clause; returns what remains (null when nothing). */
    private static Expr.Cond splitKey(Table t, Expr.Cond where, Map<String, AttrValue> key) {
        List<Expr.Cond> parts = new ArrayList<>();
        flatten(where, parts);
        Expr.Cond rest = null;
        for (Expr.Cond c : parts) {
            if (c instanceof Expr.Compare cmp && cmp.op().equals("=") && cmp.left() instanceof Expr.PathOperand p
                    && p.path().isTopLevel() && t.keyNames().contains(p.path().head()) && cmp.right() instanceof Expr.ValueOperand v
                    && !key.containsKey(p.path().head())) {
                key.put(p.path().head(), v.value());
            } else {
                rest = rest == null ? c : new Expr.And(rest, c);
            }
        }
        if (key.size() != t.keyNames().size()) {
            throw Errors.validation("Where clause does not contain a mandatory equality on all key attributes");
        }
        return rest;
    }

    private static void flatten(Expr.Cond c, List<Expr.Cond> out) {
        if (c instanceof Expr.And and) {
            flatten(and.left(), out);
            flatten(and.right(), out);
        } else if (c != null) {
            out.add(c);
        }
    }

    BatchExecuteStatementOutput batch(DynamoEngine.Region r, BatchExecuteStatementInput in) {
        List<BatchStatementRequest> statements = in.statements();
        if (statements == null || statements.isEmpty() || statements.size() > 25) {
            throw Errors.validation("1 validation error detected: Value at 'statements' failed to satisfy constraint: Member must have length "
                    + (statements == null || statements.isEmpty() ? "greater than or equal to 1" : "less than or equal to 25"));
        }
        List<BatchStatementResponse> responses = new ArrayList<>();
        for (BatchStatementRequest st : statements) {
            BatchStatementResponse.Builder response = BatchStatementResponse.builder();
            try {
                PartiQL.Statement s = PartiQL.parse(st.statement(), parameters(st.parameters()));
                Table t = engine.table(r, s.table());
                response.tableName(t.name);
                if (s.kind().equals("SELECT")) {
                    Map<String, AttrValue> key = new LinkedHashMap<>();
                    Expr.Cond rest = splitKey(t, s.where(), key);
                    Map<String, AttrValue> item = engine.get(t, t.keyOf(key, true));
                    if (item != null && (rest == null || rest.test(item))) response.item(Items.toApi(Projection.apply(item, s.projection())));
                } else {
                    run(write(t, s), s, false);
                }
            } catch (ServiceException e) {
                response.error(BatchStatementError.builder().code(errorCode(e)).message(e.getMessage()).build());
            }
            responses.add(response.build());
        }
        return BatchExecuteStatementOutput.builder().responses(responses).build();
    }

    private static String errorCode(ServiceException e) {
        return switch (e.code()) {
            case "ConditionalCheckFailedException" -> "ConditionalCheckFailed";
            case "DuplicateItemException" -> "DuplicateItem";
            case "ResourceNotFoundException" -> "ResourceNotFound";
            default -> "ValidationError";
        };
    }

    ExecuteTransactionOutput transaction(DynamoEngine.Region r, ExecuteTransactionInput in) {
        List<ParameterizedStatement> statements = in.transactStatements();
        if (statements == null || statements.isEmpty() || statements.size() > 100) {
            throw Errors.validation("1 validation error detected: Value at 'transactStatements' failed to satisfy constraint: Member must have length "
                    + (statements == null || statements.isEmpty() ? "greater than or equal to 1" : "less than or equal to 100"));
        }
        List<PartiQL.Statement> parsed = new ArrayList<>();
        List<Table> tables = new ArrayList<>();
        for (ParameterizedStatement st : statements) {
            PartiQL.Statement s = PartiQL.parse(st.statement(), parameters(st.parameters()));
            parsed.add(s);
            tables.add(engine.table(r, s.table()));
        }
        boolean reads = parsed.stream().allMatch(s -> s.kind().equals("SELECT"));
        if (!reads && parsed.stream().anyMatch(s -> s.kind().equals("SELECT"))) {
            throw Errors.validation("Transaction must contain either only read statements or only write statements");
        }
        List<ItemResponse> responses = new ArrayList<>();
        if (reads) {
            for (int i = 0; i < parsed.size(); i++) {
                Table t = tables.get(i);
                Map<String, AttrValue> key = new LinkedHashMap<>();
                Expr.Cond rest = splitKey(t, parsed.get(i).where(), key);
                Map<String, AttrValue> item = engine.get(t, t.keyOf(key, true));
                responses.add(item != null && (rest == null || rest.test(item))
                        ? ItemResponse.builder().item(Items.toApi(Projection.apply(item, parsed.get(i).projection()))).build()
                        : ItemResponse.builder().build());
            }
            return ExecuteTransactionOutput.builder().responses(responses).build();
        }
        List<DynamoEngine.Action> actions = new ArrayList<>();
        for (int i = 0; i < parsed.size(); i++) actions.add(write(tables.get(i), parsed.get(i)));
        if (!engine.seenToken(r, in.clientRequestToken(), statements.hashCode())) engine.transact(actions);
        return ExecuteTransactionOutput.builder().responses(List.of()).build();
    }
}
