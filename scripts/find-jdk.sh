# Sourced by mvnw and polystack: sets JAVA_HOME to a JDK >= 21 or exits with a clear message.
# Order: $JAVA_HOME if new enough, then the newest JDK under /usr/lib/jvm (and macOS's JavaVirtualMachines).
polystack_java_major() {
  "$1/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p' | head -1 | cut -d. -f1
}
polystack_find_jdk() {
  local candidate major best="" best_major=0
  if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/javac" ]; then
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
