"""Twilio's emergency addresses as the Twilio fake serves them: Addresses.json (created with
EmergencyEnabled, corrected only with AutoCorrectAddress, listed by FriendlyName, deleted; refused
while a number uses one) and an IncomingPhoneNumber's EmergencyAddressSid and EmergencyStatus
(emergency_address_status pending-registration until the test moves it). The test drives:

  POST /__control/address_validation {"mode": "valid" | "suggest" | "invalid"}
      suggest: the street is corrected (upper case) when AutoCorrectAddress allows it, and the
      address refused (21629) when it does not; invalid: refused (21628) either way.
  POST /__control/emergency {"number": "+1...", "status": "registered" | "registration-failure" | ...}
  GET  /__control/emergency {"addresses": [...], "numbers": {sid: {...}}, "creates": n, "updates": n}
"""
import re
import threading
import uuid

from twilio_compliance import now

LOCK = threading.RLock()
ADDRESSES, NUMBERS = {}, {}
CONTROL = {"mode": "valid"}
COUNTS = {"creates": 0, "updates": 0}


def control(path, request, sid_of):
    with LOCK:
        if path == "/__control/address_validation":
            CONTROL["mode"] = request.get("mode", "valid")
        elif path == "/__control/emergency":
            sid = sid_of(request.get("number"))
            if sid in NUMBERS:
                NUMBERS[sid]["emergency_address_status"] = request["status"]


def state():
    with LOCK:
        return {"addresses": list(ADDRESSES.values()), "numbers": dict(NUMBERS), **COUNTS}


def number_body(account, sid, number):
    entry = NUMBERS.get(sid, {})
    return {"sid": sid, "account_sid": account, "phone_number": number, "friendly_name": number, "status": "in-use",
            "emergency_status": entry.get("emergency_status", "Inactive"),
            "emergency_address_sid": entry.get("emergency_address_sid"),
            "emergency_address_status": entry.get("emergency_address_status", "unregistered")}


def serve(handler, method, rest, query, form, account, held):
    """Serves Addresses and an IncomingPhoneNumber's own resource; False for other paths."""
    with LOCK:
        if rest == "/Addresses.json" and method == "POST":
            for key in ("CustomerName", "Street", "City", "Region", "PostalCode", "IsoCountry"):
                if not form.get(key):
                    return handler.error(400, 21606, key + " is required", logged=form) or True
            mode, correct = CONTROL["mode"], form.get("AutoCorrectAddress", "true") == "true"
            if mode == "invalid":
                return handler.error(400, 21628, "Address not valid: the street was not found", logged=form) or True
            if mode == "suggest" and not correct:
                return handler.error(400, 21629, "Address cannot be validated as given; AutoCorrectAddress would correct "
                                                 "it", logged=form) or True
            COUNTS["creates"] += 1
            street = form["Street"].upper() if mode == "suggest" else form["Street"]
            address = {"sid": "AD" + uuid.uuid4().hex, "account_sid": account, "customer_name": form["CustomerName"],
                       "street": street, "city": form["City"], "region": form["Region"],
                       "postal_code": form["PostalCode"], "iso_country": form["IsoCountry"],
                       "friendly_name": form.get("FriendlyName"), "emergency_enabled": form.get("EmergencyEnabled") == "true",
                       "validated": True, "verified": False, "date_created": now(), "date_updated": now()}
            ADDRESSES[address["sid"]] = address
            return handler.send(201, address, logged=form) or True
        if rest == "/Addresses.json" and method == "GET":
            items = [a for a in ADDRESSES.values()
                     if "FriendlyName" not in query or a["friendly_name"] == query["FriendlyName"]]
            return handler.send(200, {"addresses": items, "page": 0, "page_size": 50, "next_page_uri": None}) or True
        m = re.fullmatch(r"/Addresses/(AD[0-9a-f]{32})\.json", rest)
        if m and method == "DELETE":
            if m.group(1) not in ADDRESSES:
                return handler.error(404, 20404, "The requested resource was not found") or True
            if any(n.get("emergency_address_sid") == m.group(1) for n in NUMBERS.values()):
                return handler.error(400, 21625, "Address is in use by a phone number's emergency settings") or True
            del ADDRESSES[m.group(1)]
            return handler.send(204) or True
        m = re.fullmatch(r"/IncomingPhoneNumbers/(PN[0-9a-f]{32})\.json", rest)
        if m and method in ("GET", "POST"):
            sid = m.group(1)
            number = held.by_id.get(sid)
            if number is None:
                return handler.error(404, 20404, "The requested resource was not found", logged=form) or True
            if method == "POST" and ("EmergencyAddressSid" in form or form.get("EmergencyStatus") == "Inactive"):
                address = "" if form.get("EmergencyStatus") == "Inactive" else form["EmergencyAddressSid"]
                if address and address not in ADDRESSES:
                    return handler.error(400, 21630, "EmergencyAddressSid is not an address of the account",
                                         logged=form) or True
                COUNTS["updates"] += 1
                NUMBERS[sid] = {"emergency_address_sid": address or None,
                                "emergency_status": form.get("EmergencyStatus", "Active" if address else "Inactive"),
                                "emergency_address_status": "pending-registration" if address else "unregistered"}
            return handler.send(200, number_body(account, sid, number), logged=form) or True
    return False
