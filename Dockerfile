# Polystack's container image: a drop-in for localstack/localstack (port 4566, GATEWAY_LISTEN, /var/lib/localstack,
# /etc/localstack/init/{boot,start,ready,shutdown}.d, the "Ready." line, /_localstack/health, SIGTERM saves state).
#
#   docker build -t polystack .                  # on any Docker host, from public base images
#   docker run --rm -p 4566:4566 -v polystack-data:/var/lib/localstack -e PERSISTENCE=1 polystack
#   docker build --build-arg VARIANT=native -t polystack:native .   # the native-only image (no Python tier)
#   container/build-local.sh                     # the same image with Podman and no registry (see README)
#
# Two build arguments choose where the pieces come from; the defaults build everything here from public images:
#   DIST  the stage or image holding /opt/polystack (container/assemble.sh's output);
#   BASE  the stage or image to run on: bash and curl on glibc (Debian slim here; build-local.sh makes one from
#         the build machine's own programs).
# VARIANT full (default) or native: the native-only image leaves out the Python tier (moto, GraalPy); a service
# only that tier serves answers that it is not available in this image.
ARG DIST=dist-from-source
ARG BASE=base-debian
ARG VARIANT=full

# --- /opt/polystack from the sources: build, then a jlink runtime and the Python tier (container/assemble.sh) -----
FROM eclipse-temurin:25-jdk AS dist-from-source
ARG VARIANT
RUN apt-get update && apt-get install -y --no-install-recommends python3 python3-pip binutils \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY . .
# pip installs into vendor/ folders inside the image (Debian marks its own Python as externally managed).
ENV PIP_BREAK_SYSTEM_PACKAGES=1
RUN ./mvnw -q -B package -DskipTests && container/assemble.sh /opt/polystack "$VARIANT"

# --- the public base: Debian slim with curl (for the health check and init hooks) --------------------------------
FROM debian:bookworm-slim AS base-debian
RUN apt-get update && apt-get install -y --no-install-recommends curl \
    && rm -rf /var/lib/apt/lists/* /usr/share/doc /usr/share/man /usr/share/locale

FROM ${DIST} AS dist

# --- the image ---------------------------------------------------------------------------------------------------
FROM ${BASE}
ARG VARIANT
# One layer per part, least often changed first, so an update downloads only what changed: the Java runtime, the
# Python tier (moto; botocore's specifications, which the protocol layer reads too; in the native-only image only
# the specifications), the libraries, then
# Polystack's own jar and launcher.
COPY --from=dist /opt/polystack/jre /opt/polystack/jre
COPY --from=dist /opt/polystack/vendor /opt/polystack/vendor
COPY --from=dist /opt/polystack/gateway/target/lib /opt/polystack/gateway/target/lib
COPY --from=dist /opt/polystack/polystack /opt/polystack/docker-entrypoint.sh /opt/polystack/healthcheck.sh /opt/polystack/
COPY --from=dist /opt/polystack/scripts /opt/polystack/scripts
COPY --from=dist /opt/polystack/gateway/target/*.jar /opt/polystack/gateway/target/classpath.txt /opt/polystack/gateway/target/
ENV JAVA_HOME=/opt/polystack/jre \
    POLYSTACK_RUNTIME_ONLY=1 \
    POLYSTACK_MOTO_PATH=/opt/polystack/vendor/moto \
    GATEWAY_LISTEN=0.0.0.0:4566 \
    DATA_DIR=/var/lib/localstack \
    HOME=/root \
    POLYSTACK_IMAGE_VARIANT=${VARIANT}
# The start-up cache is recorded here, by the image's own Java runtime with the image's paths, so that a
# container is ready in well under a second from its first start.
RUN mkdir -p /etc/localstack/init/boot.d /etc/localstack/init/start.d /etc/localstack/init/ready.d \
       /etc/localstack/init/shutdown.d /var/lib/localstack /usr/local/bin \
    && ln -s /opt/polystack/docker-entrypoint.sh /usr/local/bin/docker-entrypoint.sh \
    && /opt/polystack/polystack aot \
    && test -s /opt/polystack/gateway/target/polystack.aot
WORKDIR /opt/polystack
EXPOSE 4566
VOLUME /var/lib/localstack
HEALTHCHECK --interval=10s --timeout=5s --start-period=10s --retries=3 CMD ["/opt/polystack/healthcheck.sh"]
# LocalStack's entry point (Testcontainers' module runs it by this path). The launcher execs java, so the JVM is
# process 1 and gets SIGTERM itself: SHUTDOWN hooks run, state is saved.
ENTRYPOINT ["/usr/local/bin/docker-entrypoint.sh"]
