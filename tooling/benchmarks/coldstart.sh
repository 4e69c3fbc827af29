#!/usr/bin/env bash
# Issue 11 item 2: cold start of every function on its deployable package, against a baseline
# that only builds a DynamoDB client. Packages the functions, then runs ColdStartHarness
# (tooling/benchmarks/harness) from the repository root. Arguments: [runs=10]. Picks a JDK >= 21 the way
# .ci/run does. Figures: docs/benchmarks.md.
set -euo pipefail
cd "$(dirname "$0")/../.."
# shellcheck source=../../.ci/jdk.sh
. .ci/jdk.sh
JAVA_HOME=$(pick_jdk)
export JAVA_HOME
JAVA="$JAVA_HOME/bin/java"
# -DskipTests: this only packages what is measured; the tests run in .ci/run (./mvnw verify).
./mvnw -B -ntp -q -pl tooling/benchmarks/harness -am package -DskipTests
exec "$JAVA" -cp "tooling/benchmarks/harness/target/classes:$(cat tooling/benchmarks/harness/target/classpath.txt)" \
  dev.slaledger.benchmarks.harness.coldstart.ColdStartHarness "${1:-10}"
