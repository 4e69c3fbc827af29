package dev.slaledger.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code replay --events} (D6) on the sample timeline under {@code examples/}, through the real
 * handlers on the embedded engines, checked against decisions and statements worked out by hand.
 *
 * <p>Terms: the default terms only ({@code timeline-terms.json}, UTC): commitment 99.90; 99.00 <= A <
 * 99.90 -> 10 %, 95.00 <= A < 99.00 -> 25 %, below -> 50 % of base = fee - voucherPaid. October 2026 has
 * 31 days: N = 288 x 31 = 8,928. Claim window (S5.1): November 2026 starts on a Sunday; its working days
 * are Mon 2, Tue 3, Wed 4, Thu 5, Fri 6, so it opens at 00:00 of the 6th, Mon 2026-11-09, and closes at
 * the end of December: 2027-01-01T00:00Z. Every failed interval below is {@code valid 100, errors 100},
 * r = 1; background intervals have no errors, r = 0.
 *
 * <p>Schedule: the month-end at 2026-11-01T00:30Z computes revision 1 of acme, globex, initech and
 * umbrella; the restatement runs daily at 03:00Z; without {@code --now} the replay ends at the first run
 * after the last event (2026-11-21T03:00Z).
 *
 * <ul>
 * <li>acme (fee assessed late): 20 failed intervals, A = 1 - 20/8928 = 0.9977598... -> 99.7759 % -> 10 %.
 *     No fee in October's accounts file, so revision 1 has no amounts. Claim 11-02 12:00: TOO_EARLY
 *     (opens 11-09), decided on revision 1. Claim 11-09 10:00: compensable but no fee -> FEE_NOT_ASSESSED,
 *     revision 1. FeeAssessed 1000.00 EUR at 11-12 09:00 marks the month stale (S7.1); the claim at
 *     10:00 recomputes it first (S7.2): revision 2, 10 % x 1000.00 = 100.00 EUR, ACCEPTED (S7.3).</li>
 * <li>globex (fee corrected after the voucher): 100 failed intervals, A = 1 - 100/8928 = 0.9887992...
 *     -> 98.8799 % -> 25 % x 500.00 = 125.00 USD. Claim 11-09 10:05: ACCEPTED 125.00 on revision 1.
 *     FeeAssessed billingVersion 2 at 11-16: 400.00 USD; the 11-17 restatement stores revision 2,
 *     25 % x 400.00 = 100.00 USD. Claim 11-18: the standing claim, 125.00 USD on revision 1 (S5.5).</li>
 * <li>initech (window recorded late, announced in time): 48 failed intervals on 10-12 01:00-04:55,
 *     A = 1 - 48/8928 = 0.9946236... -> 99.4623 % -> 10 % x 800.00 = 80.00 USD (revision 1). The window
 *     10-12 01:00-05:00, announced 10-05, is recorded 11-05 09:00 (S7.1); the 11-06 restatement run
 *     excludes the 48 intervals (S2.4): revision 2, A = 100.0000, met. Claim 11-10: SLA_MET, revision 2.</li>
 * <li>stark (backdated subscription, an account known only from the timeline): claim 11-02 12:05:
 *     NO_SERVICE_PERIOD, no statement. Bought 11-03 09:01 with a term from 2026-10-20, fee 300.00 EUR
 *     at 09:02; the 11-04 restatement run creates revision 1: 12 days (Oct 20-31), N = 288 x 12 = 3,456;
 *     6 failed intervals on 10-15 are outside the period, 12 on 10-25 count: A = 1 - 12/3456 =
 *     0.9965277... -> 99.6527 % -> 10 % x 300.00 = 30.00 EUR. Claim 11-20: ACCEPTED 30.00, revision 1.</li>
 * <li>umbrella (late traffic): 8 failed intervals, A = 1 - 8/8928 = 0.9991039... -> 99.9103 % >= 99.90,
 *     met. Claim 11-09 10:10: SLA_MET on revision 1. A Traffic record for 10-30 12:00 (r = 1) arrives
 *     11-10 12:00 (S7.1); the 11-11 restatement stores revision 2: 9/8928, A = 0.9989919... -> 99.8991 %
 *     -> 10 % x 1000.00 = 100.00 EUR, announced as compensable (S7.2). Claim 11-12 10:05: ACCEPTED
 *     100.00 on revision 2 (S7.3).</li>
 * </ul>
 */
class ReplayTimelineIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path OUT = Path.of("target", "replay-timeline-it");

    private static final Map<String, JsonNode> statements = new LinkedHashMap<>();
    private static final List<JsonNode> decisions = new ArrayList<>();

    private static ReplayCli replayed;

    @BeforeAll
    static void replay() throws Exception {
        replayed = ReplayCli.runTimelineInto(OUT, "timeline-terms.json");
        replayed.statements(OUT).forEach(s -> statements.put(s.get("accountId").asText() + " "
                + s.get("month").asText(), s));
        if (replayed.exit() == 0) {
            JSON.readTree(OUT.resolve("decisions.json").toFile()).forEach(decisions::add);
        }
    }

    /** One decision as a line: at, account, status, reason, voucher, currency, revision. */
    private static String decision(JsonNode d) {
        return d.get("at").asText() + " " + d.get("accountId").asText() + " " + d.get("month").asText() + " "
                + d.get("status").asText() + " " + d.get("reason").asText() + " " + d.get("voucherAmount").asText()
                + " " + d.get("currency").asText() + " rev " + d.get("statementRevision").asText();
    }

    private static List<String> decisionsOf(String account) {
        return decisions.stream().filter(d -> d.get("accountId").asText().equals(account))
                .map(ReplayTimelineIT::decision).toList();
    }

    private static void expect(String account, int days, String availability, String percent, String fee,
            String voucher, String currency, int revision) {
        JsonNode s = statements.get(account + " 2026-10");
        assertThat(s).as("statement of " + account).isNotNull();
        assertThat(s.get("days").asInt()).as(account + " days").isEqualTo(days);
        assertThat(s.get("availability").asText()).as(account + " availability").isEqualTo(availability);
        assertThat(s.get("compensationPercent").asText()).as(account + " tier").isEqualTo(percent);
        assertThat(s.get("fee").asText()).as(account + " fee").isEqualTo(fee);
        assertThat(s.get("voucherAmount").asText()).as(account + " voucher").isEqualTo(voucher);
        assertThat(s.get("currency").asText()).isEqualTo(currency);
        assertThat(s.get("revision").asInt()).as(account + " latest revision").isEqualTo(revision);
        assertThat(s.get("claimOpensAt").asText()).as("S5.1").isEqualTo("2026-11-09T00:00Z");
        assertThat(s.get("claimClosesAt").asText()).as("S5.1").isEqualTo("2027-01-01T00:00Z");
    }

    @Test
    @DisplayName("D6: --decisions lists every claim decision in order, with its instant, status, reason, voucher "
            + "and the statement revision it was made on")
    void decisionsInOrder() throws Exception {
        assertThat(replayed.exit()).as(replayed.console()).isZero();
        assertThat(decisions).extracting(ReplayTimelineIT::decision).containsExactly(
                "2026-11-02T12:00:00Z acme 2026-10 REFUSED TOO_EARLY null null rev 1",
                "2026-11-02T12:05:00Z stark 2026-10 REFUSED NO_SERVICE_PERIOD null null rev null",
                "2026-11-09T10:00:00Z acme 2026-10 REFUSED FEE_NOT_ASSESSED null null rev 1",
                "2026-11-09T10:05:00Z globex 2026-10 ACCEPTED null 125.00 USD rev 1",
                "2026-11-09T10:10:00Z umbrella 2026-10 REFUSED SLA_MET null null rev 1",
                "2026-11-10T10:00:00Z initech 2026-10 REFUSED SLA_MET null null rev 2",
                "2026-11-12T10:00:00Z acme 2026-10 ACCEPTED null 100.00 EUR rev 2",
                "2026-11-12T10:05:00Z umbrella 2026-10 ACCEPTED null 100.00 EUR rev 2",
                "2026-11-18T10:00:00Z globex 2026-10 ACCEPTED null 125.00 USD rev 1",
                "2026-11-20T10:00:00Z stark 2026-10 ACCEPTED null 30.00 EUR rev 1");
        JsonNode first = decisions.get(0);
        List<String> fields = new ArrayList<>();
        first.fieldNames().forEachRemaining(fields::add);
        assertThat(fields).as("D6 decision shape, and the revision's causes (S9.7)").containsExactly("at", "accountId",
                "month", "status", "reason", "voucherAmount", "currency", "statementRevision", "causes");
        assertThat(first.get("reason").isTextual()).isTrue();
        assertThat(decisions.get(3).get("reason").isNull()).as("an accepted claim has reason null").isTrue();
        assertThat(decisions.get(3).get("voucherAmount").isTextual()).as("amounts are strings").isTrue();
        assertThat(decisions.get(1).get("statementRevision").isNull()).as("no statement, no revision").isTrue();
        assertThat(replayed.result().decisions()).hasSize(10);
    }

    @Test
    @DisplayName("S7.1, S7.2, S7.3: a fee assessed after the month-end: the claim before it is FEE_NOT_ASSESSED, "
            + "the claim after it recomputes the stale month and is accepted on revision 2")
    void lateFee() {
        assertThat(replayed.exit()).as(replayed.console()).isZero();
        assertThat(decisionsOf("acme")).containsExactly(
                "2026-11-02T12:00:00Z acme 2026-10 REFUSED TOO_EARLY null null rev 1",
                "2026-11-09T10:00:00Z acme 2026-10 REFUSED FEE_NOT_ASSESSED null null rev 1",
                "2026-11-12T10:00:00Z acme 2026-10 ACCEPTED null 100.00 EUR rev 2");
        expect("acme", 31, "99.7759", "10", "1000.00", "100.00", "EUR", 2);
        assertThat(statements.get("acme 2026-10").get("errorRateSum").asText()).isEqualTo("20.000000000000000000");
        // S9.7 in --decisions: the refusals were decided on revision 1 (the month-end), the acceptance on
        // revision 2, which the fee assessed after the month-end caused
        List<JsonNode> acme = decisions.stream().filter(d -> d.get("accountId").asText().equals("acme")).toList();
        assertThat(acme.get(1).at("/causes/0/kind").asText()).isEqualTo("month-end");
        assertThat(acme.get(2).get("causes")).extracting(c -> c.get("kind").asText()).containsExactly("fee-assessed");
        assertThat(acme.get(2).at("/causes/0/eventId").isTextual()).as("the billing event's id").isTrue();
    }

    @Test
    @DisplayName("S5.5, S7.1, S7.2: a fee corrected after the claim was accepted: the voucher stays 125.00 USD, "
            + "the restatement run stores revision 2 at 100.00 USD")
    void feeCorrectionAfterVoucher() {
        assertThat(replayed.exit()).as(replayed.console()).isZero();
        assertThat(decisionsOf("globex")).containsExactly(
                "2026-11-09T10:05:00Z globex 2026-10 ACCEPTED null 125.00 USD rev 1",
                "2026-11-18T10:00:00Z globex 2026-10 ACCEPTED null 125.00 USD rev 1");
        expect("globex", 31, "98.8799", "25", "400.00", "100.00", "USD", 2);
        assertThat(replayed.console()).contains("2026-11-17T03:00:00Z  restatement run: 1 stale account-months");
    }

    @Test
    @DisplayName("S7.1, S7.2, S2.4: a maintenance window recorded after the month-end but announced in time "
            + "turns initech's month from 10 % to met before it claims: SLA_MET on revision 2")
    void lateWindow() {
        assertThat(replayed.exit()).as(replayed.console()).isZero();
        assertThat(decisionsOf("initech")).containsExactly(
                "2026-11-10T10:00:00Z initech 2026-10 REFUSED SLA_MET null null rev 2");
        expect("initech", 31, "100.0000", "0", "800.00", "0.00", "USD", 2);
        assertThat(replayed.console())
                .contains("StatementCompensable initech 2026-10: revision 1, 10%, voucher 80.00 USD")
                .contains("2026-11-06T03:00:00Z  restatement run: 1 stale account-months");
    }

    @Test
    @DisplayName("S7.1, S7.2, S5.4: a subscription bought after the month-end with a start inside it: "
            + "NO_SERVICE_PERIOD before, then a 12-day statement from the restatement run, accepted")
    void backdatedSubscription() {
        assertThat(replayed.exit()).as(replayed.console()).isZero();
        assertThat(decisionsOf("stark")).containsExactly(
                "2026-11-02T12:05:00Z stark 2026-10 REFUSED NO_SERVICE_PERIOD null null rev null",
                "2026-11-20T10:00:00Z stark 2026-10 ACCEPTED null 30.00 EUR rev 1");
        expect("stark", 12, "99.6527", "10", "300.00", "30.00", "EUR", 1);
        assertThat(statements.get("stark 2026-10").get("errorRateSum").asText()).isEqualTo("12.000000000000000000");
        assertThat(replayed.console())
                .contains("StatementCompensable stark 2026-10: revision 1, 10%, voucher 30.00 EUR");
        assertThat(replayed.result().withoutServicePeriod()).as("stark has a statement by the end").isEmpty();
    }

    @Test
    @DisplayName("S7.1, S7.2, S7.3: late traffic after an SLA_MET refusal: the restatement run makes the month "
            + "compensable (announced), and the next claim is accepted on revision 2")
    void lateTraffic() {
        assertThat(replayed.exit()).as(replayed.console()).isZero();
        assertThat(decisionsOf("umbrella")).containsExactly(
                "2026-11-09T10:10:00Z umbrella 2026-10 REFUSED SLA_MET null null rev 1",
                "2026-11-12T10:05:00Z umbrella 2026-10 ACCEPTED null 100.00 EUR rev 2");
        expect("umbrella", 31, "99.8991", "10", "1000.00", "100.00", "EUR", 2);
        assertThat(statements.get("umbrella 2026-10").get("errorRateSum").asText()).isEqualTo("9.000000000000000000");
        assertThat(replayed.console())
                .contains("StatementCompensable umbrella 2026-10: revision 2, 10%, voucher 100.00 EUR")
                .contains("2026-11-11T03:00:00Z  restatement run: 1 stale account-months");
    }

    @Test
    @DisplayName("D6: --out holds the latest revision of each account-month, the timeline's accounts included; "
            + "every D1 record and the late one aggregated")
    void latestRevisions() {
        assertThat(replayed.exit()).as(replayed.console()).isZero();
        assertThat(statements).containsOnlyKeys("acme 2026-10", "globex 2026-10", "initech 2026-10",
                "umbrella 2026-10", "stark 2026-10");
        assertThat(statements.values()).extracting(s -> s.get("accountId").asText() + " rev "
                + s.get("revision").asInt()).containsExactly("acme rev 2", "globex rev 2", "initech rev 2",
                "umbrella rev 2", "stark rev 1");
        assertThat(replayed.result().ingest().recordsIn()).as("221 lines + 1 Traffic event").isEqualTo(222);
        assertThat(replayed.result().ingest().aggregated()).isEqualTo(222);
        assertThat(replayed.result().ingest().quarantined())
                .as("each record fed at its own instant: none in the future").isZero();
        assertThat(replayed.console()).contains("2026-11-01T00:30:00Z  month-end 2026-10 (scheduled): 4 accounts")
                .contains("restatement runs: 21 (daily at 03:00 UTC)");
    }

    @Test
    @DisplayName("D6: a malformed timeline line stops the replay before any engine starts: exit 1, one line "
            + "naming the file and the line")
    void malformedLine(@TempDir Path dir) throws Exception {
        Path timeline = dir.resolve("bad-timeline.jsonl");
        Files.writeString(timeline, "{\"at\":\"2026-11-09T10:00:00Z\",\"type\":\"Claim\","
                + "\"data\":{\"accountId\":\"acme\",\"month\":\"2026-10\"}}\n"
                + "\n"
                + "{\"at\":\"2026-11-10T10:00:00Z\",\"type\":\"Claim\",\"data\":{\"accountId\":\"acme\"}}\n");
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        ByteArrayOutputStream stderr = new ByteArrayOutputStream();
        int code = SlaLocal.run(new PrintStream(stdout, true, StandardCharsets.UTF_8),
                new PrintStream(stderr, true, StandardCharsets.UTF_8), "replay",
                "--terms", ReplayCli.example("timeline-terms.json"),
                "--accounts", ReplayCli.example("timeline-accounts.json"),
                "--traffic", ReplayCli.example("timeline-traffic.jsonl"),
                "--events", timeline.toString(), "--month", "2026-10",
                "--out", dir.resolve("statements.json").toString());
        String err = stderr.toString(StandardCharsets.UTF_8);
        assertThat(code).isEqualTo(1);
        assertThat(err.lines().toList()).as(err).hasSize(1);
        assertThat(err).startsWith("sla-local: " + timeline + " line 3: Claim: data.month must be \"YYYY-MM\"")
                .doesNotContain("Exception").doesNotContain("\tat ");
        assertThat(stdout.toString(StandardCharsets.UTF_8)).doesNotContain("Starting the local engines");
        assertThat(dir.resolve("statements.json")).doesNotExist();
    }
}
