package dev.slaledger.adapter.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slaledger.core.billing.SubscriptionPurchased;
import dev.slaledger.core.period.Term;
import dev.slaledger.core.port.JobProgress;
import dev.slaledger.testkit.Engines;
import dev.slaledger.testkit.UsesEngines;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * S9.2 (issue 27): what a stopped month-end or restatement resumes from, on the DynamoDB of the
 * {@code Engines} fixture: the job progress item, and the month's accounts listed after a cursor.
 */
@UsesEngines
class JobProgressIT {
    private static final YearMonth OCT = YearMonth.parse("2026-10");
    private static DynamoDbClient dynamo;

    @BeforeAll
    static void start() {
        dynamo = Engines.get().dynamoDbClient();
        LedgerTable.create(dynamo, "JobProgressIT");
        AccountsTable.create(dynamo, "JobProgressAccountsIT");
    }

    @AfterAll
    static void stop() {
        dynamo.close();
    }

    @Test
    @DisplayName("S9.2 a checkpoint is read back; completing ends the job; a late checkpoint never reopens it")
    void progress() {
        JobProgress progress = new DynamoDbJobProgress(dynamo, "JobProgressIT");
        assertThat(progress.progress("month-end#2026-10")).isEmpty();
        progress.checkpoint("month-end#2026-10", "acct-0250", 250);
        assertThat(progress.progress("month-end#2026-10"))
                .contains(new JobProgress.Progress(Optional.of("acct-0250"), 250, false));
        progress.complete("month-end#2026-10", 1_000);
        progress.checkpoint("month-end#2026-10", "acct-0500", 500);
        assertThat(progress.progress("month-end#2026-10"))
                .contains(new JobProgress.Progress(Optional.of("acct-0250"), 1_000, true));
        assertThat(progress.progress("month-end#2026-11")).isEmpty();
    }

    @Test
    @DisplayName("S9.2 the month's accounts after a cursor: every account listed after it once, none before, whatever"
            + " characters their ids hold around '#'")
    void listingAfterACursor() {
        DynamoDbAccountRepository accounts = new DynamoDbAccountRepository(dynamo, "JobProgressAccountsIT");
        List<String> ids = List.of("a", "a!", "a$", "a0", "ab", "b", "b-1");
        int version = 1;
        for (String id : ids) {
            for (String sub : List.of("s1", "s2")) {
                accounts.apply(new SubscriptionPurchased("e-" + id + sub, "b-" + id + sub, version++, id, sub,
                        new Term(LocalDate.parse("2026-10-01"), LocalDate.parse("2026-12-31"))));
            }
        }
        List<String> all = new ArrayList<>();
        accounts.forEachAccountWithServiceIn(OCT, all::add);
        assertThat(all).containsExactly("a!", "a", "a$", "a0", "ab", "b", "b-1"); // the order of id + "#"
        for (int i = 0; i < all.size(); i++) {
            List<String> rest = new ArrayList<>();
            accounts.forEachAccountWithServiceIn(OCT, Optional.of(all.get(i)), rest::add);
            assertThat(rest).as("after " + all.get(i)).isEqualTo(all.subList(i + 1, all.size()));
        }
    }
}
