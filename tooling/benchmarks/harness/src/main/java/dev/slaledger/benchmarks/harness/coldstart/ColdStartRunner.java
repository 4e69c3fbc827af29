package dev.slaledger.benchmarks.harness.coldstart;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.amazonaws.services.lambda.runtime.serialization.PojoSerializer;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import com.amazonaws.services.lambda.runtime.serialization.factories.JacksonFactory;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.lang.management.ManagementFactory;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

/**
 * The main of each measured JVM, started by {@link ColdStartHarness} with the function's
 * deployable {@code -lambda.jar} first on the class path. What a Lambda runtime does on a cold
 * start, in order: construct the handler with its no-argument constructor (the function's init),
 * deserialise the event with the runtime's own serialiser ({@code aws-lambda-java-serialization}),
 * and call {@code handleRequest} once (the first invocation). Its first act is constructing the
 * handler, so nothing of the harness is loaded before it.
 *
 * <p>Prints one line {@code COLDSTART <constructed epoch micros> <main epoch micros>
 * <deserialise micros> <invoke micros> <jvm start epoch millis> <result>} for the parent.
 *
 * <p>Arguments: handler class name, event file, and optionally {@code prime}: after the measured
 * invocation, run the handler's SnapStart priming steps once (see {@link #prime}).
 */
public final class ColdStartRunner {
    private ColdStartRunner() {
    }

    public static void main(String[] args) throws Exception {
        Instant mainStart = Instant.now();
        Object handler = Class.forName(args[0]).getConstructor().newInstance();
        Instant constructed = Instant.now();
        // CPU time of every thread of this JVM (the JIT and GC threads too) to the handler constructed: on a
        // shared machine it moves far less with the load than the wall time does
        long initCpuMicros = ProcessHandle.current().info().totalCpuDuration().map(d -> d.toNanos() / 1000).orElse(-1L);

        byte[] event = Files.readAllBytes(Path.of(args[1]));
        long d0 = System.nanoTime();
        Object input = handler instanceof RequestStreamHandler ? null : deserialise(handler.getClass(), event);
        long d1 = System.nanoTime();
        String result;
        long i0 = System.nanoTime();
        if (handler instanceof RequestStreamHandler stream) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            stream.handleRequest(new ByteArrayInputStream(event), out, null);
            result = out.toString(StandardCharsets.UTF_8);
        } else {
            @SuppressWarnings("unchecked")
            RequestHandler<Object, Object> h = (RequestHandler<Object, Object>) handler;
            Object out = h.handleRequest(input, null);
            result = describe(out);
        }
        long i1 = System.nanoTime();
        long jvmStart = ManagementFactory.getRuntimeMXBean().getStartTime();
        System.out.println("COLDSTART " + micros(constructed) + " " + micros(mainStart) + " " + (d1 - d0) / 1000
                + " " + (i1 - i0) / 1000 + " " + jvmStart + " " + initCpuMicros + " " + result.replace('\n', ' '));
        if (args.length > 2 && "prime".equals(args[2])) {
            System.out.println("DATABIND " + (databindLoaded(handler) ? "loaded" : "not loaded"));
            prime(handler);
        }
        System.exit(0);
    }

    /**
     * Whether the cold start so far (init and the first invocation) loaded Jackson databind (issue 32 item 2:
     * its first use costs about 100 ms of CPU). Asking for its {@code ObjectMapper} without initialising it
     * loads classes only if it was not loaded yet; another thread loading a class at that instant could only
     * make a loaded databind look absent, never the reverse. Called after the measurement.
     */
    private static boolean databindLoaded(Object handler) {
        var classes = ManagementFactory.getClassLoadingMXBean();
        long before = classes.getTotalLoadedClassCount();
        try {
            Class.forName("com.fasterxml.jackson.databind.ObjectMapper", false, handler.getClass().getClassLoader());
        } catch (ClassNotFoundException e) {
            return false; // not in the package at all
        }
        return classes.getTotalLoadedClassCount() == before;
    }

    /**
     * After the measurement: runs the handler's SnapStart priming hooks once, as Lambda does before
     * the snapshot, so every step is proven to run on the function's own package (a class of a
     * service left out of it would fail here). Prints one line, {@code PRIMING <every step of every
     * hook completed> <reports>}, or {@code PRIMING none} when the package registers no hook: a
     * function that lost its hook is not reported as primed.
     */
    private static void prime(Object handler) throws ReflectiveOperationException {
        Class<?> primingClass;
        try {
            primingClass = Class.forName("dev.slaledger.priming.Priming", true, handler.getClass().getClassLoader());
        } catch (ClassNotFoundException e) {
            System.out.println("PRIMING none (no priming hook: the package has no Priming class)");
            return;
        }
        List<?> registered = (List<?>) primingClass.getMethod("registered").invoke(null);
        if (registered.isEmpty()) {
            System.out.println("PRIMING none (no priming hook registered)");
            return;
        }
        boolean all = true;
        List<String> reports = new java.util.ArrayList<>();
        for (Object priming : registered) {
            Object report = primingClass.getMethod("run").invoke(priming);
            all &= (Boolean) report.getClass().getMethod("allCompleted").invoke(report);
            reports.add(report.toString());
        }
        System.out.println("PRIMING " + all + " " + String.join(" ", reports));
    }

    private static long micros(Instant t) {
        return t.getEpochSecond() * 1_000_000L + t.getNano() / 1000;
    }

    private static Object deserialise(Class<?> handlerClass, byte[] event) {
        Class<?> type = inputType(handlerClass);
        PojoSerializer<?> serializer = LambdaEventSerializers.isLambdaSupportedEvent(type.getName())
                ? LambdaEventSerializers.serializerFor(type, handlerClass.getClassLoader())
                : JacksonFactory.getInstance().getSerializer(type);
        return serializer.fromJson(new ByteArrayInputStream(event));
    }

    private static Class<?> inputType(Class<?> handlerClass) {
        for (Type t : handlerClass.getGenericInterfaces()) {
            if (t instanceof ParameterizedType p && p.getRawType() == RequestHandler.class) {
                Type in = p.getActualTypeArguments()[0];
                return in instanceof ParameterizedType pi ? (Class<?>) pi.getRawType() : (Class<?>) in;
            }
        }
        throw new IllegalArgumentException(handlerClass + " implements neither RequestHandler nor RequestStreamHandler");
    }

    /** A short account of the result, so the report shows the event was really handled. */
    private static String describe(Object out) {
        if (out == null) {
            return "null";
        }
        String s;
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            @SuppressWarnings("unchecked")
            PojoSerializer<Object> serializer = (PojoSerializer<Object>) JacksonFactory.getInstance()
                    .getSerializer((Class<Object>) out.getClass());
            serializer.toJson(out, bytes);
            s = bytes.toString(StandardCharsets.UTF_8);
        } catch (RuntimeException e) {
            s = out.toString();
        }
        return s.length() > 200 ? s.substring(0, 200) + "..." : s;
    }
}
