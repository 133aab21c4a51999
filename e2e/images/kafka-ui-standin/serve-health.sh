#!/bin/bash
# kafka-ui stand-in: answers every HTTP request on $SERVER_PORT (kafka-ui's setting, default 8080)
# with 200 {"status":"UP"}, so probes of /actuator/health (kafka-ui's health endpoint) pass.
# Nothing else of kafka-ui is emulated.
port=${SERVER_PORT:-8080}
body='{"status":"UP"}'
while true; do
  printf 'HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: %d\r\nConnection: close\r\n\r\n%s' "${#body}" "$body" |
    nc -l -N "$port" > /dev/null 2>&1 || sleep 1
done
