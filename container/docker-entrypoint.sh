#!/bin/bash
# LocalStack's entry point path (/usr/local/bin/docker-entrypoint.sh): Testcontainers' LocalStack module starts the
# container through its own script, which ends by running this. The launcher execs java, so the JVM gets SIGTERM.
exec /opt/polystack/polystack start "$@"
