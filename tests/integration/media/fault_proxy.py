#!/usr/bin/env python3
"""An HTTP proxy in front of a real S3 server that answers some requests with
a fault, as S3 does under load, and forwards the rest (faults_s3.sh).

    fault_proxy.py PORT UPSTREAM_PORT LOG [--method PUT] [--path-contains TEXT]
                   [--times N | --always] [--status 503]

For each path that matches (method and substring), the first N requests get
the fault: 503 with S3's SlowDown <Error> body, or 500 with InternalError —
the bodies S3 documents for them (docs/media.md, "Retries"). Every request is
logged as one line: monotonic time, "FAULT" or "PASS", method, path, status;
every connection the client opens as "CONNECT - - 0".
Standard library only; one thread per connection, HTTP/1.1 keep-alive.
"""
import argparse
import http.client
import http.server
import sys
import threading
import time
import uuid

ERRORS = {
    503: ("SlowDown", "Please reduce your request rate."),
    500: ("InternalError", "We encountered an internal error. Please try again."),
}
HOP_BY_HOP = {"connection", "keep-alive", "proxy-connection", "transfer-encoding", "te", "trailer", "upgrade"}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("port", type=int)
    parser.add_argument("upstream_port", type=int)
    parser.add_argument("log")
    parser.add_argument("--method", default="PUT")
    parser.add_argument("--path-contains", default="")
    parser.add_argument("--times", type=int, default=1)
    parser.add_argument("--always", action="store_true")
    parser.add_argument("--status", type=int, default=503, choices=sorted(ERRORS))
    args = parser.parse_args()

    lock = threading.Lock()
    faults_by_path = {}
    log = open(args.log, "a", buffering=1)

    def record(kind, method, path, status):
        with lock:
            log.write("%.3f %s %s %s %d\n" % (time.monotonic(), kind, method, path, status))

    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *_):
            pass

        def setup(self):
            # One line per connection the client opens: the test of connection reuse counts them.
            super().setup()
            record("CONNECT", "-", "-", 0)

        def body(self):
            length = int(self.headers.get("Content-Length") or 0)
            return self.rfile.read(length) if length else b""

        def fault_due(self):
            if self.command != args.method or args.path_contains not in self.path:
                return False
            path = self.path.split("?", 1)[0]
            with lock:
                seen = faults_by_path.get(path, 0)
                faults_by_path[path] = seen + 1
            return args.always or seen < args.times

        def handle_any(self):
            body = self.body()  # read whole, so the connection stays usable
            path = self.path.split("?", 1)[0]
            if self.fault_due():
                code, message = ERRORS[args.status]
                # Logged before the reply: once the client has it, the test may stop the proxy.
                record("FAULT", self.command, path, args.status)
                reply = (
                    '<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>%s</Code><Message>%s</Message>'
                    "<RequestId>%s</RequestId><HostId>fault-proxy</HostId></Error>"
                    % (code, message, uuid.uuid4().hex[:16].upper())
                ).encode()
                self.send_response(args.status)
                self.send_header("Content-Type", "application/xml")
                self.send_header("Content-Length", str(len(reply)))
                self.end_headers()
                if self.command != "HEAD":
                    self.wfile.write(reply)
                return
            upstream = http.client.HTTPConnection("127.0.0.1", args.upstream_port, timeout=60)
            headers = {k: v for k, v in self.headers.items() if k.lower() not in HOP_BY_HOP}
            upstream.request(self.command, self.path, body=body, headers=headers)
            response = upstream.getresponse()
            data = response.read()
            upstream.close()
            record("PASS", self.command, path, response.status)
            self.send_response(response.status, response.reason)
            for name, value in response.getheaders():
                if name.lower() not in HOP_BY_HOP and name.lower() != "content-length":
                    self.send_header(name, value)
            # A HEAD's Content-Length is the object's: pass it through as it is.
            length = response.getheader("Content-Length") if self.command == "HEAD" else str(len(data))
            if length is not None:
                self.send_header("Content-Length", length)
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(data)

        do_GET = do_PUT = do_HEAD = do_DELETE = do_POST = handle_any

    server = http.server.ThreadingHTTPServer(("127.0.0.1", args.port), Handler)
    server.daemon_threads = True
    print("fault proxy on 127.0.0.1:%d -> %d" % (args.port, args.upstream_port), file=sys.stderr, flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
