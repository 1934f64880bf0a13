# Sourced by mvnw and polystack: sets JAVA_HOME to a JDK >= 21 or exits with a clear message.
# Order: $JAVA_HOME if new enough, then the newest JDK under /usr/lib/jvm (and macOS's JavaVirtualMachines).
# The major version of the Java at $1: from its `release` file (instant), else by asking java itself.
polystack_java_major() {
  local v=""
  [ -f "$1/release" ] && v=$(sed -n 's/^JAVA_VERSION="\(1\.\)\{0,1\}\([0-9]*\).*/\2/p' "$1/release")
  if [ -z "$v" ]; then
    v=$("$1/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p' | head -1 | cut -d. -f1)
  fi
  echo "$v"
}
polystack_find_jdk() {
  local candidate major best="" best_major=0
  # JAVA_HOME may be a JRE (the container image runs on one); mvnw then reports the missing compiler.
  if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/java" ]; then
    major=$(polystack_java_major "$JAVA_HOME")
    if [ "${major:-0}" -ge 21 ] 2>/dev/null; then return 0; fi
  fi
  for candidate in /usr/lib/jvm/* /Library/Java/JavaVirtualMachines/*/Contents/Home; do
    [ -x "$candidate/bin/javac" ] || continue
    major=$(polystack_java_major "$candidate")
    if [ "${major:-0}" -ge 21 ] 2>/dev/null && [ "$major" -gt "$best_major" ]; then best="$candidate"; best_major=$major; fi
  done
  if [ -z "$best" ]; then
    echo "Polystack needs a JDK 21 or newer. Install one (for example 'apt-get install openjdk-21-jdk'" >&2
    echo "or Temurin 21+) or point JAVA_HOME at it." >&2
    exit 1
  fi
  export JAVA_HOME="$best"
}
polystack_find_jdk
