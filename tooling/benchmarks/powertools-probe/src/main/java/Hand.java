public class Hand { public static void main(String[] a) {
  long t0 = System.nanoTime();
  System.out.println("{\"level\":\"INFO\",\"message\":\"statement computed\",\"timestamp\":\"" + java.time.Instant.now() + "\"}");
  System.out.println("{\"_aws\":{\"Timestamp\":" + System.currentTimeMillis() + ",\"CloudWatchMetrics\":[{\"Namespace\":\"SlaLedger/Ingest\",\"Dimensions\":[[]],\"Metrics\":[{\"Name\":\"RecordsIn\",\"Unit\":\"Count\"}]}]},\"RecordsIn\":3}");
  System.err.println("INIT_MS " + (System.nanoTime() - t0) / 1e6);
}}
