#!/usr/bin/env python3
"""A stateful fake of Telnyx's API v2 (numbers), for numctl's tests.

Bearer API key; available_phone_numbers with Telnyx's filter names (unknown ones are refused,
as Telnyx refuses them); number_orders that complete at once, or stay pending for countries
named by /__control/pending until /__control/complete {"status": "success"|"failure"};
phone_numbers looked up, listed by page[number]/page[size] and deleted. Number Reputation:
/v2/reputation/numbers lists the monitored numbers with their cached reputation_data, and
/v2/reputation/numbers/{number}?fresh=true|false answers one (a fresh check is counted, as
Telnyx bills it, and dated now); /__control/reputation {"numbers": {"+1...": {"spam_risk":
"high", "spam_category": "Scam Likely", "last_refreshed_at": "..."} or null}, "fresh": {...}}
sets what is monitored and what a fresh check finds. Faults and state through /__control/
(see fakehttp.py).
"""
import json
import os
import re
import urllib.parse
import uuid
from datetime import datetime, timezone

import billing
import telnyx_compliance
import telnyx_emergency
import telnyx_porting
from fakehttp import LOCALITY, OFFERED, FakeHandler, State, serve

KEY = os.environ.get("FAKE_TELNYX_API_KEY", "KEY0123456789ABCDEF_fake_telnyx")
AVAILABLE_FILTERS = {"filter[country_code]", "filter[phone_number_type]", "filter[phone_number][contains]",
                     "filter[phone_number][starts_with]", "filter[phone_number][ends_with]", "filter[limit]",
                     "filter[locality]", "filter[administrative_area]", "filter[national_destination_code]",
                     "filter[features][]", "filter[best_effort]", "filter[quickship]", "filter[reservable]",
                     "filter[exclude_held_numbers]"}
PHONE_NUMBER_PARAMS = {"page[number]", "page[size]", "filter[phone_number]", "filter[status]", "filter[tag]",
                       "sort", "filter[country_iso_alpha2]"}


def cost_of(country, kind):
    monthly, currency = billing.price(country, kind)
    return {"monthly_cost": monthly or "1.00", "upfront_cost": monthly or "1.00", "currency": currency or "USD"}


DETAIL_PARAMS = {"filter[record_type]", "filter[created_at][gte]", "filter[created_at][lt]", "filter[date_range]",
                 "page[number]", "page[size]", "sort"}


class Telnyx(FakeHandler):
    STATE = State(lambda n: str(1293384261075731000 + n))
    ORDERS = {}          # id -> order
    PENDING = set()      # countries whose orders wait for /__control/complete
    REPUTATION = {}      # monitored number -> its cached reputation_data (None: not collected yet)
    FRESH = {}           # number -> what a fresh (billed) check finds

    def error(self, status, code, message, headers=None, logged=None):
        self.send(status, {"errors": [{"code": str(code), "title": message, "detail": message}]}, headers=headers,
                  logged=logged)

    def reputation_item(self, number):
        return {"phone_number": number, "record_type": "reputation_phone_number",
                "reputation_data": Telnyx.REPUTATION[number]}

    def extra_state(self, path):
        if path == "/__control/porting":
            return telnyx_porting.state()
        if path == "/__control/emergency":
            return telnyx_emergency.state()
        return telnyx_compliance.state() if path == "/__control/compliance" else None

    def complete_group_orders(self, group_id):
        """Orders held for a requirement group that is approved now complete."""
        for order in Telnyx.ORDERS.values():
            if order["status"] != "pending":
                continue
            numbers = order["phone_numbers"]
            if not all(n.get("requirement_group_id") == group_id for n in numbers if n["status"] == "pending"):
                continue
            order["status"] = "success"
            for number in numbers:
                number["status"] = "success"
                number["requirements_met"] = True
                self.take(number["phone_number"])

    def extra_control(self, path, request):
        billing.control(path, request)
        telnyx_compliance.control(path, request, self.complete_group_orders)
        telnyx_porting.control(path, request, self.arrive, self.leave)
        telnyx_emergency.control(path, request, lambda number: self.STATE.held.get(number))
        if path == "/__control/reputation":
            Telnyx.REPUTATION = dict(request.get("numbers", {}))
            Telnyx.FRESH = dict(request.get("fresh", {}))
        elif path == "/__control/pending":
            Telnyx.PENDING = set(request.get("countries", []))
        elif path == "/__control/complete":
            for order in Telnyx.ORDERS.values():
                if order["status"] != "pending":
                    continue
                order["status"] = request.get("status", "success")
                for number in order["phone_numbers"]:
                    number["status"] = order["status"]
                    if order["status"] == "success":
                        self.take(number["phone_number"])

    def detail_records(self, query):
        """Detail records of calls (Call Control here; SIP trunking has none), paged by page[number]."""
        unknown = set(query) - DETAIL_PARAMS
        if unknown or query.get("filter[record_type]") not in ("call-control", "sip-trunking"):
            return self.error(400, 10015, "Invalid filter: " + ", ".join(sorted(unknown) or ["filter[record_type]"]))
        size = int(query.get("page[size]", 20))
        if size > 50:
            return self.error(400, 10015, "page[size] must be at most 50")
        size = billing.page_size(size)
        records = [] if query["filter[record_type]"] == "sip-trunking" else billing.calls_since(
            query.get("filter[created_at][gte]", ""))
        page = int(query.get("page[number]", 1))
        pages = max(1, (len(records) + size - 1) // size)
        return self.send(200, {"data": [{"record_type": "call-control", "cld": c["to"], "cli": c["from"],
                                         "direction": c["direction"], "started_at": c["at"], "created_at": c["at"],
                                         "call_sec": 42} for c in records[(page - 1) * size:page * size]],
                               "meta": {"page_number": page, "page_size": size, "total_pages": pages,
                                        "total_results": len(records)}})

    def api(self, method, path, query, raw):
        body = json.loads(raw) if raw else {}
        if self.headers.get("Authorization", "") != "Bearer " + KEY:
            return self.error(401, 10009, "Authentication failed", logged=body)
        if self.injected_fault(body):
            return
        if telnyx_compliance.serve(self, method, path, query, body):
            return
        if telnyx_porting.serve(self, method, path, query, body, self.arrive):
            return
        if telnyx_emergency.serve(self, method, path, query, body, self.STATE):
            return
        if path == "/v2/balance" and method == "GET":
            return self.send(200, {"data": {"record_type": "balance", "balance": "300.00", "credit_limit": "100.00",
                                            "available_credit": "400.00", "currency": "USD"}})
        if path == "/v2/available_phone_numbers" and method == "GET":
            unknown = set(query) - AVAILABLE_FILTERS
            if unknown:
                return self.error(400, 10015, "Invalid filter: " + ", ".join(sorted(unknown)))
            country = query.get("filter[country_code]", "")
            kinds = [query["filter[phone_number_type]"]] if "filter[phone_number_type]" in query else ["local", "mobile", "toll_free"]
            data = []
            for kind in kinds:
                for number, city, region in self.offers(country, kind, query.get("filter[phone_number][contains]", ""),
                                                        query.get("filter[locality]", ""), int(query.get("filter[limit]", 50))):
                    info = [{"region_type": "country_code", "region_name": country}]
                    if city:
                        info.append({"region_type": "location", "region_name": city})
                    data.append({"record_type": "available_phone_number", "phone_number": number,
                                 "features": [{"name": "voice"}, {"name": "sms"}],
                                 "region_information": info,
                                 "cost_information": cost_of(country, kind)})
            return self.send(200, {"data": data, "metadata": {"total_results": len(data)}})
        if path == "/v2/detail_records" and method == "GET":
            return self.detail_records(query)
        if path == "/v2/number_orders" and method == "POST":
            numbers = body.get("phone_numbers") or []
            if not numbers or set(body) - {"phone_numbers", "connection_id", "messaging_profile_id", "customer_reference",
                                             "billing_group_id"}:
                return self.error(422, 10015, "Invalid order", logged=body)
            order = {"id": str(uuid.uuid4()), "record_type": "number_order", "status": "success", "phone_numbers": []}
            for item in numbers:
                number = item.get("phone_number", "")
                if number not in OFFERED or number in self.STATE.held:
                    return self.error(422, 85001, "Phone number " + number + " is not available", logged=body)
                pending = OFFERED[number][0] in Telnyx.PENDING
                group = item.get("requirement_group_id")
                if telnyx_compliance.regulated(*OFFERED[number]):
                    # Held for review until its requirement group is approved.
                    pending = pending or not (group and telnyx_compliance.group_approved(group))
                order["phone_numbers"].append({"id": str(uuid.uuid4()), "phone_number": number,
                                               "status": "pending" if pending else "success",
                                               "requirement_group_id": group,
                                               "requirements_met": not pending, "regulatory_requirements": []})
                if pending:
                    order["status"] = "pending"
                else:
                    self.take(number)
            Telnyx.ORDERS[order["id"]] = order
            return self.send(200, {"data": order}, logged=body)
        if path == "/v2/reputation/numbers" and method == "GET":
            unknown = set(query) - {"page[number]", "page[size]", "filter[phone_number]"}
            if unknown:
                return self.error(400, 10015, "Invalid parameter: " + ", ".join(sorted(unknown)))
            numbers = sorted(Telnyx.REPUTATION)
            size = min(int(query.get("page[size]", 20)), 250)
            page = int(query.get("page[number]", 1))
            pages = max(1, (len(numbers) + size - 1) // size)
            return self.send(200, {"data": [self.reputation_item(n) for n in numbers[(page - 1) * size:page * size]],
                                   "meta": {"total_pages": pages, "total_results": len(numbers), "page_number": page,
                                            "page_size": size}})
        m = re.fullmatch(r"/v2/reputation/numbers/([^/]+)", path)
        if m and method == "GET":
            number = urllib.parse.unquote(m.group(1))
            if not re.fullmatch(r"\+1\d{10}", number):
                return self.error(422, 10015, "Only US numbers in E.164 format are supported")
            if number not in Telnyx.REPUTATION:
                return self.error(404, 10005, "Phone number is not monitored")
            if query.get("fresh") == "true":
                found = dict(Telnyx.FRESH.get(number) or Telnyx.REPUTATION[number] or {"spam_risk": "low"})
                found["last_refreshed_at"] = datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
                Telnyx.REPUTATION[number] = found
            return self.send(200, {"data": self.reputation_item(number)})
        m = re.fullmatch(r"/v2/number_orders/([0-9a-f-]{36})", path)
        if m and method == "GET":
            order = Telnyx.ORDERS.get(m.group(1))
            if not order:
                return self.error(404, 10005, "Resource not found")
            return self.send(200, {"data": order})
        if path == "/v2/phone_numbers" and method == "GET":
            unknown = set(query) - PHONE_NUMBER_PARAMS
            if unknown:
                return self.error(400, 10015, "Invalid parameter: " + ", ".join(sorted(unknown)))
            items = self.STATE.sorted_held()
            if "filter[phone_number]" in query:
                items = [(n, i) for n, i in items if n == query["filter[phone_number]"]]
            size = min(int(query.get("page[size]", 20)), 250)
            page = int(query.get("page[number]", 1))
            pages = max(1, (len(items) + size - 1) // size)
            return self.send(200, {"data": [{"id": i, "record_type": "phone_number", "phone_number": n, "status": "active"}
                                            for n, i in items[(page - 1) * size:page * size]],
                                   "meta": {"total_pages": pages, "total_results": len(items), "page_number": page,
                                            "page_size": size}})
        m = re.fullmatch(r"/v2/phone_numbers/(\d+)", path)
        if m and method == "DELETE":
            number = self.give_back(m.group(1))
            if not number:
                return self.error(404, 10005, "Resource not found")
            return self.send(200, {"data": {"id": m.group(1), "phone_number": number, "status": "deleted"}})
        return self.error(404, 10005, "Resource not found")


if __name__ == "__main__":
    server, _ = serve(Telnyx)
    server.serve_forever()
