#!/usr/bin/env bash
# Issue 11 item 2: cold start of every function on its deployable package, against a baseline
# that only builds a DynamoDB client. Packages the functions, then runs ColdStartHarness
# (benchmarks/harness) from the repository root. Arguments: [runs=10]. Needs a JDK >= 21
# (JAVA_HOME, or the java on PATH). Figures: docs/benchmarks.md.
set -euo pipefail
cd "$(dirname "$0")/.."
JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"
./mvnw -B -ntp -q -pl benchmarks/harness -am package -DskipTests
exec "$JAVA" -cp "benchmarks/harness/target/classes:$(cat benchmarks/harness/target/classpath.txt)" \
  dev.slaledger.benchmarks.harness.coldstart.ColdStartHarness "${1:-10}"
