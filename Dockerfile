# Polystack container: build on a JDK, run on a JRE. Same port, volume and environment variables as LocalStack.
#   docker build -t polystack .
#   docker run --rm -p 4566:4566 -v polystack-data:/var/lib/localstack polystack

# --- build ------------------------------------------------------------------------------------------------------
FROM eclipse-temurin:25-jdk AS build
RUN apt-get update && apt-get install -y --no-install-recommends python3 python3-pip \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY . .
# pip (for botocore's specifications) must be allowed to install into vendor/python inside the image.
ENV PIP_BREAK_SYSTEM_PACKAGES=1
RUN ./mvnw -q -B package -DskipTests \
    && mkdir -p /opt/polystack/gateway/target /opt/polystack/scripts /opt/polystack/vendor \
    && cp -r gateway/target/gateway-*.jar gateway/target/lib gateway/target/classpath.txt /opt/polystack/gateway/target/ \
    && cp -r vendor/python /opt/polystack/vendor/ \
    && cp scripts/find-jdk.sh /opt/polystack/scripts/ \
    && cp polystack /opt/polystack/ \
    && touch /opt/polystack/gateway/target/.polystack-built

# --- run --------------------------------------------------------------------------------------------------------
FROM eclipse-temurin:25-jre
RUN apt-get update && apt-get install -y --no-install-recommends curl \
    && rm -rf /var/lib/apt/lists/* \
    && mkdir -p /etc/localstack/init/boot.d /etc/localstack/init/start.d /etc/localstack/init/ready.d \
       /etc/localstack/init/shutdown.d /var/lib/localstack
COPY --from=build /opt/polystack /opt/polystack
# Record the start-up cache with this image's JVM (it must be the same JVM that uses it).
RUN POLYSTACK_RUNTIME_ONLY=1 /opt/polystack/polystack aot
WORKDIR /opt/polystack
ENV GATEWAY_LISTEN=0.0.0.0:4566 \
    DATA_DIR=/var/lib/localstack \
    POLYSTACK_RUNTIME_ONLY=1
EXPOSE 4566
VOLUME /var/lib/localstack
HEALTHCHECK --interval=10s --timeout=3s --start-period=10s \
    CMD curl -fs http://localhost:4566/_localstack/health > /dev/null || exit 1
ENTRYPOINT ["/opt/polystack/polystack", "start"]
