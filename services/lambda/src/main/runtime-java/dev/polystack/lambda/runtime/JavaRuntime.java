package dev.polystack.lambda.runtime;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Proxy;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Polystack's Lambda runtime client for Java (java17, java21): loads the handler named by {@code _HANDLER}
 * ({@code package.Class::method}, or {@code package.Class} for {@code handleRequest}) from the function's class
 * path and serves invocations through the Lambda Runtime API at {@code AWS_LAMBDA_RUNTIME_API}, as AWS's Java
 * runtime does. Handlers take {@code (InputStream, OutputStream[, Context])} or {@code (Input[, Context])}, where the
 * input is a String, a number, a Boolean, a Map, a List or a bean; {@code Context} is whatever interface the
 * function compiled against (aws-lambda-java-core's), answered by a proxy. It has no dependencies: it runs on
 * any JDK 17 or newer.
 */
public final class JavaRuntime {
    private static final String END_MARKER = "\u001ePOLYSTACK_END ";
    private static final String PREFIX = "/2018-06-01/runtime";

    private final String api = System.getenv("AWS_LAMBDA_RUNTIME_API");
    private final OutputStream rawOut = new FileOutputStream(FileDescriptor.out);

    public static void main(String[] args) throws Exception {
        new JavaRuntime().run();
    }

    private void run() throws Exception {
        Handler handler;
        try {
            handler = Handler.load(System.getenv("_HANDLER"));
        } catch (InitError e) {
            System.out.println("[ERROR] " + e.type + ": " + e.getMessage());
            System.out.flush();
            post("/init/error", Json.write(errorObject(e.getMessage(), e.type, e.getCause())), e.type);
            System.exit(1);
            return;
        }
        while (true) {
            HttpURLConnection next = open("/invocation/next", "GET");
            byte[] event;
            try (InputStream in = next.getInputStream()) {
                event = in.readAllBytes();
            }
            String requestId = next.getHeaderField("Lambda-Runtime-Aws-Request-Id");
            long deadline = parseLong(next.getHeaderField("Lambda-Runtime-Deadline-Ms"));
            String invokedArn = next.getHeaderField("Lambda-Runtime-Invoked-Function-Arn");
            String trace = next.getHeaderField("Lambda-Runtime-Trace-Id");
            if (trace != null) System.setProperty("com.amazonaws.xray.traceHeader", trace);
            byte[] answer;
            try {
                answer = handler.invoke(event, new ContextValues(requestId, deadline, invokedArn));
            } catch (Throwable t) {
                Throwable cause = t instanceof InvocationTargetException ite && ite.getCause() != null ? ite.getCause() : t;
                Map<String, Object> error = errorObject(String.valueOf(cause.getMessage()), cause.getClass().getName(), cause);
                StringWriter trace2 = new StringWriter();
                cause.printStackTrace(new PrintWriter(trace2));
                System.out.print(trace2);
                endOfOutput(requestId);
                post("/invocation/" + requestId + "/error", Json.write(error), cause.getClass().getName());
                continue;
            }
            endOfOutput(requestId);
            post("/invocation/" + requestId + "/response", answer, null);
        }
    }

    private static Map<String, Object> errorObject(String message, String type, Throwable cause) {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("errorMessage", message);
        error.put("errorType", type);
        List<Object> stack = new ArrayList<>();
        if (cause != null) for (StackTraceElement e : cause.getStackTrace()) stack.add(e.toString());
        error.put("stackTrace", stack);
        if (cause != null && cause.getCause() != null && cause.getCause() != cause) {
            error.put("cause", errorObject(String.valueOf(cause.getCause().getMessage()),
                    cause.getCause().getClass().getName(), cause.getCause()));
        }
        return error;
    }

    /** Flushes what the function printed, then the marker telling Polystack that this invocation's output ended. */
    private void endOfOutput(String requestId) throws IOException {
        System.err.flush();
        System.out.flush();
        rawOut.write((END_MARKER + requestId + "\n").getBytes(StandardCharsets.UTF_8));
        rawOut.flush();
    }

    private void post(String path, String json, String errorType) throws IOException {
        post(path, json.getBytes(StandardCharsets.UTF_8), errorType);
    }

    private void post(String path, byte[] body, String errorType) throws IOException {
        HttpURLConnection c = open(path, "POST");
        c.setDoOutput(true);
        c.setRequestProperty("Content-Type", "application/json");
        if (errorType != null) c.setRequestProperty("Lambda-Runtime-Function-Error-Type", errorType);
        c.setFixedLengthStreamingMode(body.length);
        try (OutputStream out = c.getOutputStream()) {
            out.write(body);
        }
        try (InputStream in = c.getResponseCode() >= 400 ? c.getErrorStream() : c.getInputStream()) {
            if (in != null) in.readAllBytes();
        }
    }

    private HttpURLConnection open(String path, String method) throws IOException {
        HttpURLConnection c = (HttpURLConnection) URI.create("http://" + api + PREFIX + path).toURL().openConnection();
        c.setRequestMethod(method);
        c.setReadTimeout(0); // /next blocks until an invocation arrives
        return c;
    }

    private static long parseLong(String s) {
        try {
            return s == null ? 0 : Long.parseLong(s);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** A failure to load the handler, reported to /init/error with AWS's error type. */
    static final class InitError extends Exception {
        final String type;

        InitError(String message, String type, Throwable cause) {
            super(message, cause);
            this.type = type;
        }
    }

    /** What a Context proxy answers. */
    record ContextValues(String requestId, long deadlineMillis, String invokedArn) {
    }

    /** The handler method, its object, and how its input and output are converted. */
    static final class Handler {
        private final Object target;
        private final Method method;

        private Handler(Object target, Method method) {
            this.target = target;
            this.method = method;
        }

        static Handler load(String spec) throws InitError {
            if (spec == null || spec.isBlank()) throw new InitError("Handler not set", "java.lang.IllegalArgumentException", null);
            String className = spec.contains("::") ? spec.substring(0, spec.indexOf("::")) : spec;
            String methodName = spec.contains("::") ? spec.substring(spec.indexOf("::") + 2) : "handleRequest";
            Class<?> type;
            try {
                type = Class.forName(className, true, JavaRuntime.class.getClassLoader());
            } catch (ClassNotFoundException | LinkageError e) {
                throw new InitError("Class not found: " + className, "java.lang.ClassNotFoundException", e);
            }
            Method method = Arrays.stream(type.getMethods())
                    .filter(m -> m.getName().equals(methodName) && !m.isBridge() && m.getParameterCount() >= 1
                            && m.getParameterCount() <= 3)
                    .max(Comparator.comparingInt(Method::getParameterCount))
                    .orElseThrow(() -> new InitError("No public method named " + methodName
                            + " with appropriate method signature found on class " + className,
                            "java.lang.NoSuchMethodException", null));
            Object target = null;
            if (!Modifier.isStatic(method.getModifiers())) {
                try {
                    target = type.getDeclaredConstructor().newInstance();
                } catch (InvocationTargetException e) {
                    Throwable cause = e.getCause();
                    throw new InitError(String.valueOf(cause.getMessage()), cause.getClass().getName(), cause);
                } catch (ReflectiveOperationException e) {
                    throw new InitError("Class " + className + " has no public zero-argument constructor",
                            "java.lang.NoSuchMethodException", e);
                }
            }
            return new Handler(target, method);
        }

        byte[] invoke(byte[] event, ContextValues values) throws Exception {
            Class<?>[] params = method.getParameterTypes();
            Object[] args = new Object[params.length];
            if (params[0] == InputStream.class) {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                args[0] = new ByteArrayInputStream(event);
                if (params.length > 1) args[1] = out;
                if (params.length > 2) args[2] = context(params[2], values);
                method.invoke(target, args);
                return out.toByteArray();
            }
            Object input = Json.read(new String(event, StandardCharsets.UTF_8));
            args[0] = Json.convert(input, params[0], method.getGenericParameterTypes()[0]);
            if (params.length > 1) args[1] = context(params[1], values);
            Object result = method.invoke(target, args);
            return Json.writeResult(method.getReturnType() == void.class ? null : result).getBytes(StandardCharsets.UTF_8);
        }

        /** A Context of the interface the handler declares (aws-lambda-java-core's), or null for another type. */
        private static Object context(Class<?> type, ContextValues v) {
            if (!type.isInterface()) return null;
            return Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[]{type}, (proxy, m, a) -> switch (m.getName()) {
                case "getAwsRequestId" -> v.requestId();
                case "getLogGroupName" -> System.getenv("AWS_LAMBDA_LOG_GROUP_NAME");
                case "getLogStreamName" -> System.getenv("AWS_LAMBDA_LOG_STREAM_NAME");
                case "getFunctionName" -> System.getenv("AWS_LAMBDA_FUNCTION_NAME");
                case "getFunctionVersion" -> System.getenv("AWS_LAMBDA_FUNCTION_VERSION");
                case "getInvokedFunctionArn" -> v.invokedArn();
                case "getRemainingTimeInMillis" -> (int) Math.max(0, v.deadlineMillis() - System.currentTimeMillis());
                case "getMemoryLimitInMB" -> Integer.parseInt(System.getenv().getOrDefault("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "128"));
                case "getLogger" -> logger(m.getReturnType());
                case "toString" -> "Context(" + v.requestId() + ")";
                case "hashCode" -> System.identityHashCode(proxy);
                case "equals" -> proxy == a[0];
                default -> null;
            });
        }

        /** A LambdaLogger: its log(...) methods print to the function's output. */
        private static Object logger(Class<?> type) {
            if (!type.isInterface()) return null;
            return Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[]{type}, (proxy, m, a) -> {
                if (m.getName().equals("log") && a != null && a.length > 0) {
                    Object msg = a[a.length - 1] instanceof byte[] b ? new String(b, StandardCharsets.UTF_8) : a[a.length - 1];
                    System.out.print(msg);
                    System.out.flush();
                }
                return null;
            });
        }
    }
}
