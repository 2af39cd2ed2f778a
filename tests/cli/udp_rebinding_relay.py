#!/usr/bin/env python3
"""A UDP relay that stands in for a NAT which rebinds: datagrams from the
client go on to the server from one local port, and after the first N of
them from a new local port, as when a NAT forgets a mapping and makes a new
one. Whatever the server sends to either port goes back to the client.

It prints "listening on PORT" once ready and "rebound from PORT to PORT
after N datagrams" when it switches; it stops after --seconds.

Usage: udp_rebinding_relay.py --server PORT --after N [--seconds S]
(loopback only: it listens on 127.0.0.1 and forwards to 127.0.0.1).
"""
import argparse
import selectors
import socket
import sys
import time


def bound_socket():
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind(("127.0.0.1", 0))
    s.setblocking(False)
    return s


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--server", type=int, required=True)
    parser.add_argument("--after", type=int, required=True)
    parser.add_argument("--seconds", type=float, default=60)
    args = parser.parse_args()
    server = ("127.0.0.1", args.server)

    front = bound_socket()
    upstream = bound_socket()
    old_upstreams = []
    selector = selectors.DefaultSelector()
    selector.register(front, selectors.EVENT_READ, "front")
    selector.register(upstream, selectors.EVENT_READ, "upstream")
    print(f"listening on {front.getsockname()[1]}", flush=True)

    client = None
    forwarded = 0
    deadline = time.monotonic() + args.seconds
    while time.monotonic() < deadline:
        for key, _ in selector.select(timeout=0.1):
            sock = key.fileobj
            while True:
                try:
                    data, sender = sock.recvfrom(65535)
                except BlockingIOError:
                    break
                if key.data == "front":
                    client = sender
                    if forwarded == args.after:
                        old_port = upstream.getsockname()[1]
                        old_upstreams.append(upstream)
                        upstream = bound_socket()
                        selector.register(upstream, selectors.EVENT_READ, "upstream")
                        print(f"rebound from {old_port} to {upstream.getsockname()[1]} after {forwarded} datagrams",
                              flush=True)
                    upstream.sendto(data, server)
                    forwarded += 1
                elif client is not None and sender == server:
                    front.sendto(data, client)
    return 0


if __name__ == "__main__":
    sys.exit(main())
