#!/bin/sh
# Makes mosquitto-2.0.db, the fixture of MosquittoDbReaderTest, with the real mosquitto 2.0
# (Debian's 2.0.11: apt-get install mosquitto mosquitto-clients python3).
#
# What it holds, all from MQTT 3.1.1 clients:
#   retained:  retained/one (QoS 1, "r1"), retained/two (QoS 0, "r2")
#   session "subid":   subscriptions a/# QoS 1 and b/+ QoS 2; queued while offline:
#                      a/x QoS 1 "m1", b/y QoS 2 "m2" (a/z QoS 0 "m3" is dropped, as
#                      mosquitto does not queue QoS 0 by default)
#   session "flight":  subscription f/# QoS 2; f/one QoS 2 "f1" in flight, PUBREC sent
#                      (so mosquitto waits for PUBCOMP); f/two QoS 2 "f2" in flight, no PUBREC
#   session "inbound": published i/one QoS 2 "i1", got PUBREC and never sent PUBREL
#
# Usage: make-fixture.sh OUTPUT_FILE
set -eu
out=${1:?usage: make-fixture.sh OUTPUT_FILE}
dir=$(mktemp -d)
trap 'kill "$pid" 2>/dev/null || true; rm -rf "$dir"' EXIT
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
cat > "$dir/mosquitto.conf" <<CONF
persistence true
persistence_location $dir/
listener $port 127.0.0.1
allow_anonymous true
user $(id -un)
CONF
mosquitto -c "$dir/mosquitto.conf" > "$dir/log" 2>&1 &
pid=$!
python3 - "$port" <<'PY'
import socket, sys, time
port = int(sys.argv[1])
for _ in range(100):
    try:
        socket.create_connection(("127.0.0.1", port)).close(); break
    except OSError:
        time.sleep(0.05)
PY

pub() { mosquitto_pub -h 127.0.0.1 -p "$port" -V mqttv311 "$@"; }
sub() { mosquitto_sub -h 127.0.0.1 -p "$port" -V mqttv311 "$@"; }

pub -r -q 1 -t retained/one -m r1
pub -r -q 0 -t retained/two -m r2
sub -c -i subid -q 1 -t 'a/#' -E
sub -c -i subid -q 2 -t 'b/+' -E
pub -q 1 -t a/x -m m1
pub -q 2 -t b/y -m m2
pub -q 0 -t a/z -m m3

# The in-flight states need a client that stops half way through a QoS 2 exchange.
cat > "$dir/raw.py" <<'PY'
import socket, struct, sys
port, phase = int(sys.argv[1]), sys.argv[2]

def s16(b): return struct.pack(">H", len(b)) + b
def packet(kind, body): return bytes([kind, len(body)]) + body
def read(s):
    head = s.recv(1)
    length, shift = 0, 0
    while True:
        b = s.recv(1)[0]
        length |= (b & 0x7F) << shift
        shift += 7
        if b < 0x80: break
    body = b""
    while len(body) < length: body += s.recv(length - len(body))
    return head[0], body
def connect(cid):  # MQTT 3.1.1, clean session off
    s = socket.create_connection(("127.0.0.1", port))
    s.sendall(packet(0x10, s16(b"MQTT") + bytes([4, 0x00]) + struct.pack(">H", 60) + s16(cid)))
    assert read(s)[0] == 0x20
    return s

if phase == "subscribe":
    # session "flight" subscribes and goes away, so its messages queue up
    s = connect(b"flight")
    s.sendall(packet(0x82, struct.pack(">H", 1) + s16(b"f/#") + bytes([2])))
    assert read(s)[0] == 0x90
    s.close()
else:
    # it comes back and answers only the first PUBLISH, with PUBREC
    s = connect(b"flight")
    kind, body = read(s)
    assert kind & 0xF0 == 0x30, kind
    topic_len = struct.unpack(">H", body[:2])[0]
    s.sendall(packet(0x50, body[2 + topic_len:4 + topic_len]))
    assert read(s)[0] & 0xF0 == 0x30      # the second PUBLISH
    assert read(s)[0] == 0x62             # PUBREL for the first
    s.close()
    # session "inbound" publishes at QoS 2 and never sends PUBREL
    s = connect(b"inbound")
    s.sendall(packet(0x34, s16(b"i/one") + struct.pack(">H", 7) + b"i1"))
    assert read(s)[0] == 0x50
    s.close()
PY
python3 "$dir/raw.py" "$port" subscribe
pub -q 2 -t f/one -m f1
pub -q 2 -t f/two -m f2
python3 "$dir/raw.py" "$port" stop-half-way

kill -TERM "$pid"
wait "$pid" || true
cp "$dir/mosquitto.db" "$out"
echo "wrote $out ($(wc -c < "$out") bytes)"
