"""Twilio's Regulatory Compliance API v2 (numbers.twilio.com, uploads on numbers-upload.twilio.com)
as the Twilio fake serves it: Regulations per country and number type, EndUsers, SupportingDocuments
(created with their file as multipart/form-data on the upload host's path), Bundles with
ItemAssignments and Evaluations (what is still missing), and a review the test drives:

  POST /__control/bundle {"friendly_name": "...", "status": "twilio-approved" | "twilio-rejected" |
                          "in-review", "failure_reason": "..."}   (or "sid" instead of the name)
  GET  /__control/compliance   {"bundles": [...], "end_users": n, "documents": n}

An order (IncomingPhoneNumbers POST) for a regulated country and type needs the BundleSid of an
approved bundle, as Twilio requires."""
import json
import random
import threading
import time
from email import policy
from email.parser import BytesParser

from fakehttp import Deferred

LOCK = threading.RLock()
END_USERS, DOCUMENTS, BUNDLES, ASSIGNMENTS = {}, {}, {}, {}
V2 = "/v2/RegulatoryCompliance"

BUSINESS = {"name": "Business", "type": "business", "requirement_name": "business_info",
            "fields": ["business_name", "business_registration_number"],
            "detailed_fields": [{"machine_name": "business_name", "friendly_name": "Business Name",
                                 "description": "The registered name of the business"},
                                {"machine_name": "business_registration_number",
                                 "friendly_name": "Business Registration Number",
                                 "description": "The number the commercial register gives the business"}]}
INDIVIDUAL = {"name": "Individual", "type": "individual", "requirement_name": "individual_info",
              "fields": ["first_name", "last_name"], "detailed_fields": []}
ADDRESS_PROOF = [{"name": "Proof of Address", "type": "document", "requirement_name": "proof_of_address",
                  "description": "A utility bill or lease naming the address, under 3 months old",
                  "accepted_documents": [{"name": "Utility Bill", "type": "utility_bill", "fields": ["address_sids"]},
                                         {"name": "Lease", "type": "lease_agreement", "fields": ["address_sids"]}]}]
REGISTRATION = [{"name": "Business Registration", "type": "document", "requirement_name": "business_registration",
                 "description": "An extract of the commercial register",
                 "accepted_documents": [{"name": "Registration", "type": "business_registration",
                                         "fields": ["business_name"]}]}]


def regulation(sid, country, kind, end_user, documents):
    return {"sid": sid, "friendly_name": "%s %s: %s" % (country, kind, end_user["type"]), "iso_country": country,
            "number_type": kind, "end_user_type": end_user["type"],
            "requirements": {"end_user": [end_user], "supporting_document": documents},
            "url": "https://numbers.twilio.com/v2/RegulatoryCompliance/Regulations/" + sid}


REGULATIONS = {
    ("DE", "local"): [regulation("RN" + "d" * 31 + "1", "DE", "local", BUSINESS, [ADDRESS_PROOF, REGISTRATION]),
                      regulation("RN" + "d" * 31 + "2", "DE", "local", INDIVIDUAL, [ADDRESS_PROOF])],
    ("DE", "mobile"): [regulation("RN" + "d" * 31 + "3", "DE", "mobile", BUSINESS, [ADDRESS_PROOF])],
}
TWILIO_TYPE = {"local": "local", "mobile": "mobile", "toll-free": "toll_free"}


def new_sid(prefix):
    return prefix + "%032x" % random.getrandbits(128)


def page(key, items, url):
    return {key: items, "meta": {"page": 0, "page_size": 50, "first_page_url": url, "previous_page_url": None,
                                 "url": url, "next_page_url": None, "key": key}}


def regulated(country, kind):
    return (country, kind) in REGULATIONS


def bundle_ok(sid):
    """None when an order may use this bundle: approved here, or one the fake does not know (an
    operator's configured bundle_sid)."""
    with LOCK:
        bundle = BUNDLES.get(sid)
    if bundle is None or bundle["status"] in ("twilio-approved", "provisionally-approved"):
        return None
    return "Bundle %s is %s, not approved" % (sid, bundle["status"])


def find_regulation(bundle):
    for reg in REGULATIONS.get((bundle["iso_country"], TWILIO_TYPE.get(bundle["number_type"], "")), []):
        if reg["end_user_type"] == bundle["end_user_type"]:
            return reg
    return None


def evaluate(bundle):
    """What the bundle misses, as Twilio's evaluation results say it."""
    reg = find_regulation(bundle)
    results = []
    if reg is None:
        return "noncompliant", [{"friendly_name": "Regulation", "requirement_name": "regulation", "passed": False,
                                 "failure_reason": "No regulation for this country and number type", "invalid": []}]
    items = [a["object_sid"] for a in ASSIGNMENTS.values() if a["bundle_sid"] == bundle["sid"]]
    users = [END_USERS[s] for s in items if s in END_USERS]
    docs = [DOCUMENTS[s] for s in items if s in DOCUMENTS]
    for end_user in reg["requirements"]["end_user"]:
        user = next((u for u in users if u["type"] == end_user["type"]), None)
        invalid = [{"friendly_name": f, "object_field": f, "failure_reason": "The %s is missing." % f, "error_code": 22215}
                   for f in end_user["fields"] if not user or not (user["attributes"] or {}).get(f)]
        results.append({"friendly_name": end_user["name"], "requirement_name": end_user["requirement_name"],
                        "object_type": end_user["type"], "passed": not invalid and user is not None,
                        "failure_reason": None if user else "A %s End-User is missing." % end_user["name"],
                        "error_code": None if user else 22214, "valid": [], "invalid": invalid})
    for group in reg["requirements"]["supporting_document"]:
        for requirement in group:
            accepted = {d["type"] for d in requirement["accepted_documents"]}
            passed = any(d["type"] in accepted for d in docs)
            results.append({"friendly_name": requirement["name"], "requirement_name": requirement["requirement_name"],
                            "object_type": "document", "passed": passed,
                            "failure_reason": None if passed else "A %s is missing." % requirement["name"],
                            "error_code": None if passed else 22216, "valid": [], "invalid": []})
    return ("compliant" if all(r["passed"] for r in results) else "noncompliant"), results


def control(path, request):
    with LOCK:
        if path == "/__control/bundle":
            bundle = BUNDLES.get(request.get("sid", "")) or next(
                (b for b in BUNDLES.values() if b["friendly_name"].endswith(" " + request.get("name", "\0")) or
                 b["friendly_name"] == request.get("friendly_name")), None)
            if bundle is None:
                return False
            bundle["status"] = request["status"]
            bundle["failure_reason"] = request.get("failure_reason")
            bundle["date_updated"] = now()
            return True
    return False


def state():
    with LOCK:
        return {"bundles": [{"sid": b["sid"], "friendly_name": b["friendly_name"], "status": b["status"],
                             "items": sorted(a["object_sid"] for a in ASSIGNMENTS.values() if a["bundle_sid"] == b["sid"])}
                            for b in BUNDLES.values()],
                "end_users": len(END_USERS), "documents": len(DOCUMENTS),
                "document_types": sorted(d["type"] for d in DOCUMENTS.values())}


def now():
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())


def multipart(content_type, raw):
    message = BytesParser(policy=policy.default).parsebytes(
        b"Content-Type: " + content_type.encode() + b"\r\n\r\n" + raw.encode("utf-8", "surrogateescape"))
    fields, files = {}, {}
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        if part.get_filename() is not None:
            files[name] = (part.get_filename(), part.get_payload(decode=True), part.get_content_type())
        else:
            fields[name] = part.get_content()
    return fields, files


def serve_locked(handler, method, path, query, form, raw, account):
    """Serves a Regulatory Compliance request with the state locked; False when the path is not one of them."""
    if not path.startswith(V2):
        return False
    rest = path[len(V2):]
    url = "https://numbers.twilio.com" + path
    with LOCK:
        if rest == "/Regulations" and method == "GET":
            key = (query.get("IsoCountry", ""), TWILIO_TYPE.get(query.get("NumberType", ""), ""))
            items = [r for r in REGULATIONS.get(key, [])
                     if not query.get("EndUserType") or r["end_user_type"] == query["EndUserType"]]
            handler.send(200, page("results", items, url))
        elif rest == "/EndUsers" and method == "POST":
            sid = new_sid("IT")
            END_USERS[sid] = {"sid": sid, "account_sid": account, "friendly_name": form["FriendlyName"], "type": form["Type"],
                              "attributes": json.loads(form.get("Attributes") or "{}"), "date_created": now(),
                              "date_updated": now(), "url": url + "/" + sid}
            handler.send(201, END_USERS[sid], logged=form)
        elif rest.startswith("/EndUsers/") and method == "POST":
            user = END_USERS.get(rest[len("/EndUsers/"):])
            if not user:
                return handler.error(404, 20404, "The requested resource was not found", logged=form)
            if "Attributes" in form:
                user["attributes"] = json.loads(form["Attributes"] or "{}")
            handler.send(200, user, logged=form)
        elif rest == "/EndUsers" and method == "GET":
            handler.send(200, page("results", list(END_USERS.values()), url))
        elif rest == "/SupportingDocuments" and method == "POST":
            content_type = handler.headers.get("Content-Type", "")
            if not content_type.startswith("multipart/form-data"):
                return handler.error(400, 20001, "A supporting document's file goes to numbers-upload.twilio.com as "
                                                 "multipart/form-data", logged=form)
            fields, files = multipart(content_type, raw)
            missing = [f for f in ("FriendlyName", "Type") if not fields.get(f)] + ([] if "File" in files else ["File"])
            if missing:
                return handler.error(400, 20001, "Missing required parameter(s): " + ", ".join(missing), logged=fields)
            filename, content, mime = files["File"]
            sid = new_sid("RD")
            DOCUMENTS[sid] = {"sid": sid, "account_sid": account, "friendly_name": fields["FriendlyName"],
                              "type": fields["Type"], "mime_type": mime, "status": "draft", "failure_reason": None,
                              "errors": None, "attributes": json.loads(fields.get("Attributes") or "{}"),
                              "date_created": now(), "date_updated": now(), "url": url + "/" + sid,
                              "filename": filename, "size": len(content)}
            logged = dict(fields)
            logged["File"] = "%s (%d bytes, %s)" % (filename, len(content), mime)
            handler.send(201, DOCUMENTS[sid], logged=logged)
        elif rest == "/SupportingDocuments" and method == "GET":
            handler.send(200, page("results", list(DOCUMENTS.values()), url))
        elif rest == "/Bundles" and method == "POST":
            sid = new_sid("BU")
            BUNDLES[sid] = {"sid": sid, "account_sid": account, "regulation_sid": form.get("RegulationSid"),
                            "friendly_name": form["FriendlyName"], "status": "draft", "valid_until": None,
                            "email": form["Email"], "status_callback": None, "date_created": now(), "date_updated": now(),
                            "url": url + "/" + sid, "links": {}, "iso_country": form.get("IsoCountry", ""),
                            "number_type": form.get("NumberType", ""), "end_user_type": form.get("EndUserType", "")}
            handler.send(201, public(BUNDLES[sid]), logged=form)
        elif rest == "/Bundles" and method == "GET":
            items = [public(b) for b in BUNDLES.values()
                     if not query.get("FriendlyName") or b["friendly_name"] == query["FriendlyName"]]
            handler.send(200, page("results", items, url))
        elif rest.startswith("/Bundles/"):
            serve_bundle(handler, method, rest[len("/Bundles/"):].split("/"), query, form, url, account)
        else:
            handler.error(404, 20404, "The requested resource was not found", logged=form)
    return True


def public(bundle):
    return {k: v for k, v in bundle.items() if k not in ("iso_country", "number_type", "end_user_type", "evaluations")}


def serve_bundle(handler, method, parts, query, form, url, account):
    bundle = BUNDLES.get(parts[0])
    if bundle is None:
        return handler.error(404, 20404, "The requested resource was not found", logged=form)
    if len(parts) == 1 and method == "GET":
        return handler.send(200, public(bundle))
    if len(parts) == 1 and method == "POST":
        if form.get("Status") == "pending-review":
            if bundle["status"] not in ("draft", "twilio-rejected"):
                return handler.error(400, 22201, "Bundle is %s: it cannot be submitted" % bundle["status"], logged=form)
            status, _ = evaluate(bundle)
            if status != "compliant":
                return handler.error(400, 22204, "Bundle is not compliant: evaluate it first", logged=form)
            bundle["status"] = "pending-review"
            bundle["failure_reason"] = None
        for key, field in (("friendly_name", "FriendlyName"), ("email", "Email")):
            if field in form:
                bundle[key] = form[field]
        bundle["date_updated"] = now()
        return handler.send(200, public(bundle), logged=form)
    if parts[1:] == ["ItemAssignments"] and method == "POST":
        sid = new_sid("BV")
        ASSIGNMENTS[sid] = {"sid": sid, "bundle_sid": bundle["sid"], "account_sid": account,
                            "object_sid": form["ObjectSid"], "date_created": now(), "url": url + "/" + sid}
        return handler.send(201, ASSIGNMENTS[sid], logged=form)
    if parts[1:] == ["ItemAssignments"] and method == "GET":
        return handler.send(200, page("results", [a for a in ASSIGNMENTS.values() if a["bundle_sid"] == bundle["sid"]], url))
    if parts[1:] == ["Evaluations"] and method == "POST":
        status, results = evaluate(bundle)
        evaluation = {"sid": new_sid("EL"), "account_sid": account, "regulation_sid": bundle["regulation_sid"],
                      "bundle_sid": bundle["sid"], "status": status, "results": results, "date_created": now(), "url": url}
        bundle.setdefault("evaluations", []).insert(0, evaluation)
        return handler.send(201, evaluation, logged=form)
    if parts[1:] == ["Evaluations"] and method == "GET":
        return handler.send(200, page("results", bundle.get("evaluations", []), url))
    return handler.error(404, 20404, "The requested resource was not found", logged=form)


def serve(handler, method, path, query, form, raw, account):
    """Serves a request; False when the path is not one of them."""
    deferred = Deferred(handler)
    served = serve_locked(deferred, method, path, query, form, raw, account)
    deferred.replay()
    return served
