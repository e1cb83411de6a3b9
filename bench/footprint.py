#!/usr/bin/env python3
"""Memory per subscription and per retained message, Midge and mosquitto (bench/footprint.py).

Starts each broker on a loopback port, then has one client subscribe to N distinct filters
(fp/s/<i>/+, 100 to a SUBSCRIBE), publish N retained messages of 16 bytes (fp/r/<i>), and N
QoS 1 messages of 16 bytes queued for an offline persistent session (fp/q/<i % 100>), and
reads the broker's memory before and after each: for Midge the heap in use after a full GC
(jcmd GC.run, GC.heap_info), for mosquitto its own count of its allocations ($SYS/broker/heap/current).
No dependencies beyond Python 3; MQTT 3.1.1 packets are written by hand.

Usage: bench/footprint.py [--count 100000] [--brokers midge,mosquitto]
"""
import argparse, os, re, socket, struct, subprocess, sys, tempfile, time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def remaining(n):
    out = bytearray()
    while True:
        b, n = n % 128, n // 128
        out.append(b | (0x80 if n else 0))
        if not n:
            return bytes(out)


def utf8(s):
    b = s.encode()
    return struct.pack('>H', len(b)) + b


def packet(first, body):
    return bytes([first]) + remaining(len(body)) + body


def read_packet(sock):
    first = recv_exactly(sock, 1)[0]
    mult, length = 1, 0
    while True:
        b = recv_exactly(sock, 1)[0]
        length += (b & 0x7F) * mult
        mult *= 128
        if not b & 0x80:
            break
    return first, recv_exactly(sock, length)


def recv_exactly(sock, n):
    data = b''
    while len(data) < n:
        chunk = sock.recv(n - len(data))
        if not chunk:
            raise ConnectionError('broker closed the connection')
        data += chunk
    return data


def connect(port, client_id, clean=True):
    sock = socket.create_connection(('127.0.0.1', port))
    sock.sendall(packet(0x10, utf8('MQTT') + bytes([4, 2 if clean else 0]) + struct.pack('>H', 60) + utf8(client_id)))
    first, body = read_packet(sock)
    assert first == 0x20 and body[1] == 0, 'CONNACK refused'
    return sock


def ping(sock):
    sock.sendall(b'\xc0\x00')
    while read_packet(sock)[0] != 0xD0:
        pass  # PUBACKs of what came before


def subscribe_many(sock, count):
    packet_id = 0
    for start in range(0, count, 100):
        packet_id = packet_id % 65535 + 1
        filters = b''.join(utf8('fp/s/%d/+' % i) + b'\x00' for i in range(start, min(count, start + 100)))
        sock.sendall(packet(0x82, struct.pack('>H', packet_id) + filters))
        while read_packet(sock)[0] != 0x90:
            pass


def retain_many(sock, count):
    for i in range(count):
        sock.sendall(packet(0x31, utf8('fp/r/%d' % i) + b'0123456789abcdef'))
        if i % 1000 == 999:
            ping(sock)
    ping(sock)


def queue_many(port, sock, count):
    offline = connect(port, 'fp-offline', clean=False)
    offline.sendall(packet(0x82, struct.pack('>H', 1) + utf8('fp/q/#') + b'\x01'))
    while read_packet(offline)[0] != 0x90:
        pass
    offline.sendall(b'\xe0\x00')
    offline.close()
    time.sleep(0.5)
    for i in range(count):
        packet_id = i % 65535 + 1
        sock.sendall(packet(0x32, utf8('fp/q/%d' % (i % 100)) + struct.pack('>H', packet_id) + b'0123456789abcdef'))
        if i % 100 == 99:
            ping(sock)
    ping(sock)


def wait_port(port):
    for _ in range(200):
        try:
            socket.create_connection(('127.0.0.1', port)).close()
            return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError('broker did not open port %d' % port)


def midge_heap(pid):
    subprocess.run(['jcmd', str(pid), 'GC.run'], check=True, capture_output=True)
    info = subprocess.run(['jcmd', str(pid), 'GC.heap_info'], check=True, capture_output=True, text=True).stdout
    return sum(int(k) * 1024 for k in re.findall(r'used (\d+)K', info.split('Metaspace')[0]))


def mosquitto_heap(port):
    sock = connect(port, 'fp-sys-%d' % time.time_ns())
    sock.sendall(packet(0x82, struct.pack('>H', 1) + utf8('$SYS/broker/heap/current') + b'\x00'))
    while True:
        first, body = read_packet(sock)
        if first & 0xF0 == 0x30:
            topic_len = struct.unpack('>H', body[:2])[0]
            sock.close()
            return int(body[2 + topic_len:])


def measure(broker, count, port):
    conf = tempfile.NamedTemporaryFile('w', suffix='.conf', delete=False)
    conf.write('listener %d 127.0.0.1\nallow_anonymous true\nsys_interval 1\nlog_type error\nmax_queued_messages 0\n' % port)
    conf.close()
    cmd = [os.path.join(ROOT, 'midge'), '-c', conf.name] if broker == 'midge' else ['mosquitto', '-c', conf.name]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_port(port)
        time.sleep(2 if broker == 'midge' else 1.5)
        heap = (lambda: midge_heap(proc.pid)) if broker == 'midge' else (lambda: (time.sleep(1.2), mosquitto_heap(port))[1])
        sock = connect(port, 'fp-client')
        before = heap()
        subscribe_many(sock, count)
        after_subs = heap()
        retain_many(sock, count)
        after_retained = heap()
        queue_many(port, sock, count)
        after_queued = heap()
        sock.close()
        return (after_subs - before) / count, (after_retained - after_subs) / count, (after_queued - after_retained) / count
    finally:
        proc.terminate()
        proc.wait()
        os.unlink(conf.name)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('--count', type=int, default=100000)
    parser.add_argument('--brokers', default='midge,mosquitto')
    args = parser.parse_args()
    print('| broker | bytes per subscription | bytes per retained message | bytes per queued message |')
    print('| --- | --- | --- | --- |')
    port = 18950
    for broker in args.brokers.split(','):
        port += 1
        per_sub, per_retained, per_queued = measure(broker, args.count, port)
        print('| %s | %.0f | %.0f | %.0f |' % (broker, per_sub, per_retained, per_queued))
        sys.stdout.flush()


if __name__ == '__main__':
    main()
