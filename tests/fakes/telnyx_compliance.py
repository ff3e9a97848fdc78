"""Telnyx's regulatory requirements (API v2) as the Telnyx fake serves them: /v2/requirements per
country, number type and action; /v2/documents (a file as base64 JSON); /v2/requirement_groups
(created, listed by customer_reference, read, patched, submit_for_approval) with a review the
test drives:

  POST /__control/requirement_group {"name": "...", "status": "approved" | "declined" |
                                     "pending-approval", "declined": ["Proof of Address", ...]}
  GET  /__control/compliance   {"groups": [...], "documents": n}

An order for a regulated country and type waits (pending) until its requirement group is
approved; then Telnyx completes it."""
import base64
import hashlib
import threading
import uuid
from datetime import datetime, timezone

from fakehttp import Deferred

LOCK = threading.RLock()
GROUPS, DOCUMENTS = {}, {}

REQUIREMENT_TYPES = {
    "business_name": {"id": "8a8b0b7e-0000-4000-8000-000000000001", "name": "Business Name", "type": "textual",
                      "description": "The registered name of the business",
                      "acceptance_criteria": {"min_length": 2, "max_length": 200}},
    "proof_of_address": {"id": "8a8b0b7e-0000-4000-8000-000000000002", "name": "Proof of Address", "type": "document",
                         "description": "A utility bill or lease under 3 months old", "acceptance_criteria": {}},
    "address": {"id": "8a8b0b7e-0000-4000-8000-000000000003", "name": "Address", "type": "address",
                "description": "The id of an address in the account", "acceptance_criteria": {}},
}
REQUIREMENTS = {
    ("DE", "local"): {"id": "0d1e2f3a-0000-4000-8000-00000000de01",
                      "types": ["business_name", "proof_of_address"]},
}


def now():
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def regulated(country, kind):
    return (country, kind) in REQUIREMENTS


def group_approved(group_id):
    with LOCK:
        group = GROUPS.get(group_id)
        return group is not None and group["status"] == "approved"


def requirement_item(requirement_id):
    for key, item in REQUIREMENT_TYPES.items():
        if item["id"] == requirement_id:
            return item
    return None


def control(path, request, complete_orders):
    with LOCK:
        if path != "/__control/requirement_group":
            return
        group = GROUPS.get(request.get("id", "")) or next(
            (g for g in GROUPS.values() if g["customer_reference"].endswith(" " + request.get("name", "\0"))), None)
        if group is None:
            return
        group["status"] = request["status"]
        declined = set(request.get("declined", []))
        for item in group["regulatory_requirements"]:
            kind = requirement_item(item["requirement_id"])
            if request["status"] == "approved":
                item["status"] = "approved"
            elif kind and kind["name"] in declined:
                item["status"] = "declined"
            elif request["status"] == "pending-approval":
                item["status"] = "pending-approval"
        group["updated_at"] = now()
    if request["status"] == "approved":
        complete_orders(group["id"])


def state():
    with LOCK:
        return {"groups": [{"id": g["id"], "customer_reference": g["customer_reference"], "status": g["status"],
                            "values": {requirement_item(i["requirement_id"])["name"]: i["field_value"]
                                       for i in g["regulatory_requirements"] if requirement_item(i["requirement_id"])}}
                           for g in GROUPS.values()],
                "documents": len(DOCUMENTS)}


def serve_locked(handler, method, path, query, body):
    """Serves a requirements request with the state locked; False when the path is not one of them."""
    with LOCK:
        if path == "/v2/requirements" and method == "GET":
            allowed = {"filter[country_code]", "filter[phone_number_type]", "filter[action]", "page[size]", "page[number]"}
            unknown = set(query) - allowed
            if unknown:
                return handler.error(400, 10015, "Invalid filter: " + ", ".join(sorted(unknown))) or True
            data = []
            for (country, kind), requirement in REQUIREMENTS.items():
                if query.get("filter[country_code]", country) != country:
                    continue
                if query.get("filter[phone_number_type]", kind) != kind:
                    continue
                data.append({"id": requirement["id"], "record_type": "requirement", "country_code": country,
                             "phone_number_type": kind, "action": query.get("filter[action]", "ordering"),
                             "locality": "", "requirement_types": [
                                 dict(REQUIREMENT_TYPES[t], record_type="requirement_type") for t in requirement["types"]]})
            handler.send(200, {"data": data, "meta": {"total_pages": 1, "total_results": len(data), "page_number": 1,
                                                      "page_size": 250}})
        elif path == "/v2/documents" and method == "POST":
            try:
                content = base64.b64decode(body.get("file", ""), validate=True)
            except Exception:
                return handler.error(422, 10015, "file must be base64", logged=body) or True
            if not content:
                return handler.error(422, 10015, "file or url is required", logged=body) or True
            doc = {"id": str(uuid.uuid4()), "record_type": "document", "filename": body.get("filename", ""),
                   "customer_reference": body.get("customer_reference", ""), "status": "pending",
                   "sha256": hashlib.sha256(content).hexdigest(), "size": {"amount": len(content), "unit": "bytes"},
                   "content_type": "application/pdf", "av_scan_status": "scanned", "created_at": now(),
                   "updated_at": now()}
            DOCUMENTS[doc["id"]] = doc
            logged = dict(body)
            logged["file"] = "(%d bytes)" % len(content)
            handler.send(200, {"data": doc}, logged=logged)
        elif path == "/v2/documents" and method == "GET":
            wanted = query.get("filter[customer_reference][eq]")
            handler.send(200, {"data": [d for d in DOCUMENTS.values() if wanted is None or d["customer_reference"] == wanted],
                               "meta": {"total_pages": 1, "page_number": 1}})
        elif path == "/v2/requirement_groups" and method == "POST":
            missing = [k for k in ("country_code", "phone_number_type", "action") if not body.get(k)]
            if missing:
                return handler.error(422, 10015, "Missing: " + ", ".join(missing), logged=body) or True
            group = {"id": str(uuid.uuid4()), "record_type": "requirement_group", "country_code": body["country_code"],
                     "phone_number_type": body["phone_number_type"], "action": body["action"],
                     "customer_reference": body.get("customer_reference", ""), "status": "unapproved",
                     "created_at": now(), "updated_at": now(), "regulatory_requirements": []}
            set_values(group, body.get("regulatory_requirements", []))
            GROUPS[group["id"]] = group
            handler.send(200, group, logged=body)
        elif path == "/v2/requirement_groups" and method == "GET":
            wanted = query.get("filter[customer_reference]")
            handler.send(200, [g for g in GROUPS.values() if wanted is None or g["customer_reference"] == wanted])
        elif path.startswith("/v2/requirement_groups/"):
            parts = path[len("/v2/requirement_groups/"):].split("/")
            group = GROUPS.get(parts[0])
            if group is None:
                return handler.error(404, 10005, "Resource not found", logged=body) or True
            if len(parts) == 1 and method == "GET":
                handler.send(200, group)
            elif len(parts) == 1 and method == "PATCH":
                set_values(group, body.get("regulatory_requirements", []))
                if group["status"] == "declined":
                    group["status"] = "unapproved"
                handler.send(200, group, logged=body)
            elif parts[1:] == ["submit_for_approval"] and method == "POST":
                group["status"] = "pending-approval"
                for item in group["regulatory_requirements"]:
                    item["status"] = "pending-approval"
                handler.send(200, group, logged=body)
            else:
                handler.error(404, 10005, "Resource not found", logged=body)
        else:
            return False
    return True


def set_values(group, values):
    by_id = {i["requirement_id"]: i for i in group["regulatory_requirements"]}
    for value in values:
        kind = requirement_item(value.get("requirement_id", ""))
        item = by_id.get(value.get("requirement_id")) or {"requirement_id": value.get("requirement_id"),
                                                           "created_at": now()}
        item.update({"field_type": kind["type"] if kind else "textual", "field_value": value.get("field_value", ""),
                     "status": "unapproved", "updated_at": now(), "expires_at": None})
        if item["requirement_id"] not in by_id:
            group["regulatory_requirements"].append(item)
            by_id[item["requirement_id"]] = item
    group["updated_at"] = now()


def serve(handler, method, path, query, body):
    """Serves a request; False when the path is not one of them."""
    deferred = Deferred(handler)
    served = serve_locked(deferred, method, path, query, body)
    deferred.replay()
    return served
