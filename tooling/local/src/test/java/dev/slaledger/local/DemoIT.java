package dev.slaledger.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.slaledger.core.statement.Statement;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * {@code demo} end to end with its default size: the real handlers on the embedded engines (with
 * the SES emulator when {@code npm ci} has run, as in CI; else the file outbox). Its profiles must
 * land in the tiers they were built for.
 */
class DemoIT {
    @Test
    @DisplayName("issue 9.2: the demo runs the whole pipeline and every profile lands in its tier (S2-S6)")
    void demo() throws Exception {
        Path out = Path.of("target", "demo-it");
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        PrintStream console = new PrintStream(buffer, true, StandardCharsets.UTF_8);
        CommandLine cli = SlaLocal.commandLine(console, console);
        // No wall-time bound here: a timed test fails on a loaded CI machine (it took 268 s under
        // load once); the demo's time is measured in docs/benchmarks.md instead.
        int exit = cli.execute("demo", "--month", "2026-10", "--out-dir", out.toString());
        String text = buffer.toString(StandardCharsets.UTF_8);
        assertThat(exit).as(text).isZero();
        DemoCommand.Result result = ((DemoCommand) cli.getSubcommands().get("demo").getCommand()).result;

        Map<String, String> tiers = result.statements().stream()
                .collect(Collectors.toMap(Statement::accountId, s -> s.compensationPercent().toPlainString()));
        assertThat(tiers).containsOnly(Map.entry("acme", "10"), Map.entry("globex", "25"), Map.entry("initech", "50"),
                Map.entry("umbrella", "0"), Map.entry("hooli", "0"), Map.entry("wayne", "0"), Map.entry("stark", "10"),
                Map.entry("tyrell", "0"));
        Statement stark = result.statements().stream().filter(s -> s.accountId().equals("stark")).findFirst().orElseThrow();
        assertThat(stark.days()).as("S1.2 partial period from the 17th").isEqualTo(15);
        Map<String, JsonNode> claims = result.claims();
        assertThat(claims.get("initech").get("status").asText()).isEqualTo("ACCEPTED");
        assertThat(claims.get("wayne").get("reason").asText()).as("S2.4 the announced window excluded its outage")
                .isEqualTo("SLA_MET");
        assertThat(text).contains("acme claims early: 201 REFUSED TOO_EARLY")
                .contains("a repeated claim answers 200")
                .contains("3 quarantined");
        assertThat(result.noticesSent()).as("S6.2: every account with a current or future term, not tyrell")
                .isEqualTo(7);
        // S8: acme (10 %) and initech (50 %) are told on the window's opening day (notify, the original
        // terms); globex, governed by the autoClaim version it was told of 30 days ahead, is credited:
        // its own claim then gets the claim that stands (S8.3)
        assertThat(text).contains("the notifier's daily run (09:00, the window's opening day; none before it): ")
                .containsPattern("acme told it may claim [0-9.]+")
                .contains("globex credited (autoClaim filed its claim)")
                .containsPattern("initech told it may claim [0-9.]+");
        assertThat(claims.get("globex").get("status").asText()).isEqualTo("ACCEPTED");
        assertThat(Files.readString(result.report())).contains("<svg");
    }
}
