#!/bin/sh
# The image's entry point, as eclipse-mosquitto's: started as root, it hands /mosquitto (the
# mounted config, data and log) to user mosquitto, whom the broker becomes once its listeners
# are open; then it runs the command, e.g. the broker or `sh`.
set -e

if [ "$(id -u)" = '0' ]; then
  [ -d "/mosquitto" ] && chown -R mosquitto:mosquitto /mosquitto || true
fi

exec "$@"
