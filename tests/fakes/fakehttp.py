"""What numctl's fake carriers share: a threaded HTTP server on 127.0.0.1 (its port written to a
file), the account's state (numbers held, numbers released), pools of numbers on offer, a log of
every request (one JSON line each), and faults injected on demand through /__control/:

  POST /__control/fault {"method": "DELETE", "path": "...", "status": 500, "count": 2,
                         "retry_after": 1, "hang": 5, "drop": true, "lose": true, "stall": 5, "code": ..., "message": ...}
                         (lose: the request is served, its answer dropped; stall: served, its answer
                         held back that many seconds, time for a test to kill the client)
  POST /__control/delay {"seconds": 0.02}      every DELETE waits this long first
  POST /__control/hold {"numbers": ["+1..."]}  numbers the account holds already
  POST /__control/offer {"country": "US", "kind": "toll_free", "numbers": [...]}  offered first
  POST /__control/taken {"numbers": ["+49..."]}  bought by another customer: no longer offered
  POST /__control/leave {"numbers": [...]}     ported away: gone from the account, not released
  POST /__control/reset {}                     no faults, no delay
  GET  /__control/state                        {"held": {number: id}, "released": [...]}
"""
import argparse
import json
import os
import socket
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

# What each country offers: a prefix per numctl type, numbers generated below it.
POOL_PREFIX = {
    ("US", "local"): "+1201555", ("US", "toll_free"): "+1800555", ("US", "mobile"): "+1201556",
    ("GB", "mobile"): "+447400", ("GB", "local"): "+44207946", ("DE", "local"): "+4930901",
    ("DE", "mobile"): "+491512345", ("FR", "local"): "+33140",
}
LOCALITY = {"US": ("Hackensack", "NJ"), "GB": ("London", None), "DE": ("Berlin", None), "FR": ("Paris", None)}


def pool(country, kind, size=1200):
    prefix = POOL_PREFIX.get((country, kind))
    if not prefix:
        return []
    width = 13 if country == "GB" else 12
    return ["%s%0*d" % (prefix, width - len(prefix), 100 + i * 7) for i in range(size)]


POOLS = {key: pool(*key) for key in POOL_PREFIX}
OFFERED = {number: key for key, numbers in POOLS.items() for number in numbers}


class State:
    def __init__(self, new_id):
        self.lock = threading.RLock()
        self.held = {}       # number -> the carrier's id of it
        self.by_id = {}      # the carrier's id -> number
        self.released = set()
        self.faults = []     # consumed in order by matching requests
        self.delay = 0.0
        self.counter = 0
        self.new_id = new_id
        self.version = 0     # bumped by every change of `held`, for the sorted view's cache
        self.sorted_cache = (None, [])

    def sorted_held(self):
        """The held numbers in number order, as (number, id) pairs; cached between changes so a
        listing of 100,000 numbers a page at a time does not sort them for every page."""
        with self.lock:
            if self.sorted_cache[0] != self.version:
                self.sorted_cache = (self.version, sorted(self.held.items()))
            return self.sorted_cache[1]

    def changed(self):
        self.version += 1

    def next_id(self):
        with self.lock:
            self.counter += 1
            return self.new_id(self.counter)


class FakeHandler(BaseHTTPRequestHandler):
    """Subclasses set STATE and LOG and implement error(status, code, message) and api(method, path, query, body)."""
    protocol_version = "HTTP/1.1"
    STATE = None
    LOG = None

    def log_message(self, *args):
        pass

    def record(self, status, body=None):
        if not self.LOG:
            return
        parsed = urllib.parse.urlsplit(self.path)
        entry = {"method": self.command, "path": parsed.path, "query": urllib.parse.parse_qs(parsed.query),
                 "form": body or {}, "status": status, "at": time.time(),
                 "conformance": getattr(self, "conformance", None)}
        self.conformance = None
        with self.STATE.lock, open(self.LOG, "a") as out:
            out.write(json.dumps(entry) + "\n")

    def send(self, status, body=None, headers=None, logged=None):
        self.record(status, logged)
        if getattr(self, "stall_answer", 0):
            time.sleep(self.stall_answer)
            self.stall_answer = 0
        if getattr(self, "lose_answer", False):
            self.lose_answer = False
            self.connection.shutdown(socket.SHUT_RDWR)
            self.close_connection = True
            return
        data = b"" if body is None else json.dumps(body).encode()
        self.send_response(status)
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        if body is not None:
            self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def read_body(self):
        length = int(self.headers.get("Content-Length") or 0)
        # Bytes that are not UTF-8 (a file in a multipart upload) survive the round trip.
        return self.rfile.read(length).decode("utf-8", "surrogateescape") if length else ""

    def injected_fault(self, logged):
        """Applies the first queued fault matching this request; True when the request ends here."""
        with self.STATE.lock:
            match = next((f for f in self.STATE.faults
                          if f.get("method", self.command) == self.command and f.get("path", "") in self.path), None)
            if match:
                match["count"] = match.get("count", 1) - 1
                if match["count"] <= 0:
                    self.STATE.faults.remove(match)
        if not match:
            return False
        if match.get("lose"):
            # The request is served, but its answer never arrives: the connection drops instead.
            self.lose_answer = True
            return False
        if match.get("stall"):
            self.stall_answer = match["stall"]
            return False
        if match.get("hang"):
            self.record("hang", logged)
            time.sleep(match["hang"])
            self.close_connection = True
            return True
        if match.get("drop"):
            self.record("drop", logged)
            self.connection.shutdown(socket.SHUT_RDWR)
            self.close_connection = True
            return True
        headers = {} if match.get("retry_after") is None else {"Retry-After": str(match["retry_after"])}
        self.error(match.get("status", 500), match.get("code", 20500), match.get("message", "Internal Server Error"),
                   headers=headers, logged=logged)
        return True

    def control(self, method, path):
        state = self.STATE
        if method == "GET":
            extra = self.extra_state(path)
            if extra is not None:
                return self.send(200, extra)
            with state.lock:
                return self.send(200, {"held": state.held, "released": sorted(state.released)})
        request = json.loads(self.read_body() or "{}")
        with state.lock:
            if path == "/__control/fault":
                state.faults.append(request)
            elif path == "/__control/delay":
                state.delay = float(request.get("seconds", 0))
            elif path == "/__control/hold":
                for number in request.get("numbers", []):
                    state.held[number] = state.next_id()
                    state.by_id[state.held[number]] = number
                state.changed()
            elif path == "/__control/offer":
                # Numbers offered first for a country and type, as the carrier has them (even
                # ones that are not valid numbers: a carrier's data is not always clean).
                key = (request["country"], request["kind"])
                POOLS.setdefault(key, [])[:0] = request["numbers"]
                OFFERED.update({number: key for number in request["numbers"]})
            elif path == "/__control/taken":
                for number in request.get("numbers", []):
                    key = OFFERED.pop(number, None)
                    if key and number in POOLS.get(key, []):
                        POOLS[key].remove(number)
            elif path == "/__control/leave":
                self.leave(request.get("numbers", []))
            elif path == "/__control/reset":
                state.faults.clear()
                state.delay = 0.0
            else:
                self.extra_control(path, request)
        self.send(200, {"ok": True})

    def extra_control(self, path, request):
        pass

    def extra_state(self, path):
        """What GET /__control/<path> answers besides the account's numbers (None: those)."""
        return None

    def do_GET(self):
        self.route("GET")

    def do_POST(self):
        self.route("POST")

    def do_DELETE(self):
        self.route("DELETE")

    def do_PATCH(self):
        self.route("PATCH")

    def route(self, method):
        parsed = urllib.parse.urlsplit(self.path)
        if parsed.path.startswith("/__control/"):
            return self.control(method, parsed.path)
        query = {k: (v if k.endswith("[]") else v[0])
                 for k, v in urllib.parse.parse_qs(parsed.query, keep_blank_values=True).items()}
        self.api(method, parsed.path, query, self.read_body() if method in ("POST", "PATCH") else "")

    def offers(self, country, kind, contains="", locality="", size=50):
        with self.STATE.lock:
            taken = set(self.STATE.held)
        out = []
        for number in POOLS.get((country, kind), []):
            if number in taken or (contains and contains not in number[1:]):
                continue
            city, region = LOCALITY.get(country, (None, None))
            if locality and locality.lower() != (city or "").lower():
                continue
            out.append((number, city, region))
            if len(out) >= size:
                break
        return out

    def take(self, number):
        """Holds an offered number for the account; its id, or None when it is not on offer."""
        with self.STATE.lock:
            if number in self.STATE.held or number not in OFFERED:
                return None
            self.STATE.held[number] = self.STATE.next_id()
            self.STATE.by_id[self.STATE.held[number]] = number
            self.STATE.changed()
            return self.STATE.held[number]

    def arrive(self, numbers):
        """Numbers that joined the account by port."""
        with self.STATE.lock:
            for number in numbers:
                if number not in self.STATE.held:
                    self.STATE.held[number] = self.STATE.next_id()
                    self.STATE.by_id[self.STATE.held[number]] = number
            self.STATE.changed()

    def leave(self, numbers):
        """Numbers another carrier ported away: gone from the account, not released by it."""
        with self.STATE.lock:
            for number in numbers:
                number_id = self.STATE.held.pop(number, None)
                self.STATE.by_id.pop(number_id, None)
            self.STATE.changed()

    def give_back(self, number_id):
        """Releases a held number by its id; the number, or None when the account does not hold it."""
        if self.STATE.delay:
            time.sleep(self.STATE.delay)
        with self.STATE.lock:
            number = self.STATE.by_id.pop(number_id, None)
            if number:
                del self.STATE.held[number]
                self.STATE.released.add(number)
                self.STATE.changed()
            return number


class Deferred:
    """Stands for a handler while a fake's state is locked: the answer is sent once the lock is
    released (a stalled answer must not hold up the test's control requests)."""

    def __init__(self, handler):
        self.handler = handler
        self.headers = handler.headers
        self.calls = []

    def send(self, *args, **kwargs):
        self.calls.append(("send", args, kwargs))

    def error(self, *args, **kwargs):
        self.calls.append(("error", args, kwargs))

    def replay(self):
        for name, args, kwargs in self.calls:
            getattr(self.handler, name)(*args, **kwargs)


def serve(handler, extra_arguments=None):
    parser = argparse.ArgumentParser()
    parser.add_argument("--port-file", required=True)
    parser.add_argument("--log")
    for name, default in (extra_arguments or {}).items():
        parser.add_argument(name, default=default)
    args = parser.parse_args()
    handler.LOG = args.log
    # A carrier takes many connections at once; the default backlog of 5 would drop a sweep's
    # concurrent connections (their SYNs retried a second later) and measure that instead.
    ThreadingHTTPServer.request_queue_size = 256
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    with open(args.port_file + ".tmp", "w") as out:
        out.write(str(server.server_address[1]))
    os.rename(args.port_file + ".tmp", args.port_file)
    return server, args
