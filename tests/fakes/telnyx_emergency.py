"""Telnyx's emergency addresses and caller ID as the Telnyx fake serves them: /v2/addresses
(created, listed by filter[customer_reference][eq], deleted; refused while a number uses one),
/v2/addresses/actions/validate (valid, a suggested correction, or invalid, as the test says),
/v2/phone_numbers/{id}/actions/enable_emergency (provisioning until the test moves it) and
/v2/phone_numbers/{id}/voice (emergency settings and the CNAM listing, which Telnyx checks:
at most 15 letters, digits and spaces). The test drives:

  POST /__control/address_validation {"mode": "valid" | "suggest" | "invalid"}
  POST /__control/emergency {"number": "+1...", "status": "active" | "provisioning-failed" | ...}
  GET  /__control/emergency {"addresses": [...], "numbers": {id: {...}}, "creates": n, "enables": n, "cnam": n}
"""
import re
import threading
import uuid
from datetime import datetime, timezone

from fakehttp import Deferred

LOCK = threading.RLock()
ADDRESSES, NUMBERS = {}, {}
CONTROL = {"mode": "valid"}
COUNTS = {"creates": 0, "enables": 0, "cnam": 0}
CNAM = re.compile(r"[A-Za-z0-9 ]{1,15}")


def now():
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def settings(number_id, number):
    entry = NUMBERS.setdefault(number_id, {"emergency_enabled": False, "emergency_address_id": None,
                                           "emergency_status": "disabled", "cnam_listing_enabled": False,
                                           "cnam_listing_details": None})
    return {"data": {"id": number_id, "phone_number": number, "record_type": "voice_settings",
                     "emergency": {"emergency_enabled": entry["emergency_enabled"],
                                   "emergency_address_id": entry["emergency_address_id"],
                                   "emergency_status": entry["emergency_status"]},
                     "cnam_listing": {"cnam_listing_enabled": entry["cnam_listing_enabled"],
                                      "cnam_listing_details": entry["cnam_listing_details"]}}}


def control(path, request, by_number):
    with LOCK:
        if path == "/__control/address_validation":
            CONTROL["mode"] = request.get("mode", "valid")
        elif path == "/__control/emergency":
            number_id = by_number(request.get("number"))
            if number_id in NUMBERS:
                NUMBERS[number_id]["emergency_status"] = request["status"]


def state():
    with LOCK:
        return {"addresses": list(ADDRESSES.values()), "numbers": dict(NUMBERS), **COUNTS}


def serve(handler, method, path, query, body, held):
    """Serves an address or a number's voice settings; False when the path is not one of them."""
    voice = re.fullmatch(r"/v2/phone_numbers/([^/]+)/(voice|actions/enable_emergency)", path)
    if not (path.startswith("/v2/addresses") or voice):
        return False
    deferred = Deferred(handler)
    with LOCK:
        serve_locked(deferred, method, path, query, body, held, voice)
    deferred.replay()
    return True


def suggestion(body):
    return {"street_address": body.get("street_address", "").upper(), "locality": body.get("locality", ""),
            "administrative_area": body.get("administrative_area", ""), "postal_code": body.get("postal_code", ""),
            "country_code": body.get("country_code", "")}


def serve_locked(handler, method, path, query, body, held, voice):
    if path == "/v2/addresses/actions/validate" and method == "POST":
        for key in ("country_code", "street_address", "postal_code"):
            if not body.get(key):
                return handler.error(422, 10015, key + " is required", logged=body)
        mode = CONTROL["mode"]
        if mode == "invalid":
            return handler.send(200, {"data": {"record_type": "address_validation", "result": "invalid", "suggested": {},
                                               "errors": [{"code": "10015", "title": "street_address not found"}]}},
                                logged=body)
        suggested = suggestion(body) if mode == "suggest" else {k: body.get(k, "") for k in suggestion(body)}
        return handler.send(200, {"data": {"record_type": "address_validation", "result": "valid",
                                           "suggested": suggested}}, logged=body)
    if path == "/v2/addresses" and method == "POST":
        for key in ("first_name", "last_name", "business_name", "street_address", "locality", "country_code"):
            if not body.get(key):
                return handler.error(422, 10015, key + " is required", logged=body)
        COUNTS["creates"] += 1
        address = dict(body, id=str(1500000000000000000 + len(ADDRESSES) + 1), record_type="address",
                       created_at=now(), updated_at=now())
        ADDRESSES[address["id"]] = address
        return handler.send(200, {"data": address}, logged=body)
    if path == "/v2/addresses" and method == "GET":
        reference = query.get("filter[customer_reference][eq]")
        items = [a for a in ADDRESSES.values() if reference is None or a.get("customer_reference") == reference]
        return handler.send(200, {"data": items, "meta": {"page_number": 1, "page_size": 20, "total_pages": 1,
                                                          "total_results": len(items)}})
    m = re.fullmatch(r"/v2/addresses/([^/]+)", path)
    if m and method == "DELETE":
        if m.group(1) not in ADDRESSES:
            return handler.error(404, 10005, "Resource not found")
        if any(n["emergency_address_id"] == m.group(1) and n["emergency_enabled"] for n in NUMBERS.values()):
            return handler.error(422, 10015, "The address is in use by a phone number's emergency settings")
        return handler.send(200, {"data": ADDRESSES.pop(m.group(1))})
    number_id, what = voice.groups() if voice else (None, None)
    number = held.by_id.get(number_id)
    if number is None:
        return handler.error(404, 10005, "Resource not found", logged=body)
    if what == "actions/enable_emergency" and method == "POST":
        entry = settings(number_id, number) and NUMBERS[number_id]
        enable = body.get("emergency_enabled")
        if not isinstance(enable, bool) or "emergency_address_id" not in body:
            return handler.error(422, 10015, "emergency_enabled and emergency_address_id are required", logged=body)
        if enable and body["emergency_address_id"] not in ADDRESSES:
            return handler.error(422, 10015, "emergency_address_id is not an address of the account", logged=body)
        COUNTS["enables"] += 1
        entry.update(emergency_enabled=enable, emergency_address_id=body["emergency_address_id"] if enable else None,
                     emergency_status="provisioning" if enable else "disabled")
        return handler.send(200, settings(number_id, number), logged=body)
    if what == "voice" and method == "GET":
        return handler.send(200, settings(number_id, number))
    if what == "voice" and method == "PATCH":
        listing = body.get("cnam_listing", {})
        details = listing.get("cnam_listing_details")
        if listing.get("cnam_listing_enabled") and (not isinstance(details, str) or not CNAM.fullmatch(details)):
            return handler.error(422, 10015, "cnam_listing_details must be at most 15 letters, digits or spaces",
                                 logged=body)
        COUNTS["cnam"] += 1
        entry = settings(number_id, number) and NUMBERS[number_id]
        entry.update(cnam_listing_enabled=bool(listing.get("cnam_listing_enabled")),
                     cnam_listing_details=details if listing.get("cnam_listing_enabled") else None)
        return handler.send(200, settings(number_id, number), logged=body)
    return handler.error(404, 10005, "Resource not found", logged=body)
