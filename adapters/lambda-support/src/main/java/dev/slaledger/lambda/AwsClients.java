package dev.slaledger.lambda;

import dev.slaledger.priming.Priming;
import java.util.Objects;
import java.util.function.Supplier;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;

/**
 * The one AWS client factory of the functions: any service's synchronous client, in the given
 * region, on the URLConnection HTTP client (the smallest and fastest to start), credentials from
 * the default chain (under SnapStart, Lambda's container endpoint). The endpoint is the SDK's
 * default, which honours {@code AWS_ENDPOINT_URL} and {@code AWS_ENDPOINT_URL_<SERVICE>} (how the
 * cold-start harness points a function at local engines). A function builds each client once,
 * in its composition root, and only the clients its handler uses; one that only some invocations
 * need it builds on first use ({@link #lazy}).
 *
 * <p>{@code AwsClients.build(DynamoDbClient.builder(), region)}.
 */
public final class AwsClients {
    private AwsClients() {
    }

    public static <B extends AwsSyncClientBuilder<B, C> & AwsClientBuilder<B, C>, C> C build(B builder,
            Region region) {
        return builder.region(region).httpClient(UrlConnectionHttpClient.create()).build();
    }

    /**
     * A client built on its first use instead of in the constructor, for a client only some invocations
     * need (EventBridge, where a function announces only a compensable statement, an issued voucher or
     * a publication): building one costs about 20-30 ms of CPU in a fresh JVM (docs/benchmarks.md), which
     * a cold start that never announces no longer pays. Under SnapStart it is built before the snapshot
     * all the same: the supplier registers a priming hook of its own that builds it, so a restored
     * function finds it built. Thread-safe; the client is built at most once.
     *
     * @param service the service's name, for the priming log ({@code "EventBridge"})
     */
    public static <C> Supplier<C> lazy(String service, Supplier<C> build) {
        Lazy<C> lazy = new Lazy<>(build);
        Priming.register(service + " client", Priming.step("build the " + service + " client", lazy::get));
        return lazy;
    }

    /** Builds once, on the first {@link #get}. */
    static final class Lazy<C> implements Supplier<C> {
        private final Supplier<C> build;
        private volatile C built;

        Lazy(Supplier<C> build) {
            this.build = Objects.requireNonNull(build);
        }

        @Override
        public C get() {
            C c = built;
            if (c == null) {
                synchronized (this) {
                    c = built;
                    if (c == null) {
                        c = Objects.requireNonNull(build.get(), "the client built");
                        built = c;
                    }
                }
            }
            return c;
        }

        /** Whether the client has been built (tests). */
        boolean isBuilt() {
            return built != null;
        }
    }
}
