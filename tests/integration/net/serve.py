#!/usr/bin/env python3
"""A loopback HTTP server that misbehaves on request, for the network tests.

    serve.py ROOT PORT_FILE [--token TOKEN] [--tls CERT KEY]

Binds 127.0.0.1 on a free port, writes the port to PORT_FILE once it listens,
and serves the files under ROOT (HTTP/1.1, Content-Length, keep-alive). With
--token every request must carry the query parameter X-Amz-Signature=TOKEN, as
a signed S3 URL does; otherwise the answer is S3's 403 XML error. With --tls
it speaks https with the given (self-signed) certificate.

Paths that misbehave (FILE is a file under ROOT):
    /cut/N/FILE           announces FILE's full Content-Length, sends N bytes, closes
    /chunked-cut/N/FILE   chunked encoding, N bytes, closes without the last chunk
    /stall/N/FILE         sends N bytes of FILE, then nothing (the socket stays open)
    /slow/BPS/FILE        sends FILE at BPS bytes per second
    /status/CODE          answers CODE with a short body
    /redirect/FILE        302 to /FILE (the query string kept)
    /redirect-loop        302 to itself, forever
    /redirect-http/PORT/FILE  302 to http://127.0.0.1:PORT/FILE (a TLS downgrade)
    /moved                301 to /, which answers 200
"""

import argparse
import http.server
import os
import socket
import ssl
import sys
import time
import urllib.parse

S3_DENIED = (b'<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>AccessDenied</Code>'
             b'<Message>Request has expired</Message><X-Amz-Expires>3600</X-Amz-Expires>'
             b'<RequestId>0123456789ABCDEF</RequestId></Error>')


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    root = "."
    token = None

    def log_message(self, fmt, *args):
        sys.stderr.write("serve.py: " + (fmt % args) + "\n")

    def send_body(self, code, body, content_type="text/plain", extra=()):
        self.send_response(code)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in extra:
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def file_path(self, name):
        path = os.path.realpath(os.path.join(self.root, urllib.parse.unquote(name)))
        if not path.startswith(os.path.realpath(self.root) + os.sep) or not os.path.isfile(path):
            return None
        return path

    def send_file_head(self, path):
        self.send_response(200)
        self.send_header("Content-Type", "application/octet-stream")
        self.send_header("Content-Length", str(os.path.getsize(path)))
        self.end_headers()

    def do_GET(self):
        url = urllib.parse.urlsplit(self.path)
        query = urllib.parse.parse_qs(url.query)
        if self.token is not None and query.get("X-Amz-Signature") != [self.token]:
            self.send_body(403, S3_DENIED, "application/xml")
            return
        parts = url.path.lstrip("/").split("/")
        kind = parts[0]
        suffix = ("?" + url.query) if url.query else ""

        if kind == "status":
            code = int(parts[1])
            self.send_body(code, b"status %d\n" % code)
        elif kind == "redirect":
            self.send_body(302, b"", extra=[("Location", "/" + "/".join(parts[1:]) + suffix)])
        elif kind == "redirect-http":
            target = "http://127.0.0.1:%s/%s%s" % (parts[1], "/".join(parts[2:]), suffix)
            self.send_body(302, b"", extra=[("Location", target)])
        elif kind == "redirect-loop":
            self.send_body(302, b"", extra=[("Location", "/redirect-loop" + suffix)])
        elif kind == "moved":
            self.send_body(301, b"moved\n", extra=[("Location", "/")])
        elif kind == "" and len(parts) == 1:
            self.send_body(200, b"<html><body>home</body></html>\n", "text/html")
        elif kind in ("cut", "chunked-cut", "stall", "slow"):
            path = self.file_path("/".join(parts[2:]))
            if path is None:
                self.send_body(404, b"not found\n")
                return
            number = int(parts[1])
            with open(path, "rb") as f:
                data = f.read()
            if kind == "cut":
                self.send_file_head(path)
                self.wfile.write(data[:number])
                self.wfile.flush()
                self.close_connection = True
                self.connection.shutdown(socket.SHUT_RDWR)
            elif kind == "chunked-cut":
                self.send_response(200)
                self.send_header("Transfer-Encoding", "chunked")
                self.end_headers()
                self.wfile.write(b"%x\r\n%s\r\n" % (number, data[:number]))
                self.wfile.flush()
                self.close_connection = True
                self.connection.shutdown(socket.SHUT_RDWR)
            elif kind == "stall":
                self.send_file_head(path)
                self.wfile.write(data[:number])
                self.wfile.flush()
                time.sleep(3600)
            else:
                self.send_file_head(path)
                for start in range(0, len(data), number):
                    self.wfile.write(data[start:start + number])
                    self.wfile.flush()
                    time.sleep(1)
        else:
            path = self.file_path(url.path.lstrip("/"))
            if path is None:
                self.send_body(404, b"not found\n")
                return
            self.send_file_head(path)
            with open(path, "rb") as f:
                while True:
                    block = f.read(256 * 1024)
                    if not block:
                        break
                    self.wfile.write(block)


class Server(http.server.ThreadingHTTPServer):
    daemon_threads = True  # a stalled response must not keep the server from exiting


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("root")
    parser.add_argument("port_file")
    parser.add_argument("--token")
    parser.add_argument("--tls", nargs=2, metavar=("CERT", "KEY"))
    args = parser.parse_args()
    Handler.root = args.root
    Handler.token = args.token
    server = Server(("127.0.0.1", 0), Handler)
    if args.tls:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(*args.tls)
        server.socket = context.wrap_socket(server.socket, server_side=True)
    with open(args.port_file + ".tmp", "w") as f:
        f.write(str(server.server_address[1]))
    os.rename(args.port_file + ".tmp", args.port_file)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
