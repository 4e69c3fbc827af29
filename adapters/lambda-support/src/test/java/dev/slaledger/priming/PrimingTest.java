package dev.slaledger.priming;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;

class PrimingTest {

    @Test
    @DisplayName("a failing step is reported and the following steps still run: priming never fails the snapshot")
    void failingStepDoesNotStopTheOthers() {
        List<String> ran = new ArrayList<>();
        List<String> log = new ArrayList<>();
        Priming priming = new Priming("demo", List.of(
                Priming.step("first", () -> ran.add("first")),
                Priming.step("broken", () -> {
                    throw new IllegalStateException("no table");
                }),
                Priming.step("last", () -> ran.add("last"))), log::add);

        priming.beforeCheckpoint(null);
        Priming.Report report = priming.run();

        assertThat(ran).containsExactly("first", "last", "first", "last");
        assertThat(report.completed()).containsExactly("first", "last");
        assertThat(report.failed()).singleElement().asString().contains("broken", "IllegalStateException", "no table");
        assertThat(log).hasSize(2).allSatisfy(line -> assertThat(line).startsWith("{\"level\":\"INFO\""));
    }

    @Test
    @DisplayName("registering with the global CRaC context outside SnapStart runs nothing, and the hook is kept"
            + " (the CRaC context holds it weakly)")
    void registrationOutsideSnapStartRunsNothing() {
        List<String> ran = new ArrayList<>();
        Priming hook = Priming.register("demo", Priming.step("step", () -> ran.add("step")));
        assertThat(ran).isEmpty();
        assertThat(Priming.registered()).contains(hook);
    }

    @Test
    @DisplayName("a canned client marshals and signs each request, answers from memory, and the SDK unmarshals it")
    void cannedClientAnswersFromMemory() {
        CannedHttpClient http = CannedHttpClient.emptyJson();
        try (DynamoDbClient dynamo = DynamoDbClient.builder().httpClient(http).region(Region.EU_WEST_1)
                .credentialsProvider(() -> software.amazon.awssdk.auth.credentials.AwsBasicCredentials.create("a", "b"))
                .build()) {
            dynamo.putItem(PutItemRequest.builder().tableName("anything")
                    .item(java.util.Map.of("pk", AttributeValue.fromS("x"))).build());
            assertThat(MissingItemRead.read(dynamo, "anything", "pk", "sk")).isFalse();
        }
        assertThat(http.requests()).isEqualTo(2);
    }

    @Test
    @DisplayName("canned clients need no credentials or endpoint from the environment")
    void cannedClientsBuildWithoutEnvironment() {
        DynamoDbClient dynamo = CannedClients.build(DynamoDbClient.builder(), Region.US_EAST_1);
        assertThat(MissingItemRead.read(dynamo, "table", "pk")).isFalse();
        dynamo.close();
    }
}
