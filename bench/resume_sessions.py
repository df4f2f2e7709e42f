#!/usr/bin/env python3
"""Client side of bench/resume-memory.sh: logs N resumable sessions in (one room), drops their
connections, sends K room messages to them, and reads the server's heap after a full GC (jcmd) at
each step. Plain blocking sockets, line framing, one request at a time: the figures are the
server's heap, not a speed."""
import argparse
import json
import re
import resource
import socket
import struct
import subprocess
import sys
import time


def jcmd(pid, command):
    """Runs jcmd; a JVM that has just started may refuse the attach for a moment, so up to 10 tries."""
    for attempt in range(10):
        done = subprocess.run(["jcmd", str(pid), command], capture_output=True, text=True)
        if done.returncode == 0:
            return done.stdout
        time.sleep(1)
    raise SystemExit(f"jcmd {pid} {command} failed: {done.stdout} {done.stderr}")


def heap_used(pid):
    """The server's used heap in bytes after a full GC: the lower of two GC.run + GC.heap_info."""
    best = None
    for _ in range(2):
        jcmd(pid, "GC.run")
        info = jcmd(pid, "GC.heap_info")
        used = int(re.search(r"used (\d+)K", info).group(1)) * 1024
        best = used if best is None else min(best, used)
    return best


class Line:
    """One line-framed connection; reads until the answer with the id asked for."""

    def __init__(self, port):
        self.sock = socket.create_connection(("127.0.0.1", port))
        self.file = self.sock.makefile("rb")

    def call(self, method, params, id_):
        self.sock.sendall((json.dumps({"jsonrpc": "2.0", "method": method, "params": params, "id": id_}) + "\n").encode())
        while True:
            line = self.file.readline()
            if not line:
                raise SystemExit(f"connection closed waiting for the answer to {method}")
            message = json.loads(line)
            if message.get("id") == id_:
                if "error" in message:
                    raise SystemExit(f"{method} failed: {message['error']}")
                return message["result"]

    def send(self, message):
        self.sock.sendall((json.dumps(message) + "\n").encode())

    def drop(self):
        # A reset, no goodbye: as a phone losing its network looks to the server (RST, SO_LINGER 0).
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.file.close()
        self.sock.close()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--pid", type=int, required=True)
    parser.add_argument("--sessions", type=int, default=5000)
    parser.add_argument("--messages", type=int, default=10)
    parser.add_argument("--text", type=int, default=100)
    args = parser.parse_args()
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, max(soft, args.sessions + 100)), hard))
    run = str(int(time.time()) % 100000)
    room = f"mem-{run}"
    n = args.sessions

    figures = [("no session", heap_used(args.pid))]
    lines = []
    for i in range(n):
        line = Line(args.port)
        result = line.call("rpc.login", {"uid": f"mem-{run}-{i}", "resume": True}, 1)
        if "resume" not in result:
            raise SystemExit(f"no resume token: {result} (is gateway.resumeWindow 0?)")
        line.call("chat.join", {"room": room}, 2)
        line.send({"jsonrpc": "2.0", "method": "rpc.ack", "params": {"seq": 1}})  # the join's answer: the server drops its copy
        lines.append(line)
    time.sleep(1)
    figures.append((f"{n} resumable sessions, connected", heap_used(args.pid)))
    for line in lines:
        line.drop()
    lines.clear()
    time.sleep(2)
    figures.append((f"{n} detached sessions, buffers empty", heap_used(args.pid)))
    sender = Line(args.port)
    sender.call("rpc.login", {"uid": f"mem-{run}-sender"}, 1)
    text = "x" * args.text
    for k in range(args.messages):
        sender.call("chat.say", {"room": room, "text": text}, 10 + k)
    # A room message reaches its members one bus delivery each: read the heap until it stops growing.
    kept = heap_used(args.pid)
    for _ in range(10):
        time.sleep(3)
        again = heap_used(args.pid)
        if abs(again - kept) < 0.02 * kept:
            break
        kept = again
    figures.append((f"{n} detached sessions, {args.messages} messages kept each", max(kept, again)))

    base = figures[0][1]
    print(f"| step | used heap after full GC | per session, above no session |")
    print("| --- | ---: | ---: |")
    for name, used in figures:
        per = "-" if used == base else f"{(used - base) / n:,.0f} B"
        print(f"| {name} | {used / 1048576:,.1f} MiB | {per} |")
    kept = figures[3][1] - figures[2][1]
    print(f"\nthe {args.messages} messages kept: {kept / n:,.0f} B per session, {kept / n / max(1, args.messages):,.0f} B per message "
          f"(text {args.text} B; the JSON-RPC notification is {len(json.dumps({'jsonrpc': '2.0', 'method': 'chat.message', 'params': {'room': room, 'from': 'mem-' + run + '-sender', 'text': text}}, separators=(',', ':')))} B)")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
