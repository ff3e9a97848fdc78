"""Telnyx's porting API (v2) as the Telnyx fake serves it: /v2/portability_checks;
/v2/porting_orders created from a list of numbers (split into one order per losing carrier),
listed by filter[customer_reference], read, patched, confirmed and cancelled; the allowed FOC
windows; /v2/portouts listed and answered (PATCH /v2/portouts/{id}/{authorized|rejected-pending}).
The test drives what the carriers do:

  POST /__control/porting {"not_portable": {"+1...": "reason"}, "losing": {"+1...": "Carrier B"},
                           "windows": [["2027-01-04T14:00:00Z", "2027-01-04T22:00:00Z"], ...]}
  POST /__control/porting_order {"number": "+1..." | "id": "...", "status": "foc-date-confirmed" |
                                 "exception" | "ported" | "cancelled", "foc": "...",
                                 "details": [{"code": "LOCATION_MISMATCH", "description": "..."}]}
       (ported: the numbers join the account's numbers)
  POST /__control/portouts {"requests": [{"id", "status", "phone_numbers", "carrier_name", "foc_date"}]}
       (a request "ported": its numbers leave the account)
  GET  /__control/porting   {"orders": [...], "portouts": [...], "patches": n, "confirms": n}
"""
import threading
import uuid
from datetime import datetime, timezone

from fakehttp import Deferred

LOCK = threading.RLock()
ORDERS = {}        # id -> order
PORTOUTS = {}      # id -> request
CONTROL = {"not_portable": {}, "losing": {}, "windows": [["2027-01-04T14:00:00Z", "2027-01-04T22:00:00Z"],
                                                         ["2027-01-05T14:00:00Z", "2027-01-05T22:00:00Z"]]}
COUNTS = {"patches": 0, "confirms": 0, "creates": 0}
PATCH_KEYS = {"activation_settings", "customer_group_reference", "customer_reference", "documents", "end_user", "messaging",
              "misc", "phone_number_configuration", "requirement_group_id", "requirements", "user_feedback", "webhook_url"}


def now():
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def set_status(order, value, details=None):
    order["status"] = {"value": value, "details": details or []}
    order["updated_at"] = now()
    for number in order["phone_numbers"]:
        number["porting_order_status"] = value
        if value == "ported":
            number["activation_status"] = "Active"


def control(path, request, hold, release):
    with LOCK:
        if path == "/__control/porting":
            for key in ("not_portable", "losing", "windows"):
                if key in request:
                    CONTROL[key] = request[key]
        elif path == "/__control/porting_order":
            order = ORDERS.get(request.get("id", "")) or next(
                (o for o in ORDERS.values() if any(n["phone_number"] == request.get("number") for n in o["phone_numbers"])),
                None)
            if order is None:
                return
            set_status(order, request["status"], request.get("details"))
            if request.get("foc"):
                order["activation_settings"]["foc_datetime_actual"] = request["foc"]
            if request["status"] == "ported":
                hold([n["phone_number"] for n in order["phone_numbers"]])
        elif path == "/__control/portouts":
            for item in request.get("requests", []):
                entry = {"id": item.get("id") or str(uuid.uuid4()), "record_type": "portout", "status": item["status"],
                         "phone_numbers": item["phone_numbers"], "carrier_name": item.get("carrier_name", "Other Telco"),
                         "foc_date": item.get("foc_date", now()), "reason": None, "created_at": now(),
                         "updated_at": now()}
                PORTOUTS[entry["id"]] = entry
                if entry["status"] == "ported":
                    release(entry["phone_numbers"])


def state():
    with LOCK:
        return {"orders": list(ORDERS.values()), "portouts": list(PORTOUTS.values()), **COUNTS}


def serve(handler, method, path, query, body, hold):
    """Serves a porting request; False when the path is not one of them."""
    if not (path.startswith("/v2/porting_orders") or path.startswith("/v2/portouts") or path == "/v2/portability_checks"):
        return False
    deferred = Deferred(handler)  # answered once the lock is released (a stalled answer holds nothing up)
    with LOCK:
        serve_locked(deferred, method, path, query, body)
    deferred.replay()
    return True


def serve_locked(handler, method, path, query, body):
    parts = path.split("/")[2:]  # porting_orders, {id}, actions, confirm
    if path == "/v2/portability_checks" and method == "POST":
        numbers = body.get("phone_numbers")
        if not isinstance(numbers, list) or not numbers:
            return handler.error(422, 10015, "phone_numbers is required", logged=body)
        return handler.send(201, {"data": [{"record_type": "portability_check", "phone_number": n,
                                            "portable": n not in CONTROL["not_portable"], "fast_portable": False,
                                            "not_portable_reason": CONTROL["not_portable"].get(n, "")}
                                           for n in numbers]}, logged=body)
    if parts[0] == "porting_orders":
        if len(parts) == 1 and method == "POST":
            numbers = body.get("phone_numbers")
            if not isinstance(numbers, list) or not numbers or set(body) - {"phone_numbers", "customer_reference",
                                                                            "customer_group_reference"}:
                return handler.error(422, 10015, "Invalid porting order", logged=body)
            COUNTS["creates"] += 1
            by_carrier = {}
            for number in numbers:
                by_carrier.setdefault(CONTROL["losing"].get(number, "Carrier A"), []).append(number)
            made = []
            for carrier, group in by_carrier.items():
                order = {"id": str(uuid.uuid4()), "record_type": "porting_order", "customer_reference":
                         body.get("customer_reference"), "created_at": now(), "updated_at": now(),
                         "old_service_provider_ocn": carrier, "activation_settings":
                         {"foc_datetime_requested": None, "foc_datetime_actual": None, "fast_port_eligible": False},
                         "documents": {"loa": None, "invoice": None}, "end_user": {}, "misc": None,
                         "phone_numbers": [{"phone_number": n, "phone_number_type": "local", "activation_status": "New",
                                            "portability_status": "confirmed"} for n in group]}
                set_status(order, "draft")
                ORDERS[order["id"]] = order
                made.append(order)
            return handler.send(201, {"data": made}, logged=body)
        if len(parts) == 1 and method == "GET":
            reference = query.get("filter[customer_reference]")
            items = [o for o in ORDERS.values() if reference is None or o["customer_reference"] == reference]
            return handler.send(200, {"data": items, "meta": {"page_number": 1, "page_size": 250, "total_pages": 1,
                                                              "total_results": len(items)}})
        order = ORDERS.get(parts[1]) if len(parts) > 1 else None
        if order is None:
            return handler.error(404, 10005, "Resource not found", logged=body)
        if len(parts) == 2 and method == "GET":
            return handler.send(200, {"data": order})
        if len(parts) == 2 and method == "PATCH":
            unknown = set(body) - PATCH_KEYS
            if unknown:
                return handler.error(422, 10015, "Unknown fields: " + ", ".join(sorted(unknown)), logged=body)
            if order["status"]["value"] in ("ported", "cancelled", "cancel-pending"):
                return handler.error(422, 10015, "The porting order cannot be changed now", logged=body)
            COUNTS["patches"] += 1
            for key in ("end_user", "documents", "misc", "customer_reference"):
                if key in body:
                    order[key] = body[key]
            if "activation_settings" in body:
                order["activation_settings"]["foc_datetime_requested"] = body["activation_settings"].get(
                    "foc_datetime_requested")
            if order["status"]["value"] == "exception":
                set_status(order, "in-process")  # the fix goes back to the losing carrier
            return handler.send(200, {"data": order}, logged=body)
        if parts[2:] == ["allowed_foc_windows"] and method == "GET":
            return handler.send(200, {"data": [{"record_type": "porting_foc_window", "started_at": s, "ended_at": e}
                                               for s, e in CONTROL["windows"]],
                                      "meta": {"page_number": 1, "page_size": 20, "total_pages": 1,
                                               "total_results": len(CONTROL["windows"])}})
        if parts[2:] == ["actions", "confirm"] and method == "POST":
            if order["status"]["value"] != "draft":
                return handler.error(422, 10015, "Only a draft order can be confirmed", logged=body)
            admin = order["end_user"].get("admin", {}) if isinstance(order["end_user"], dict) else {}
            if not admin.get("entity_name") or not order["documents"].get("loa"):
                return handler.error(422, 10015, "The order misses its end user or LOA", logged=body)
            COUNTS["confirms"] += 1
            set_status(order, "submitted")
            return handler.send(200, {"data": order}, logged=body)
        if parts[2:] == ["actions", "cancel"] and method == "POST":
            if order["status"]["value"] in ("ported", "cancelled"):
                return handler.error(422, 10015, "The order cannot be cancelled now", logged=body)
            set_status(order, "cancelled")
            return handler.send(200, {"data": order}, logged=body)
        return handler.error(404, 10005, "Resource not found", logged=body)
    # portouts
    if len(parts) == 1 and method == "GET":
        items = sorted(PORTOUTS.values(), key=lambda p: p["id"])
        size = min(int(query.get("page[size]", 20)), 250)
        page = int(query.get("page[number]", 1))
        pages = max(1, (len(items) + size - 1) // size)
        return handler.send(200, {"data": items[(page - 1) * size:page * size],
                                  "meta": {"page_number": page, "page_size": size, "total_pages": pages,
                                           "total_results": len(items)}})
    if len(parts) == 3 and method == "PATCH" and parts[2] in ("authorized", "rejected-pending"):
        request = PORTOUTS.get(parts[1])
        if request is None:
            return handler.error(404, 10005, "Resource not found", logged=body)
        if not body.get("reason"):
            return handler.error(422, 10015, "reason is required", logged=body)
        request["status"] = parts[2]
        request["reason"] = body["reason"]
        request["updated_at"] = now()
        return handler.send(200, {"data": request}, logged=body)
    return handler.error(404, 10005, "Resource not found", logged=body)
