package dev.slaledger.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * How {@code replay} loads the accounts file (issue 28 item 3): with batch writes on the emulators
 * engine, through the accounts handler on the memory engine, and through the handler on both when
 * the table would refuse an event, so that the entry is named the same way.
 */
class ReplayAccountsLoadIT {

    private static ReplayCli replay(Path dir, String accounts, String engine) {
        return ReplayCli.runInto(dir, "--terms", ReplayCli.example("terms.json"), "--accounts", accounts,
                "--traffic", ReplayCli.example("traffic.jsonl"), "--month", "2026-10", "--now", "2026-11-10T08:00:00Z",
                "--engine", engine);
    }

    @Test
    @DisplayName("D2: the emulators engine loads the accounts file with batch writes, the memory engine through the handler")
    void whichPath(@TempDir Path dir) {
        ReplayCli emulators = replay(dir.resolve("e"), ReplayCli.example("accounts.json"), "emulators");
        assertThat(emulators.exit()).as(emulators.console()).isZero();
        assertThat(emulators.console()).containsPattern("Accounts: 7 accounts as 20 billing events, loaded with batch"
                + " writes \\(the accounts handler's item images\\) in [0-9.]+ s: 152 items in 7 BatchWriteItem"
                + " requests, 17 stale marks \\(S7.1\\), 14 events on the notice queue");
        ReplayCli memory = replay(dir.resolve("m"), ReplayCli.example("accounts.json"), "memory");
        assertThat(memory.exit()).as(memory.console()).isZero();
        assertThat(memory.console()).contains("Accounts: 7 accounts as 20 billing events through the accounts handler");
    }

    @Test
    @DisplayName("D2: an account given twice with another email: the batch load writes nothing and the handler names the"
            + " second entry, as on the memory engine")
    void conflictFallsBackToTheHandler(@TempDir Path dir) throws Exception {
        Path accounts = Files.writeString(dir.resolve("accounts.json"), """
                [
                  {"accountId": "acme", "email": "a@acme.example", "terms": [{"start": "2026-10-01", "end": "2026-12-31"}]},
                  {"accountId": "acme", "email": "b@acme.example", "terms": [{"start": "2026-10-01", "end": "2026-12-31"}]}
                ]
                """);
        ReplayCli emulators = replay(dir.resolve("e"), accounts.toString(), "emulators");
        ReplayCli memory = replay(dir.resolve("m"), accounts.toString(), "memory");
        String refused = accounts + " line 3, entry 2 (acme): email: the accounts handler refused it: contact acme is"
                + " already stored at billingVersion 1 with different content";
        assertThat(memory.exit()).as(memory.console()).isEqualTo(1);
        assertThat(memory.console()).contains(refused);
        assertThat(emulators.exit()).as(emulators.console()).isEqualTo(1);
        assertThat(emulators.console()).contains("nothing was written: the events go through the accounts handler one"
                + " by one").contains(refused);
    }
}
