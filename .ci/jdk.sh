# Sourced by .ci/run and ./sla-local: picks a JDK >= 21 (the lowest such feature release found)
# from JAVA_HOME, the java on PATH, or /usr/lib/jvm/*; `JAVA_HOME=$(pick_jdk)`.

java_major() { # prints the feature release of the JDK at $1 (a JAVA_HOME)
  "$1/bin/java" -XshowSettings:properties -version 2>&1 \
    | sed -n 's/^ *java\.specification\.version = \([0-9]*\).*/\1/p'
}

pick_jdk() {
  local candidates=()
  [ -n "${JAVA_HOME:-}" ] && candidates+=("$JAVA_HOME")
  if command -v java >/dev/null 2>&1; then
    candidates+=("$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")")
  fi
  for d in /usr/lib/jvm/*; do [ -x "$d/bin/javac" ] && candidates+=("$d"); done
  local best="" best_major=0 major
  for d in "${candidates[@]}"; do
    [ -x "$d/bin/javac" ] || continue
    major=$(java_major "$d")
    [ -n "$major" ] || continue
    if [ "$major" -ge 21 ] && { [ -z "$best" ] || [ "$major" -lt "$best_major" ]; }; then
      best="$d"; best_major="$major"
    fi
  done
  if [ -z "$best" ]; then
    echo "No JDK >= 21 found (looked at JAVA_HOME, java on PATH, /usr/lib/jvm/*)." >&2
    echo "Install one (e.g. Temurin 21 or 25) and set JAVA_HOME." >&2
    exit 1
  fi
  echo "$best"
}
