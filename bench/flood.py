#!/usr/bin/env python3
"""Unread-flood check: one client pipelines N `echo` calls with a 1 KiB string and never reads its
answers, while a second client keeps calling `sum`. Prints the gateway's resident memory (RSS,
from /proc) before and after, how many requests TCP accepted before backpressure stopped the
flooder, and the second client's round-trip times during the flood.

    python3 bench/flood.py --port 7000 --pid $(pgrep -f 'busrpc.jar -conf') --requests 300000
"""
import argparse, json, socket, statistics, threading, time


def rss_mib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def flood(port, requests, stop_after_blocked, result):
    payload = "x" * 1024
    s = socket.create_connection(("127.0.0.1", port))
    s.settimeout(stop_after_blocked)
    sent = 0
    batch = []
    try:
        for i in range(requests):
            batch.append(json.dumps({"jsonrpc": "2.0", "method": "echo", "params": [payload], "id": i}) + "\n")
            if len(batch) == 64 or i == requests - 1:
                s.sendall("".join(batch).encode())
                sent += len(batch)
                batch = []
    except socket.timeout:
        pass  # the gateway stopped reading: backpressure
    result["sent"] = sent
    result["socket"] = s  # keep it open (and unread) until the measurement is done


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--port", type=int, default=7000)
    ap.add_argument("--pid", type=int, required=True, help="the gateway's process id, for its RSS")
    ap.add_argument("--requests", type=int, default=300000)
    ap.add_argument("--blocked", type=float, default=5.0, help="seconds blocked before the flooder gives up")
    args = ap.parse_args()

    before = rss_mib(args.pid)
    result = {}
    t = threading.Thread(target=flood, args=(args.port, args.requests, args.blocked, result))
    t.start()
    probe = socket.create_connection(("127.0.0.1", args.port))
    reader = probe.makefile("rb")
    rtts = []
    i = 0
    while t.is_alive():
        start = time.perf_counter()
        probe.sendall(json.dumps({"jsonrpc": "2.0", "method": "sum", "params": [i, 1], "id": i}).encode() + b"\n")
        reader.readline()
        rtts.append((time.perf_counter() - start) * 1000)
        i += 1
        time.sleep(0.01)
    t.join()
    peak = rss_mib(args.pid)
    print(f"requests accepted by TCP before backpressure: {result['sent']} of {args.requests}")
    print(f"gateway RSS before: {before:.0f} MiB, with the unread flood held: {peak:.0f} MiB, growth {peak - before:.0f} MiB")
    print(f"other client's sum round trips during the flood: {len(rtts)} calls, "
          f"p50 {statistics.median(rtts):.2f} ms, max {max(rtts):.2f} ms")
    result["socket"].close()


if __name__ == "__main__":
    main()
