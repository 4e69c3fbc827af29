package dev.slaledger.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * {@code replay --events} (D6) with the sample timeline and terms that turn {@code notify} on
 * ({@code examples/timeline-eligibility-terms.json}: the timeline's terms plus
 * {@code "eligibility": {"notify": true}}, S8.1). The notifier's daily run (09:00, six hours after the
 * 03:00 restatement) sends an eligibility notice (S8.2) to every account-month that is compensable,
 * has a fee, has its window open and no accepted claim yet. Worked out from ReplayTimelineIT's figures:
 *
 * <ul>
 * <li>the window of October opens 2026-11-09T00:00Z: no notice from the runs of 11-02 to 11-08;</li>
 * <li>11-09 09:00: globex (125.00 USD, it claims at 10:05) and stark (30.00 EUR, revision 1 of the
 *     11-04 restatement, it claims 11-20); not acme (no fee yet: a claim would be refused, S8.4),
 *     not initech (met since the 11-06 restatement), not umbrella (met until late traffic);</li>
 * <li>11-11 09:00: umbrella (100.00 EUR), compensable since the 11-11 03:00 restatement (S8.2: "or
 *     later when a restatement makes it compensable"); it claims 11-12;</li>
 * <li>acme's fee arrives 11-12 09:00 and it claims at 10:00, before the next run: no notice;
 *     globex's fee correction (11-16) lowers its statement after its claim: no notice.</li>
 * </ul>
 */
class ReplayEligibilityIT {
    private static final Path OUT = Path.of("target", "replay-eligibility-it");

    private static ReplayCli replayed;

    @BeforeAll
    static void replay() throws Exception {
        replayed = ReplayCli.runTimelineInto(OUT, "timeline-eligibility-terms.json");
    }

    private static List<String> sent() {
        return replayed.console().lines().filter(l -> l.contains("notifier daily run: sent")).map(String::trim)
                .toList();
    }

    @Test
    @DisplayName("S8.2 D6 the eligibility notice is sent on the window's opening day (09:00 run), not before, and later when a restatement makes a month compensable")
    void s8_2_noticeOnOpeningDayNotBefore() {
        assertThat(replayed.exit()).as(replayed.console()).isZero();
        assertThat(sent()).as(replayed.console()).containsExactly(
                "2026-11-09T09:00:00Z  notifier daily run: sent globex ELIG#2026-10#N#125.00",
                "2026-11-09T09:00:00Z  notifier daily run: sent stark ELIG#2026-10#N#30.00",
                "2026-11-11T09:00:00Z  notifier daily run: sent umbrella ELIG#2026-10#N#100.00");
    }

    @Test
    @DisplayName("S8.2 notify files no claim: each notified account's voucher is issued by its own claim, at its instant, for the amount it was told")
    void s8_2_notifyFilesNothing() throws Exception {
        assertThat(replayed.exit()).as(replayed.console()).isZero();
        JsonNode decisions = new ObjectMapper().readTree(OUT.resolve("decisions.json").toFile());
        List<String> accepted = new java.util.ArrayList<>();
        for (JsonNode d : decisions) {
            if (d.get("status").asText().equals("ACCEPTED") && List.of("globex", "stark", "umbrella")
                    .contains(d.get("accountId").asText())) {
                accepted.add(d.get("at").asText() + " " + d.get("accountId").asText() + " "
                        + d.get("voucherAmount").asText());
            }
        }
        // the first acceptance of each is the customer's claim after the notice, for the notified amount (S8.4)
        assertThat(accepted).contains("2026-11-09T10:05:00Z globex 125.00", "2026-11-12T10:05:00Z umbrella 100.00",
                "2026-11-20T10:00:00Z stark 30.00");
        assertThat(accepted.get(0)).isEqualTo("2026-11-09T10:05:00Z globex 125.00");
    }
}
