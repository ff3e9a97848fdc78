"""Twilio's Porting API v1 (numbers.twilio.com) as the Twilio fake serves it: the portability of a
number (/v1/Porting/Portability/PhoneNumber/{PhoneNumber}), PortIn requests created as JSON
(their utility bill uploaded first to numbers-upload.twilio.com/v1/Documents as multipart),
read, listed (/v1/Porting/PortIn/PortInRequests) and deleted (cancelled). The test drives what
happens next:

  POST /__control/port_in {"number": "+1...", "status": "In progress" | "Action Required" |
                           "Completed" | "Canceled", "port_date": "2027-01-05T14:00:00Z",
                           "rejection_reason": "..."}   (Completed: the numbers join the account)
  POST /__control/portability {"not_portable": {"+1...": "reason"}}
  GET  /__control/porting   {"requests": [...], "documents": n, "creates": n}
"""
import json
import threading
import uuid

from fakehttp import Deferred
from twilio_compliance import multipart, now

LOCK = threading.RLock()
REQUESTS, DOCUMENTS = {}, {}
CONTROL = {"not_portable": {}}
COUNTS = {"creates": 0}


def sid(prefix):
    return prefix + uuid.uuid4().hex


def control(path, request, arrive):
    with LOCK:
        if path == "/__control/portability":
            CONTROL["not_portable"] = request.get("not_portable", {})
        elif path == "/__control/port_in":
            for item in REQUESTS.values():
                numbers = [n for n in item["phone_numbers"] if n["phone_number"] == request.get("number")]
                if not numbers:
                    continue
                item["port_in_request_status"] = request["status"]
                for n in item["phone_numbers"]:
                    if request.get("port_date"):
                        n["port_date"] = request["port_date"]
                    n["rejection_reason"] = request.get("rejection_reason")
                    n["port_in_phone_number_status"] = {"Completed": "Completed", "Canceled": "Canceled",
                                                        "Action Required": "Rejected"}.get(request["status"], "Submitted")
                if request["status"] == "Completed":
                    arrive([n["phone_number"] for n in item["phone_numbers"]])


def state():
    with LOCK:
        return {"requests": list(REQUESTS.values()), "documents": len(DOCUMENTS), **COUNTS}


def serve(handler, method, path, query, raw, account):
    """Serves a porting request (or its document's upload); False when the path is not one of them."""
    if not (path.startswith("/v1/Porting/") or path == "/v1/Documents"):
        return False
    deferred = Deferred(handler)
    with LOCK:
        serve_locked(deferred, method, path, query, raw, account)
    deferred.replay()
    return True


def serve_locked(handler, method, path, query, raw, account):
    url = "https://numbers.twilio.com" + path
    if path == "/v1/Documents" and method == "POST":
        content_type = handler.headers.get("Content-Type", "")
        if not content_type.startswith("multipart/form-data"):
            return handler.error(400, 20001, "A document's file goes to numbers-upload.twilio.com as multipart/form-data")
        fields, files = multipart(content_type, raw)
        missing = [f for f in ("document_type", "friendly_name") if not fields.get(f)] + ([] if "File" in files else ["File"])
        if missing:
            return handler.error(400, 20001, "Missing required parameter(s): " + ", ".join(missing), logged=fields)
        document = {"sid": sid("RD"), "document_type": fields["document_type"], "friendly_name": fields["friendly_name"],
                    "size": len(files["File"][1]), "date_created": now()}
        DOCUMENTS[document["sid"]] = document
        return handler.send(201, document, logged=fields)
    if path.startswith("/v1/Porting/Portability/PhoneNumber/") and method == "GET":
        number = path.rsplit("/", 1)[1]
        reason = CONTROL["not_portable"].get(number)
        return handler.send(200, {"phone_number": number, "account_sid": account, "portable": reason is None,
                                  "pin_and_account_number_required": False, "not_portable_reason": reason,
                                  "not_portable_reason_code": 22131 if reason else None, "number_type": "LOCAL",
                                  "country": "US", "url": url})
    if path == "/v1/Porting/PortIn" and method == "POST":
        if not handler.headers.get("Content-Type", "").startswith("application/json"):
            return handler.error(400, 20001, "A port-in request is a JSON body")
        body = json.loads(raw or "{}")
        losing = body.get("losing_carrier_information") or {}
        problems = [f for f in ("account_sid", "documents", "losing_carrier_information") if not body.get(f)]
        problems += [f for f in ("customer_name", "authorized_representative", "authorized_representative_email")
                     if not losing.get(f)]
        problems += [d for d in body.get("documents", []) if d not in DOCUMENTS]
        if body.get("account_sid") != account:
            problems.append("account_sid")
        if problems or not body.get("phone_numbers"):
            return handler.error(400, 20001, "Invalid port-in request: " + ", ".join(problems or ["phone_numbers"]),
                                 logged=body)
        for n in body["phone_numbers"]:
            taken = [r for r in REQUESTS.values() if r["port_in_request_status"] not in ("Canceled", "Completed", "Expired")
                     and any(p["phone_number"] == n["phone_number"] for p in r["phone_numbers"])]
            if taken:
                return handler.error(400, 22100, n["phone_number"] + " is on an open port-in request already", logged=body)
        COUNTS["creates"] += 1
        request = {"port_in_request_sid": "KW" + uuid.uuid4().hex, "account_sid": account,
                   "port_in_request_status": "In review", "order_cancellation_reason": None,
                   "notification_emails": body.get("notification_emails"), "target_port_in_date": body.get(
                       "target_port_in_date"), "losing_carrier_information": {k: v for k, v in losing.items()
                                                                              if k != "account_number"},
                   "documents": body["documents"], "date_created": now(),
                   "phone_numbers": [{"phone_number": n["phone_number"], "portable": True,
                                      "port_in_phone_number_sid": "PU" + uuid.uuid4().hex,
                                      "port_in_phone_number_status": "In Review", "port_date": None,
                                      "rejection_reason": None, "pin_given": bool(n.get("pin"))}
                                     for n in body["phone_numbers"]]}
        request["url"] = url + "/" + request["port_in_request_sid"]
        REQUESTS[request["port_in_request_sid"]] = request
        return handler.send(202, request, logged=body)
    if path == "/v1/Porting/PortIn/PortInRequests" and method == "GET":
        items = [{"port_in_request_sid": r["port_in_request_sid"], "port_in_request_status": r["port_in_request_status"],
                  "phone_numbers_requested": len(r["phone_numbers"]), "phone_numbers_ported": 0}
                 for r in REQUESTS.values()]
        return handler.send(200, {"port_in_requests": items, "meta": {"previous_token": None, "next_token": None}})
    if path.startswith("/v1/Porting/PortIn/"):
        request = REQUESTS.get(path.rsplit("/", 1)[1])
        if request is None:
            return handler.error(404, 20404, "The requested resource was not found")
        if method == "GET":
            return handler.send(200, request)
        if method == "DELETE":
            request["port_in_request_status"] = "Canceled"
            for n in request["phone_numbers"]:
                n["port_in_phone_number_status"] = "Canceled"
            return handler.send(204, None)
    return handler.error(404, 20404, "The requested resource was not found")
