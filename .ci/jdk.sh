# Sourced (POSIX sh) by ./mvnw, .ci/run and ./sla-local: SLA Ledger builds and runs on a JDK >= 21,
# and a machine's default `java` may be older (Debian 12's is 17) with a newer JDK installed beside it.
#
#   use_jdk21 [NAME]  keeps JAVA_HOME when it is a JDK >= 21, else the JDK of the `java` on PATH when
#                     it is >= 21, else picks the lowest JDK >= 21 installed in $SLA_JDK_DIRS (default:
#                     the usual install folders); exports JAVA_HOME and puts its bin/ first on PATH;
#                     says so in one line on stderr when it had to choose; none: one line, status 1.
#   pick_jdk          prints the JAVA_HOME use_jdk21 would choose (status 1 and the line if none).
#   java_major HOME   prints the feature release of the JDK at HOME (17, 21, 25, ...).

SLA_JDK_DIRS_DEFAULT="/usr/lib/jvm /usr/java /usr/local/java /opt/java /opt/jdk /opt/jdks \
${HOME:-/root}/.sdkman/candidates/java ${HOME:-/root}/.jdks /Library/Java/JavaVirtualMachines"

java_major() {
  if [ -f "$1/release" ]; then
    sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$1/release"
  elif [ -x "$1/bin/java" ]; then
    "$1/bin/java" -XshowSettings:properties -version 2>&1 \
      | sed -n 's/^ *java\.specification\.version = \([0-9]*\).*/\1/p'
  fi
}

_sla_jdk_ok() { # $1 a JDK home: has java and javac, and is 21 or newer
  [ -n "$1" ] && [ -x "$1/bin/java" ] && [ -x "$1/bin/javac" ] || return 1
  _sla_major=$(java_major "$1")
  [ -n "$_sla_major" ] && [ "$_sla_major" -ge 21 ] 2>/dev/null
}

_sla_pick() { # sets _sla_picked (a JDK home) and _sla_from (JAVA_HOME, PATH or search); status 1 if none
  _sla_picked="" _sla_from=""
  if [ -n "${JAVA_HOME:-}" ] && _sla_jdk_ok "$JAVA_HOME"; then
    _sla_picked=$JAVA_HOME _sla_from=JAVA_HOME
    return 0
  fi
  _sla_java=$(command -v java 2>/dev/null || true)
  if [ -n "$_sla_java" ]; then
    _sla_home=$(dirname "$(dirname "$(readlink -f "$_sla_java" 2>/dev/null || printf '%s' "$_sla_java")")")
    if _sla_jdk_ok "$_sla_home"; then
      _sla_picked=$_sla_home _sla_from=PATH
      return 0
    fi
  fi
  _sla_best_major=0
  _sla_noglob=0
  case $- in *f*) _sla_noglob=1; set +f ;; esac
  for _sla_dir in ${SLA_JDK_DIRS:-$SLA_JDK_DIRS_DEFAULT}; do
    for _sla_home in "$_sla_dir"/*/ "$_sla_dir"/*/Contents/Home/; do
      _sla_home=${_sla_home%/}
      _sla_jdk_ok "$_sla_home" || continue
      if [ -z "$_sla_picked" ] || [ "$_sla_major" -lt "$_sla_best_major" ]; then
        _sla_picked=$_sla_home _sla_best_major=$_sla_major _sla_from=search
      fi
    done
  done
  if [ "$_sla_noglob" = 1 ]; then set -f; fi
  if [ -z "$_sla_picked" ]; then
    echo "No JDK >= 21 found (JAVA_HOME, the java on PATH, ${SLA_JDK_DIRS:-$SLA_JDK_DIRS_DEFAULT}):" \
      "install one (Temurin 21 or 25, or your system's openjdk-21-jdk) or set JAVA_HOME to one." >&2
    return 1
  fi
}

pick_jdk() {
  _sla_pick || return 1
  printf '%s\n' "$_sla_picked"
}

use_jdk21() {
  _sla_pick || return 1
  if [ "$_sla_from" = search ]; then
    if [ -n "${JAVA_HOME:-}" ]; then
      _sla_was="JAVA_HOME ($JAVA_HOME) is not a JDK >= 21"
    elif command -v java >/dev/null 2>&1; then
      _sla_was="the default java is $(java -XshowSettings:properties -version 2>&1 \
        | sed -n 's/^ *java\.specification\.version = \([0-9.]*\).*/\1/p')"
    else
      _sla_was="no java on PATH"
    fi
    echo "${1:-sla}: $_sla_was; using the JDK $(java_major "$_sla_picked") at $_sla_picked" >&2
  fi
  JAVA_HOME=$_sla_picked
  export JAVA_HOME
  case ":$PATH:" in
    *":$JAVA_HOME/bin:"*) ;;
    *) PATH="$JAVA_HOME/bin:$PATH"; export PATH ;;
  esac
}
