#!/usr/bin/env python3
"""A stateful fake of Twilio's REST API 2010-04-01 (number endpoints), for numctl's tests.

Listens on 127.0.0.1 (a free port, written to --port-file), checks HTTP Basic credentials and
parameter names as Twilio documents them, keeps the account's numbers, logs every request as
one JSON line (--log), and injects faults on demand (POST /__control/fault).

Control endpoints (no auth): POST /__control/fault {"method": "DELETE", "status": 500,
"count": 2, "retry_after": 1, "hang": 5, "drop": true}; POST /__control/delay {"seconds": 0.02};
POST /__control/hold {"numbers": ["+1..."]} (numbers the account holds already, e.g. orphans);
GET /__control/state (the held numbers).
"""
import argparse
import base64
import json
import os
import random
import re
import socket
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from openapi import Spec

ACCOUNT = os.environ.get("FAKE_TWILIO_ACCOUNT_SID", "AC" + "0" * 31 + "1")
TOKEN = os.environ.get("FAKE_TWILIO_AUTH_TOKEN", "fake-auth-token-9f8e7d6c")
API_KEY = os.environ.get("FAKE_TWILIO_API_KEY", "SK" + "0" * 31 + "2")
API_SECRET = os.environ.get("FAKE_TWILIO_API_SECRET", "fake-api-secret-1a2b3c")

# Countries whose numbers need an AddressSid with the order, as Twilio's address requirements do.
ADDRESS_REQUIRED = {"DE"}

# What each country offers: a prefix per type, numbers generated below it.
POOL_PREFIX = {
    ("US", "Local"): "+1201555", ("US", "TollFree"): "+1800555", ("US", "Mobile"): "+1201556",
    ("GB", "Mobile"): "+447400", ("GB", "Local"): "+44207946", ("DE", "Local"): "+4930901",
    ("DE", "Mobile"): "+491512345", ("FR", "Local"): "+33140",
}
LOCALITY = {"US": ("Hackensack", "NJ"), "GB": ("London", None), "DE": ("Berlin", None), "FR": ("Paris", None)}


class State:
    def __init__(self):
        self.lock = threading.RLock()
        self.held = {}       # e164 -> sid
        self.released = set()
        self.faults = []     # dicts, consumed in order by matching requests
        self.delay = 0.0
        self.counter = 0

    def new_sid(self):
        self.counter += 1
        return "PN%032x" % (random.getrandbits(96) << 32 | self.counter)


STATE = State()


def pool(country, kind, size=1200):
    prefix = POOL_PREFIX.get((country, kind))
    if not prefix:
        return []
    width = {"+1": 12}.get(prefix[:2], 13 if country == "GB" else 12)
    digits = width - len(prefix)
    return ["%s%0*d" % (prefix, digits, 100 + i * 7) for i in range(size)]


POOLS = {key: set(pool(*key)) for key in POOL_PREFIX}


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def record(self, status, form=None):
        if not LOG:
            return
        parsed = urllib.parse.urlsplit(self.path)
        entry = {"method": self.command, "path": parsed.path, "query": urllib.parse.parse_qs(parsed.query),
                 "form": form or {}, "status": status, "at": time.time(),
                 "conformance": getattr(self, "conformance", None)}
        self.conformance = None
        with STATE.lock, open(LOG, "a") as out:
            out.write(json.dumps(entry) + "\n")

    def send(self, status, body=None, headers=None, form=None):
        self.record(status, form)
        data = b"" if body is None else json.dumps(body).encode()
        self.send_response(status)
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        if body is not None:
            self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def error(self, status, code, message, form=None, headers=None):
        self.send(status, {"code": code, "message": message, "more_info": "https://www.twilio.com/docs/errors/%d" % code,
                           "status": status}, headers=headers, form=form)

    def body_form(self):
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length).decode() if length else ""
        return {k: v[0] for k, v in urllib.parse.parse_qs(raw, keep_blank_values=True).items()}

    def authorized(self):
        header = self.headers.get("Authorization", "")
        if not header.startswith("Basic "):
            return False
        try:
            user, _, password = base64.b64decode(header[6:]).decode().partition(":")
        except Exception:
            return False
        return (user == ACCOUNT and password == TOKEN) or (user == API_KEY and password == API_SECRET)

    def fault(self, form):
        """A queued fault matching this request, applied; True when the request ends here."""
        with STATE.lock:
            match = None
            for fault in STATE.faults:
                if fault.get("method", self.command) == self.command and fault.get("path", "") in self.path:
                    match = fault
                    break
            if match:
                match["count"] = match.get("count", 1) - 1
                if match["count"] <= 0:
                    STATE.faults.remove(match)
        if not match:
            return False
        if match.get("hang"):
            self.record("hang", form)
            time.sleep(match["hang"])
            self.close_connection = True
            return True
        if match.get("drop"):
            self.record("drop", form)
            self.connection.shutdown(socket.SHUT_RDWR)
            self.close_connection = True
            return True
        headers = {}
        if match.get("retry_after") is not None:
            headers["Retry-After"] = str(match["retry_after"])
        status = match.get("status", 500)
        self.error(status, match.get("code", 20500), match.get("message", "Internal Server Error"), form=form,
                   headers=headers)
        return True

    def control(self, form_json):
        if self.path == "/__control/fault":
            with STATE.lock:
                STATE.faults.append(form_json)
        elif self.path == "/__control/delay":
            STATE.delay = float(form_json.get("seconds", 0))
        elif self.path == "/__control/hold":
            with STATE.lock:
                for number in form_json.get("numbers", []):
                    STATE.held[number] = STATE.new_sid()
        elif self.path == "/__control/reset":
            with STATE.lock:
                STATE.faults.clear()
                STATE.delay = 0.0
        self.send(200, {"ok": True})

    def do_GET(self):
        self.route("GET")

    def do_POST(self):
        self.route("POST")

    def do_DELETE(self):
        self.route("DELETE")

    def route(self, method):
        parsed = urllib.parse.urlsplit(self.path)
        if parsed.path.startswith("/__control/"):
            if method == "GET":
                with STATE.lock:
                    return self.send(200, {"held": STATE.held, "released": sorted(STATE.released)})
            length = int(self.headers.get("Content-Length") or 0)
            return self.control(json.loads(self.rfile.read(length) or b"{}"))
        form = self.body_form() if method == "POST" else {}
        # Judged against Twilio's official OpenAPI document first, as its validator would.
        query_all = {k: v[0] for k, v in urllib.parse.parse_qs(parsed.query, keep_blank_values=True).items()}
        problems = SPEC.problems(method, parsed.path, query_all, form, self.headers.get("Authorization", ""))
        if problems:
            self.conformance = problems
            return self.error(400, 20001, "Invalid request: " + "; ".join(problems), form=form)
        if not self.authorized():
            return self.error(401, 20003, "Authenticate", form=form)
        if self.fault(form):
            return
        if STATE.delay and method == "DELETE":
            time.sleep(STATE.delay)
        query = {k: v[0] for k, v in urllib.parse.parse_qs(parsed.query, keep_blank_values=True).items()}
        base = "/2010-04-01/Accounts/" + ACCOUNT
        path = parsed.path
        if not path.startswith("/2010-04-01/Accounts/"):
            return self.error(404, 20404, "The requested resource was not found")
        if not path.startswith(base):
            return self.error(403, 20003, "The AccountSid in the path is not the authenticated account", form=form)
        rest = path[len(base):]
        if rest == ".json" and method == "GET":
            return self.send(200, {"sid": ACCOUNT, "friendly_name": "numctl test account", "status": "active",
                                   "type": "Full"})
        m = re.fullmatch(r"/AvailablePhoneNumbers/([A-Z]{2})/(Local|Mobile|TollFree)\.json", rest)
        if m and method == "GET":
            country, kind = m.groups()
            if not pool(country, kind):
                return self.error(404, 20404, "The requested resource was not found")
            size = int(query.get("PageSize", 50))
            contains = query.get("Contains", "").replace("*", "")
            with STATE.lock:
                taken = set(STATE.held)
            offers = []
            for number in pool(country, kind):
                if number in taken or (contains and contains not in number[1:]):
                    continue
                city, region = LOCALITY.get(country, (None, None))
                if query.get("InLocality") and query["InLocality"].lower() != (city or "").lower():
                    continue
                offers.append({"friendly_name": number, "phone_number": number, "locality": city, "region": region,
                               "iso_country": country, "address_requirements": "any" if country in ADDRESS_REQUIRED else "none",
                               "beta": False, "capabilities": {"voice": True, "SMS": kind != "TollFree", "MMS": False}})
                if len(offers) >= size:
                    break
            return self.send(200, {"available_phone_numbers": offers, "uri": path})
        if rest == "/IncomingPhoneNumbers.json" and method == "POST":
            number = form.get("PhoneNumber", "")
            if not re.fullmatch(r"\+[1-9]\d{6,14}", number):
                return self.error(400, 21421, "PhoneNumber is invalid", form=form)
            offered = any(number in POOLS[c, k] for (c, k) in POOL_PREFIX)
            with STATE.lock:
                if number in STATE.held or not offered:
                    pass
                else:
                    country = next(c for (c, k) in POOL_PREFIX if number in POOLS[c, k])
                    if country in ADDRESS_REQUIRED and not form.get("AddressSid"):
                        self.error(400, 21631, "Phone Number Requires an Address but the 'AddressSid' parameter was empty.",
                                   form=form)
                        return
                    sid = STATE.new_sid()
                    STATE.held[number] = sid
                    self.send(201, {"sid": sid, "account_sid": ACCOUNT, "phone_number": number, "friendly_name": number,
                                    "status": "in-use", "address_sid": form.get("AddressSid"),
                                    "bundle_sid": form.get("BundleSid")}, form=form)
                    return
            return self.error(400, 21422, "PhoneNumber requested is not available", form=form)
        if rest == "/IncomingPhoneNumbers.json" and method == "GET":
            with STATE.lock:
                items = sorted(STATE.held.items())
            if "PhoneNumber" in query:
                items = [(n, s) for n, s in items if n == query["PhoneNumber"]]
            size = min(int(query.get("PageSize", 50)), 1000)
            page = int(query.get("Page", 0))
            chunk = items[page * size:(page + 1) * size]
            next_uri = None
            if (page + 1) * size < len(items):
                next_uri = "%s/IncomingPhoneNumbers.json?PageSize=%d&Page=%d&PageToken=PT%d" % (base, size, page + 1, page + 1)
            return self.send(200, {"incoming_phone_numbers": [{"sid": s, "phone_number": n, "status": "in-use"}
                                                              for n, s in chunk],
                                   "page": page, "page_size": size, "next_page_uri": next_uri, "uri": path})
        m = re.fullmatch(r"/IncomingPhoneNumbers/(PN[0-9a-f]{32})\.json", rest)
        if m and method == "DELETE":
            sid = m.group(1)
            with STATE.lock:
                number = next((n for n, s in STATE.held.items() if s == sid), None)
                if number:
                    del STATE.held[number]
                    STATE.released.add(number)
            if not number:
                return self.error(404, 20404, "The requested resource /IncomingPhoneNumbers/%s.json was not found" % sid)
            return self.send(204)
        return self.error(404, 20404, "The requested resource was not found")


def main():
    global LOG, SPEC
    parser = argparse.ArgumentParser()
    parser.add_argument("--port-file", required=True)
    parser.add_argument("--log")
    parser.add_argument("--spec", default=os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                                       "twilio_api_v2010_numbers.json"))
    args = parser.parse_args()
    LOG = args.log
    SPEC = Spec(args.spec)
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    with open(args.port_file + ".tmp", "w") as out:
        out.write(str(server.server_address[1]))
    os.rename(args.port_file + ".tmp", args.port_file)
    server.serve_forever()


LOG = None
SPEC = None
if __name__ == "__main__":
    main()
