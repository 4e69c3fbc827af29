package dev.slaledger.infrastructure;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awscdk.App;
import software.amazon.awscdk.AppProps;
import software.amazon.awscdk.assertions.Template;

/**
 * The app synthesized once per test JVM (a synth costs seconds: the CDK runs in node), with the
 * feature flags of cdk.json and the parameters below, as {@code cdk synth} would build it.
 */
final class Synth {
    static final Parameters PARAMETERS = new Parameters("test", "https://issuer.example/pool",
            List.of("sla-ledger-api"), "sla-notices@provider.example", ZoneId.of("Asia/Shanghai"),
            "custom:accountId", Optional.of("Acme Weather API"),
            Optional.of("https://console.provider.example/sla/claims?month={month}"));

    private static Synth instance;

    final SlaLedgerApp.Stacks stacks;
    final Template data;
    final Template app;

    private Synth() {
        App cdkApp = new App(AppProps.builder().context(cdkJsonContext()).build());
        stacks = SlaLedgerApp.build(cdkApp, PARAMETERS, FunctionPackages.locate());
        data = Template.fromStack(stacks.data());
        app = Template.fromStack(stacks.app());
    }

    static synchronized Synth get() {
        if (instance == null) {
            instance = new Synth();
        }
        return instance;
    }

    /** The "context" object of infrastructure/cdk.json (the feature flags). */
    static Map<String, Object> cdkJsonContext() {
        try {
            Path cdkJson = Path.of(System.getProperty(FunctionPackages.ROOT_PROPERTY, ".."), "infrastructure", "cdk.json");
            Map<String, Object> json = new ObjectMapper().readValue(cdkJson.toFile(), new TypeReference<>() {
            });
            @SuppressWarnings("unchecked")
            Map<String, Object> context = new HashMap<>((Map<String, Object>) json.get("context"));
            return context;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
