# Sourced by mvnw and polystack: sets JAVA_HOME to a JDK >= 21 (and POLYSTACK_JAVA_MAJOR to its major version)
# or exits with a clear message.
# Order: $JAVA_HOME if new enough, then the newest JDK under /usr/lib/jvm (and macOS's JavaVirtualMachines).
# Bash builtins only where it can: this runs on every `./polystack start`, and each forked process costs start-up.

# Sets java_major to the major version of the Java at $1: from its `release` file, else by asking java itself.
polystack_java_major() {
  local line
  java_major=""
  if [ -f "$1/release" ]; then
    while IFS= read -r line; do
      if [[ $line =~ ^JAVA_VERSION=\"(1\.)?([0-9]+) ]]; then java_major=${BASH_REMATCH[2]}; break; fi
    done < "$1/release"
  fi
  if [ -z "$java_major" ]; then
    java_major=$("$1/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p' | head -1 | cut -d. -f1)
  fi
}
polystack_find_jdk() {
  local candidate best="" best_major=0
  # JAVA_HOME may be a JRE (the container image runs on one); mvnw then reports the missing compiler.
  if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/java" ]; then
    polystack_java_major "$JAVA_HOME"
    if [ "${java_major:-0}" -ge 21 ] 2>/dev/null; then POLYSTACK_JAVA_MAJOR=$java_major; return 0; fi
  fi
  for candidate in /usr/lib/jvm/* /Library/Java/JavaVirtualMachines/*/Contents/Home; do
    [ -x "$candidate/bin/javac" ] || continue
    polystack_java_major "$candidate"
    if [ "${java_major:-0}" -ge 21 ] 2>/dev/null && [ "$java_major" -gt "$best_major" ]; then best="$candidate"; best_major=$java_major; fi
  done
  if [ -z "$best" ]; then
    echo "Polystack needs a JDK 21 or newer. Install one (for example 'apt-get install openjdk-21-jdk'" >&2
    echo "or Temurin 21+) or point JAVA_HOME at it." >&2
    exit 1
  fi
  export JAVA_HOME="$best"
  POLYSTACK_JAVA_MAJOR=$best_major
}
polystack_find_jdk
