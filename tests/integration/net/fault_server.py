#!/usr/bin/env python3
"""A loopback TCP server that fails in one way, for the fault tests.

    fault_server.py MODE PORT_FILE

Binds 127.0.0.1 on a free port, writes the port to PORT_FILE once it listens,
and treats every connection according to MODE:
    stall   reads what the client sends and never answers (the socket stays open)
    reset   reads the first request bytes, then resets the connection (RST)
    close   closes the connection at once, before reading anything
"""

import os
import socket
import struct
import sys
import threading
import time


def reset(conn):
    # SO_LINGER with a zero timeout makes close() send RST instead of FIN.
    conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    conn.close()


def handle(conn, mode):
    try:
        if mode == "close":
            conn.close()
            return
        conn.settimeout(5)
        try:
            conn.recv(4096)
        except OSError:
            pass
        if mode == "stall":
            conn.settimeout(None)
            while conn.recv(4096):
                pass
            time.sleep(3600)
        elif mode == "reset":
            reset(conn)
    except OSError:
        pass


def main():
    mode, port_file = sys.argv[1], sys.argv[2]
    if mode not in ("stall", "reset", "close"):
        sys.exit(f"fault_server.py: unknown mode {mode}")
    server = socket.socket()
    server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    server.bind(("127.0.0.1", 0))
    server.listen(16)
    with open(port_file + ".tmp", "w") as f:
        f.write(str(server.getsockname()[1]))
    os.rename(port_file + ".tmp", port_file)
    while True:
        conn, _ = server.accept()
        threading.Thread(target=handle, args=(conn, mode), daemon=True).start()


if __name__ == "__main__":
    main()
