#!/usr/bin/env python3
"""Sends JSON-RPC messages to a busrpc gateway in a chosen framing and prints the bytes both ways.

The examples in PROTOCOL.md were made with it against the demo (conf/busrpc.json):

  python3 docs/wire.py --port 7000 --framing line '{"jsonrpc":"2.0","method":"rpc.ping","id":1}'
  python3 docs/wire.py --port 7000 --raw '\\x00\\x20\\x00\\x00'       # bytes as given, no framing

Each MESSAGE is framed (len, line or lsp) unless --raw, where it is a Python bytes escape sent as
is. Output: '>' what was sent, '<' what came back, one frame per line, the 4-byte length prefix
in hex, CR and LF escaped; then whether the server closed the connection. --shut half-closes
after sending (like `printf ... | nc`); --wait is how long to wait for more bytes (default 1 s).
"""
import argparse
import socket
import struct


def escape(data):
    return "".join(chr(b) if 0x20 <= b < 0x7f else
                   {0x0d: "\\r", 0x0a: "\\n"}.get(b, "\\x%02x" % b) for b in data)


def frame(framing, payload):
    if framing == "len":
        return struct.pack(">I", len(payload)) + payload
    if framing == "line":
        return payload + b"\n"
    return b"Content-Length: %d\r\n\r\n" % len(payload) + payload


def split(framing, data):
    """Cuts a byte stream into printable frames; whatever does not parse is shown as it is."""
    out = []
    while data:
        if framing == "len" and len(data) >= 4 and len(data) >= 4 + struct.unpack(">I", data[:4])[0]:
            n = struct.unpack(">I", data[:4])[0]
            out.append("[%s] %s" % (data[:4].hex(" "), escape(data[4:4 + n])))
            data = data[4 + n:]
        elif framing == "line" and b"\n" in data:
            i = data.index(b"\n") + 1
            out.append(escape(data[:i]))
            data = data[i:]
        elif framing == "lsp" and b"\r\n\r\n" in data:
            head, rest = data.split(b"\r\n\r\n", 1)
            n = int(head.split(b":")[1])
            out.append(escape(head + b"\r\n\r\n" + rest[:n]))
            data = rest[n:]
        else:
            out.append(escape(data))
            break
    return out


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=7000)
    p.add_argument("--framing", choices=["len", "line", "lsp"], default="line")
    p.add_argument("--raw", action="store_true")
    p.add_argument("--shut", action="store_true")
    p.add_argument("--wait", type=float, default=1.0)
    p.add_argument("messages", nargs="+", metavar="MESSAGE")
    a = p.parse_args()
    if a.raw:
        sent = [m.encode("latin-1").decode("unicode_escape").encode("latin-1") for m in a.messages]
    else:
        sent = [frame(a.framing, m.encode()) for m in a.messages]
    s = socket.create_connection((a.host, a.port))
    s.sendall(b"".join(sent))
    for chunk in sent:
        if a.raw and chunk[:1] == b"\x00":
            lines = ["[%s] %s" % (chunk[:4].hex(" "), escape(chunk[4:]))]
        else:
            lines = [escape(chunk)] if a.raw else split(a.framing, chunk)
        for line in lines:
            print(">", line)
    if a.shut:
        s.shutdown(socket.SHUT_WR)
        print("> [half-close]")
    s.settimeout(a.wait)
    data, closed = b"", False
    try:
        while True:
            chunk = s.recv(65536)
            if not chunk:
                closed = True
                break
            data += chunk
    except socket.timeout:
        pass
    framing = a.framing if not a.raw else "len" if sent[0][:1] == b"\x00" else "lsp" if sent[0][:1] in b"Cc" else "line"
    for line in split(framing, data):
        print("<", line)
    print("[closed by the server]" if closed else "[connection still open]")


if __name__ == "__main__":
    main()
