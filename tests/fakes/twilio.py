#!/usr/bin/env python3
"""A stateful fake of Twilio's REST API 2010-04-01 (number endpoints), for numctl's tests.

Every request is first judged against Twilio's official OpenAPI document (openapi.py), then
served from the account's state: HTTP Basic with the Account SID and Auth Token or an API key,
numbers on offer (fakehttp.POOLS), IncomingPhoneNumbers created, listed by page and deleted.
Faults and state through /__control/ (see fakehttp.py).
"""
import base64
import json
import os
import random
import re
import urllib.parse

import billing
import twilio_compliance
import twilio_emergency
import twilio_porting
from fakehttp import LOCALITY, OFFERED, FakeHandler, State, serve
from openapi import Spec

ACCOUNT = os.environ.get("FAKE_TWILIO_ACCOUNT_SID", "AC" + "0" * 31 + "1")
TOKEN = os.environ.get("FAKE_TWILIO_AUTH_TOKEN", "fake-auth-token-9f8e7d6c")
API_KEY = os.environ.get("FAKE_TWILIO_API_KEY", "SK" + "0" * 31 + "2")
API_SECRET = os.environ.get("FAKE_TWILIO_API_SECRET", "fake-api-secret-1a2b3c")
# Countries whose numbers need an AddressSid with the order, as Twilio's address requirements do.
ADDRESS_REQUIRED = {"DE"}
RESOURCE_TYPE = {"Local": "local", "Mobile": "mobile", "TollFree": "toll_free"}


class Twilio(FakeHandler):
    STATE = State(lambda n: "PN%032x" % (random.getrandbits(96) << 32 | n))
    SPEC = None
    SPEC_NUMBERS = None  # twilio_numbers_v2.json, where .ci/tools has it
    SPEC_PRICING = None  # twilio_pricing_v1.json
    SPEC_FULL = None     # twilio_api_v2010.json (Calls)

    def extra_control(self, path, request):
        if not billing.control(path, request):
            twilio_compliance.control(path, request)
            twilio_porting.control(path, request, self.arrive)
            twilio_emergency.control(path, request, lambda number: self.STATE.held.get(number))

    def extra_state(self, path):
        if path == "/__control/porting":
            return twilio_porting.state()
        if path == "/__control/emergency":
            return twilio_emergency.state()
        return twilio_compliance.state() if path == "/__control/compliance" else None

    def error(self, status, code, message, headers=None, logged=None):
        self.send(status, {"code": code, "message": message, "more_info": "https://www.twilio.com/docs/errors/%d" % code,
                           "status": status}, headers=headers, logged=logged)

    def authorized(self):
        header = self.headers.get("Authorization", "")
        try:
            user, _, password = base64.b64decode(header[6:]).decode().partition(":")
        except Exception:
            return False
        return header.startswith("Basic ") and ((user == ACCOUNT and password == TOKEN) or
                                                (user == API_KEY and password == API_SECRET))

    def api(self, method, path, query, raw):
        multipart = self.headers.get("Content-Type", "").startswith("multipart/form-data")
        form = {} if multipart else {k: v[0] for k, v in urllib.parse.parse_qs(raw, keep_blank_values=True).items()}
        if path.startswith(twilio_compliance.V2):
            # Regulatory Compliance (numbers.twilio.com): judged against twilio_numbers_v2.json when
            # it is at hand (an upload's multipart body is checked by the handler itself).
            problems = [] if self.SPEC_NUMBERS is None or multipart else self.SPEC_NUMBERS.problems(
                method, path, query, form, self.headers.get("Authorization", ""))
            if problems:
                self.conformance = problems
                return self.error(400, 20001, "Invalid request: " + "; ".join(problems), logged=form)
            if not self.authorized():
                return self.error(401, 20003, "Authenticate", logged=form)
            if self.injected_fault(form):
                return
            return twilio_compliance.serve(self, method, path, query, form, raw, ACCOUNT)
        if path.startswith("/v1/Porting/") or path == "/v1/Documents":
            # Porting (numbers.twilio.com, JSON bodies) and its documents' upload host: judged
            # against twilio_numbers_v1.json by Prism in the conformance test.
            if not self.authorized():
                return self.error(401, 20003, "Authenticate", logged=form)
            if self.injected_fault(form):
                return
            return twilio_porting.serve(self, method, path, query, raw, ACCOUNT)
        if path.startswith("/v1/PhoneNumbers/Countries/"):
            return self.pricing(method, path, query, form)
        if re.fullmatch(r"/2010-04-01/Accounts/[^/]+/Calls\.json", path):
            return self.calls(method, path, query, form)
        if re.fullmatch(r"/2010-04-01/Accounts/[^/]+/Addresses(/[^/]+)?\.json", path):
            # Addresses are not in the excerpt: judged against the full document when at hand.
            if not self.judged(self.SPEC_FULL, method, path, query, form):
                return
            if not path.startswith("/2010-04-01/Accounts/" + ACCOUNT):
                return self.error(403, 20003, "The AccountSid in the path is not the authenticated account", logged=form)
            rest = path[len("/2010-04-01/Accounts/" + ACCOUNT):]
            if not twilio_emergency.serve(self, method, rest, query, form, ACCOUNT, self.STATE):
                self.error(404, 20404, "The requested resource was not found")
            return
        # Judged against Twilio's official OpenAPI document first, as its validator would.
        problems = self.SPEC.problems(method, path, query, form, self.headers.get("Authorization", ""))
        if problems:
            self.conformance = problems
            return self.error(400, 20001, "Invalid request: " + "; ".join(problems), logged=form)
        if not self.authorized():
            return self.error(401, 20003, "Authenticate", logged=form)
        if self.injected_fault(form):
            return
        base = "/2010-04-01/Accounts/" + ACCOUNT
        if not path.startswith(base):
            return self.error(403, 20003, "The AccountSid in the path is not the authenticated account", logged=form)
        rest = path[len(base):]
        if rest == ".json" and method == "GET":
            return self.send(200, {"sid": ACCOUNT, "friendly_name": "numctl test account", "status": "active", "type": "Full"})
        m = re.fullmatch(r"/AvailablePhoneNumbers/([A-Z]{2})/(Local|Mobile|TollFree)\.json", rest)
        if m and method == "GET":
            country, resource = m.groups()
            offers = self.offers(country, RESOURCE_TYPE[resource], query.get("Contains", "").replace("*", ""),
                                 query.get("InLocality", ""), int(query.get("PageSize", 50)))
            if not offers and not any(c == country and t == RESOURCE_TYPE[resource] for c, t in
                                      {v for v in OFFERED.values()}):
                return self.error(404, 20404, "The requested resource was not found")
            return self.send(200, {"uri": path, "available_phone_numbers": [
                {"friendly_name": n, "phone_number": n, "locality": city, "region": region, "iso_country": country,
                 "address_requirements": "any" if country in ADDRESS_REQUIRED else "none", "beta": False,
                 "capabilities": {"voice": True, "SMS": resource != "TollFree", "MMS": False}}
                for n, city, region in offers]})
        if rest == "/IncomingPhoneNumbers.json" and method == "POST":
            number = form.get("PhoneNumber", "")
            country, kind = OFFERED.get(number, ("", ""))
            if twilio_compliance.regulated(country, kind):
                if not form.get("BundleSid"):
                    return self.error(400, 21649, "Phone Number Requires a Bundle but the 'BundleSid' parameter was empty.",
                                      logged=form)
                why = twilio_compliance.bundle_ok(form["BundleSid"])
                if why:
                    return self.error(400, 21650, why, logged=form)
            elif country in ADDRESS_REQUIRED and not form.get("AddressSid"):
                return self.error(400, 21631, "Phone Number Requires an Address but the 'AddressSid' parameter was empty.",
                                  logged=form)
            sid = self.take(number)
            if not sid:
                return self.error(400, 21422, "PhoneNumber requested is not available", logged=form)
            return self.send(201, {"sid": sid, "account_sid": ACCOUNT, "phone_number": number, "friendly_name": number,
                                   "status": "in-use", "address_sid": form.get("AddressSid"),
                                   "bundle_sid": form.get("BundleSid")}, logged=form)
        if rest == "/IncomingPhoneNumbers.json" and method == "GET":
            items = self.STATE.sorted_held()
            if "PhoneNumber" in query:
                items = [(n, s) for n, s in items if n == query["PhoneNumber"]]
            size = min(int(query.get("PageSize", 50)), 1000)
            page = int(query.get("Page", 0))
            next_uri = None
            if (page + 1) * size < len(items):
                next_uri = "%s/IncomingPhoneNumbers.json?PageSize=%d&Page=%d&PageToken=PT%d" % (base, size, page + 1, page + 1)
            return self.send(200, {"incoming_phone_numbers": [{"sid": s, "phone_number": n, "status": "in-use"}
                                                              for n, s in items[page * size:(page + 1) * size]],
                                   "page": page, "page_size": size, "next_page_uri": next_uri, "uri": path})
        if twilio_emergency.serve(self, method, rest, query, form, ACCOUNT, self.STATE):
            return
        m = re.fullmatch(r"/IncomingPhoneNumbers/(PN[0-9a-f]{32})\.json", rest)
        if m and method == "DELETE":
            if not self.give_back(m.group(1)):
                return self.error(404, 20404, "The requested resource /IncomingPhoneNumbers/%s.json was not found" % m.group(1))
            return self.send(204)
        return self.error(404, 20404, "The requested resource was not found")


    def judged(self, spec, method, path, query, form):
        """Judged against a document of @twilio/cli-core when at hand; False when refused."""
        problems = [] if spec is None else spec.problems(method, path, query, form, self.headers.get("Authorization", ""))
        if problems:
            self.conformance = problems
            self.error(400, 20001, "Invalid request: " + "; ".join(problems), logged=form)
            return False
        if not self.authorized():
            self.error(401, 20003, "Authenticate", logged=form)
            return False
        return not self.injected_fault(form)

    def pricing(self, method, path, query, form):
        """Pricing API v1 (pricing.twilio.com): a country's prices per number type."""
        if not self.judged(self.SPEC_PRICING, method, path, query, form):
            return
        country = path.rsplit("/", 1)[1]
        entry = billing.PRICES.get(country)
        if method != "GET" or not entry:
            return self.error(404, 20404, "The requested resource was not found")
        names = {"local": "local", "mobile": "mobile", "toll_free": "toll free"}
        return self.send(200, {"country": country, "iso_country": country, "price_unit": entry["currency"].lower(),
                               "phone_number_prices": [{"number_type": names[k], "base_price": v, "current_price": v}
                                                       for k, v in entry.items() if k in names],
                               "url": "https://pricing.twilio.com" + path})

    def calls(self, method, path, query, form):
        """Calls.json: the account's calls that started on or after StartTime> (a date), paged."""
        if not self.judged(self.SPEC_FULL, method, path, query, form):
            return
        if not path.startswith("/2010-04-01/Accounts/" + ACCOUNT):
            return self.error(403, 20003, "The AccountSid in the path is not the authenticated account", logged=form)
        records = billing.calls_since(query.get("StartTime>", ""))
        size = billing.page_size(min(int(query.get("PageSize", 50)), 1000))
        page = int(query.get("Page", 0))
        next_uri = None
        if (page + 1) * size < len(records):
            next_uri = "%s?StartTime%%3E=%s&PageSize=%d&Page=%d&PageToken=PT%d" % (
                path, query.get("StartTime>", ""), size, page + 1, page + 1)
        months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

        def rfc2822(at):
            y, mo, d = at[0:4], int(at[5:7]), at[8:10]
            return "Mon, %s %s %s %s +0000" % (d, months[mo - 1], y, at[11:19])
        return self.send(200, {"calls": [{"sid": "CA%032x" % i, "to": c["to"], "from": c["from"],
                                          "direction": "inbound" if c["direction"] == "inbound" else "outbound-api",
                                          "start_time": rfc2822(c["at"]), "status": "completed", "duration": "42"}
                                         for i, c in enumerate(records[page * size:(page + 1) * size])],
                               "page": page, "page_size": size, "next_page_uri": next_uri, "uri": path})


if __name__ == "__main__":
    server, args = serve(Twilio, {"--spec": os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                                         "twilio_api_v2010_numbers.json")})
    Twilio.SPEC = Spec(args.spec)
    numbers_v2 = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", ".ci", "tools", "node_modules",
                              "@twilio", "cli-core", "src", "services", "twilio-api", "twilio_numbers_v2.json")
    if os.path.exists(numbers_v2):
        Twilio.SPEC_NUMBERS = Spec(numbers_v2)
    for name, attribute in (("twilio_pricing_v1.json", "SPEC_PRICING"), ("twilio_api_v2010.json", "SPEC_FULL")):
        document = os.path.join(os.path.dirname(numbers_v2), name)
        if os.path.exists(document):
            setattr(Twilio, attribute, Spec(document))
    server.serve_forever()
