#!/usr/bin/env python3
"""A small HTTP file server for iree-suite's fetch tests (standard library only).

Serves --root on 127.0.0.1 at an ephemeral port, printed as the first line of
stdout. Supports HEAD/GET, Range (206 + Content-Range), ETag/Last-Modified and
conditional GET (304), sends Content-Length and Content-MD5 (base64, as Azure
blob storage does). Every request is logged as one JSON line to --log.

Faults come from --faults, a JSON file reread on every request:
  {"/path": {"drop_after": N, "drop_count": K,      # close after N body bytes, first K GETs
             "error_status": 503, "error_count": K,  # answer with an error, first K GETs
             "wrong_md5": true,                      # send a wrong Content-MD5
             "stall_after": N, "stall_s": S, "stall_count": K,  # sleep mid-body
             "ignore_range": true,                   # always answer 200
             "no_md5": true, "no_etag": true,        # omit those headers
             "no_length": true,                      # no Content-Length: the close ends the body
             "redirect_to": URL}}                    # answer 302 with this Location
Counts are per path over GET requests. The server exits after --idle-timeout
seconds without requests, so nothing outlives a test.
"""

import argparse
import base64
import email.utils
import hashlib
import json
import os
import socket
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

ARGS = None
LOCK = threading.Lock()
GET_COUNTS = {}
LAST_ACTIVITY = [time.monotonic()]


def load_faults(path):
    if not ARGS.faults or not os.path.exists(ARGS.faults):
        return {}
    with open(ARGS.faults) as f:
        return json.load(f).get(path, {})


def log(entry):
    with LOCK:
        with open(ARGS.log, "a") as f:
            f.write(json.dumps(entry) + "\n")


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, format, *args):  # quiet: the JSON log is the record
        pass

    def do_HEAD(self):
        self.serve(head=True)

    def do_GET(self):
        self.serve(head=False)

    def serve(self, head):
        LAST_ACTIVITY[0] = time.monotonic()
        path = self.path.split("?", 1)[0]
        entry = {"method": self.command, "path": path, "range": self.headers.get("Range"),
                 "if_none_match": self.headers.get("If-None-Match"),
                 "if_modified_since": self.headers.get("If-Modified-Since"),
                 "if_range": self.headers.get("If-Range"), "status": 0, "body_bytes": 0}
        try:
            self.respond(path, head, entry)
        except (BrokenPipeError, ConnectionResetError):
            entry["error"] = "client went away"
            self.close_connection = True
        finally:
            log(entry)

    def send_simple(self, status, entry, body=b""):
        entry["status"] = status
        self.send_response(status)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if body and self.command != "HEAD":
            self.wfile.write(body)
            entry["body_bytes"] = len(body)

    def respond(self, path, head, entry):
        faults = load_faults(path)
        count = 0
        if not head:
            with LOCK:
                count = GET_COUNTS.get(path, 0)
                GET_COUNTS[path] = count + 1
        if faults.get("error_status") and count < faults.get("error_count", 1 << 30):
            return self.send_simple(int(faults["error_status"]), entry, b"injected error\n")
        if faults.get("redirect_to"):
            entry["status"] = 302
            self.send_response(302)
            self.send_header("Location", faults["redirect_to"])
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        file = os.path.realpath(os.path.join(ARGS.root, path.lstrip("/")))
        if not file.startswith(os.path.realpath(ARGS.root) + os.sep) or not os.path.isfile(file):
            return self.send_simple(404, entry, b"not found\n")
        with open(file, "rb") as f:
            data = f.read()
        stat = os.stat(file)
        etag = '"%s"' % hashlib.md5(data).hexdigest()
        last_modified = email.utils.formatdate(stat.st_mtime, usegmt=True)
        md5 = hashlib.md5(data).digest()
        if faults.get("wrong_md5"):
            md5 = hashlib.md5(data + b"x").digest()

        if_none_match = self.headers.get("If-None-Match")
        if_modified_since = self.headers.get("If-Modified-Since")
        not_modified = False
        if if_none_match is not None:
            not_modified = if_none_match == etag and not faults.get("no_etag")
        elif if_modified_since is not None:
            since = email.utils.parsedate_to_datetime(if_modified_since).timestamp()
            not_modified = int(stat.st_mtime) <= since
        if not_modified:
            entry["status"] = 304
            self.send_response(304)
            if not faults.get("no_etag"):
                self.send_header("ETag", etag)
            self.end_headers()
            return

        start, status = 0, 200
        range_header = self.headers.get("Range")
        if_range = self.headers.get("If-Range")
        range_valid = if_range is None or if_range in (etag, last_modified)
        if range_header and range_valid and not faults.get("ignore_range"):
            spec = range_header.replace("bytes=", "").split("-")[0]
            start = int(spec)
            if start >= len(data):
                entry["status"] = 416
                self.send_response(416)
                self.send_header("Content-Range", "bytes */%d" % len(data))
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            status = 206
        body = data[start:]
        entry["status"] = status
        self.send_response(status)
        if faults.get("no_length"):
            self.close_connection = True  # the end of the body is the end of the connection
        else:
            self.send_header("Content-Length", str(len(body)))
        self.send_header("Accept-Ranges", "bytes")
        self.send_header("Last-Modified", last_modified)
        if not faults.get("no_etag"):
            self.send_header("ETag", etag)
        if status == 206:
            self.send_header("Content-Range", "bytes %d-%d/%d" % (start, len(data) - 1, len(data)))
        elif not faults.get("no_md5"):
            self.send_header("Content-MD5", base64.b64encode(md5).decode())
        self.end_headers()
        if head:
            return

        drop = faults.get("drop_after") is not None and count < faults.get("drop_count", 1 << 30)
        stall = faults.get("stall_after") is not None and count < faults.get("stall_count", 1 << 30)
        limit = min(faults["drop_after"], len(body)) if drop else len(body)
        sent = 0
        while sent < limit:
            chunk_end = min(limit, sent + 65536)
            if stall and sent <= faults["stall_after"] < chunk_end:
                chunk_end = max(faults["stall_after"], sent + 1)
            self.wfile.write(body[sent:chunk_end])
            sent = chunk_end
            entry["body_bytes"] = sent
            if stall and sent == faults["stall_after"]:
                self.wfile.flush()
                time.sleep(float(faults.get("stall_s", 5)))
                stall = False
        if drop:
            self.wfile.flush()
            self.close_connection = True
            self.connection.shutdown(socket.SHUT_RDWR)
            entry["dropped"] = True


def main():
    global ARGS
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", required=True)
    parser.add_argument("--log", required=True)
    parser.add_argument("--faults")
    parser.add_argument("--idle-timeout", type=float, default=120)
    ARGS = parser.parse_args()
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    print(server.server_address[1], flush=True)

    def watchdog():
        while time.monotonic() - LAST_ACTIVITY[0] < ARGS.idle_timeout:
            time.sleep(0.5)
        server.shutdown()

    threading.Thread(target=watchdog, daemon=True).start()
    server.serve_forever(poll_interval=0.2)


if __name__ == "__main__":
    main()
