package dev.slaledger.infrastructure;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.services.kinesis.IStream;
import software.amazon.awscdk.services.lambda.IEventSourceDlq;
import software.amazon.awscdk.services.lambda.StartingPosition;
import software.amazon.awscdk.services.lambda.eventsources.KinesisEventSource;

/**
 * The ingest function's Kinesis event source mapping and the request stream's retention, from their one
 * definition: functions/ingest's {@code kinesis-mapping.json}, which this module's build copies onto its
 * class path (infrastructure/pom.xml), and which {@code KinesisEsm} (tooling/emulators) reads too, so
 * that the local runtime, the integration tests and the harnesses run the handler under the mapping
 * deployed here ({@code IngestMappingTest} checks the template against the file).
 */
record IngestMapping(String startingPosition, int batchSize, int maximumBatchingWindowInSeconds,
        int tumblingWindowInSeconds, boolean bisectBatchOnFunctionError, int maximumRetryAttempts,
        int maximumRecordAgeInSeconds, int parallelizationFactor, List<String> functionResponseTypes,
        int streamRetentionPeriodHours) {
    static final String DEFINITION = "/dev/slaledger/ingest/kinesis-mapping.json";

    static IngestMapping read() {
        JsonNode d = EventDefinitions.read(DEFINITION);
        List<String> types = new ArrayList<>();
        d.path("FunctionResponseTypes").forEach(t -> types.add(t.asText()));
        return new IngestMapping(d.get("StartingPosition").asText(), d.get("BatchSize").asInt(),
                d.get("MaximumBatchingWindowInSeconds").asInt(), d.get("TumblingWindowInSeconds").asInt(),
                d.get("BisectBatchOnFunctionError").asBoolean(), d.get("MaximumRetryAttempts").asInt(),
                d.get("MaximumRecordAgeInSeconds").asInt(), d.get("ParallelizationFactor").asInt(), List.copyOf(types),
                d.get("StreamRetentionPeriodHours").asInt());
    }

    /** The mapping on {@code stream}, records given up on reported to {@code onFailure}. */
    KinesisEventSource eventSource(IStream stream, IEventSourceDlq onFailure) {
        for (String t : functionResponseTypes) {
            if (!t.equals("ReportBatchItemFailures")) {
                throw new IllegalStateException("kinesis-mapping.json: FunctionResponseTypes " + t + " is not mapped");
            }
        }
        return KinesisEventSource.Builder.create(stream)
                .startingPosition(StartingPosition.valueOf(startingPosition))
                .batchSize(batchSize)
                .maxBatchingWindow(Duration.seconds(maximumBatchingWindowInSeconds))
                .tumblingWindow(Duration.seconds(tumblingWindowInSeconds))
                .bisectBatchOnError(bisectBatchOnFunctionError)
                .reportBatchItemFailures(functionResponseTypes.contains("ReportBatchItemFailures"))
                .parallelizationFactor(parallelizationFactor)
                .retryAttempts(maximumRetryAttempts)
                .maxRecordAge(Duration.seconds(maximumRecordAgeInSeconds))
                .onFailure(onFailure)
                .build();
    }

    Duration streamRetention() {
        return Duration.hours(streamRetentionPeriodHours);
    }
}
