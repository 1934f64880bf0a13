#!/bin/bash
# The image's health check: /_localstack/health at the first address of GATEWAY_LISTEN (so it still finds the
# server when GATEWAY_LISTEN moves it off 4566), over HTTPS when USE_SSL=1 (the certificate is self-signed).
listen=${GATEWAY_LISTEN:-0.0.0.0:4566}
listen=${listen%%,*}
host=${listen%:*}
port=${listen##*:}
case $host in "" | 0.0.0.0) host=127.0.0.1 ;; "[::]") host="[::1]" ;; esac
scheme=http
[ "${USE_SSL:-0}" = 1 ] || [ "${USE_SSL:-}" = true ] && scheme=https
exec curl -fsk -o /dev/null --max-time 3 "$scheme://$host:$port/_localstack/health"
