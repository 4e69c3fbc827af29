package dev.slaledger.adapter.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slaledger.core.traffic.MaintenanceWindow;
import dev.slaledger.testkit.Engines;
import dev.slaledger.testkit.UsesEngines;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * S7.1 (issue 27 item 7): each maintenance window remembers the version its latest change replaced
 * or withdrew, on the DynamoDB of the {@code Engines} fixture, so a retried admin call marks it too.
 */
@UsesEngines
class MaintenanceWindowHistoryIT {
    private static DynamoDbClient dynamo;

    @BeforeAll
    static void start() {
        dynamo = Engines.get().dynamoDbClient();
        LedgerTable.create(dynamo, "WindowHistoryIT");
    }

    @AfterAll
    static void stop() {
        dynamo.close();
    }

    private static MaintenanceWindow window(String end, Optional<Set<String>> accounts) {
        return new MaintenanceWindow("mw-1", Instant.parse("2026-10-03T02:00:00Z"), Instant.parse(end),
                Instant.parse("2026-09-20T00:00:00Z"), accounts);
    }

    @Test
    @DisplayName("S7.1 replaced and withdrawn versions are kept as previous; saving the same version again keeps it;"
            + " a withdrawn window is found nowhere but in previous")
    void previousVersions() {
        DynamoDbMaintenanceWindowRepository repo = new DynamoDbMaintenanceWindowRepository(dynamo, "WindowHistoryIT");
        MaintenanceWindow first = window("2026-10-03T03:00:00Z", Optional.empty());
        MaintenanceWindow second = window("2026-10-03T04:00:00Z", Optional.of(Set.of("acme", "globex")));
        repo.save(first);
        assertThat(repo.previous("mw-1")).isEmpty();
        repo.save(second);
        assertThat(repo.previous("mw-1")).contains(first);
        repo.save(second); // a retry of the same change
        assertThat(repo.previous("mw-1")).contains(first);
        assertThat(repo.find("mw-1")).contains(second);

        repo.delete("mw-1");
        assertThat(repo.find("mw-1")).isEmpty();
        assertThat(repo.overlapping(Instant.parse("2026-10-01T00:00:00Z"), Instant.parse("2026-11-01T00:00:00Z")))
                .isEmpty();
        assertThat(repo.previous("mw-1")).contains(second);
        repo.delete("mw-1"); // a retried withdrawal changes nothing
        assertThat(repo.previous("mw-1")).contains(second);

        repo.save(first); // recorded again
        assertThat(repo.find("mw-1")).contains(first);
        assertThat(repo.previous("mw-1")).contains(second);
        assertThat(repo.previous("mw-never")).isEmpty();
    }
}
