#!/usr/bin/env bash
# What Powertools logging and metrics 2.9.0 add to a function: the jars a package would gain, the classes a
# cold JVM loads, and the time to the first log line and metric line, interleaved with the hand-written
# JSON log and EMF line the handlers use (JsonLog). Run from the repository root: bash tooling/benchmarks/powertools-probe/run.sh
set -euo pipefail
cd "$(dirname "$0")"
../../../mvnw -B -q -ntp dependency:copy-dependencies -DoutputDirectory=target/lib compile
export AWS_LAMBDA_FUNCTION_NAME=probe AWS_REGION=eu-west-1 AWS_LAMBDA_FUNCTION_VERSION='$LATEST' \
  AWS_LAMBDA_LOG_STREAM_NAME=s AWS_LAMBDA_FUNCTION_MEMORY_SIZE=512 AWS_EXECUTION_ENV=AWS_Lambda_java21
cp=target/classes:"target/lib/*"
echo "jars Powertools brings (bytes):"; ls -l target/lib | awk 'NR>1 {s+=$5; print "  " $5, $9} END {print "  total", s}'
for c in Hand WithPowertools; do
  java -Xshare:off -Xlog:class+load=info:file=target/classes-$c.txt -cp "$cp" $c >/dev/null 2>&1
  echo "$c: $(wc -l < target/classes-$c.txt) classes loaded"
done
for i in 1 2 3 4 5; do
  for c in Hand WithPowertools; do
    java -cp "$cp" $c 2>&1 >/dev/null | sed "s/^/$c run $i: /"
  done
done
