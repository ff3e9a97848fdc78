"""What the carrier fakes share for prices and call records.

POST /__control/prices {"US": {"currency": "USD", "local": "1.15", "toll_free": "2.15"}} sets a
country's prices per type (Twilio's price list; Telnyx's cost_information of its offers).
POST /__control/calls {"calls": [{"to": "+1...", "from": "+1...", "at": "2026-11-30T10:00:00Z",
"direction": "inbound" | "outbound"}]} adds call records the carrier keeps.
POST /__control/page_size {"size": 2} pages call records at most that many at a time.
"""

PRICES = {"US": {"currency": "USD", "local": "1.15", "mobile": "1.15", "toll_free": "2.15"}}
CALLS = []
PAGE = {"size": None}


def control(path, request):
    if path == "/__control/prices":
        PRICES.update(request)
        return True
    if path == "/__control/page_size":
        PAGE["size"] = request.get("size")
        return True
    if path == "/__control/calls":
        CALLS.extend(request.get("calls", []))
        return True
    return False


def price(country, kind):
    entry = PRICES.get(country, {})
    return entry.get(kind), entry.get("currency")


def calls_since(since):
    """Records at or after `since` (a date or a time), oldest first."""
    return sorted((c for c in CALLS if c["at"] >= since), key=lambda c: c["at"])


def page_size(asked):
    return min(asked, PAGE["size"]) if PAGE["size"] else asked
