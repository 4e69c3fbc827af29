import software.amazon.lambda.powertools.metrics.Metrics;
import software.amazon.lambda.powertools.metrics.MetricsFactory;
import software.amazon.lambda.powertools.metrics.model.MetricUnit;
public class WithPowertools { public static void main(String[] a) {
  long t0 = System.nanoTime();
  org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(WithPowertools.class);
  log.info("statement computed");
  Metrics m = MetricsFactory.getMetricsInstance();
  m.setNamespace("SlaLedger/Ingest");
  m.addMetric("RecordsIn", 3, MetricUnit.COUNT);
  m.flush();
  System.err.println("INIT_MS " + (System.nanoTime() - t0) / 1e6);
}}
