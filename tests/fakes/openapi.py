"""Request validation against an OpenAPI 3 document, as Prism's validator judges requests: the
path and method are documented, path parameters match their schemas, every query and form
parameter is documented with a value of its type, required ones are present, and the request
carries the documented authentication (HTTP Basic)."""
import json
import re


class Spec:
    def __init__(self, path):
        with open(path) as f:
            self.doc = json.load(f)
        self.routes = []
        for template, item in self.doc["paths"].items():
            names = re.findall(r"{(\w+)}", template)
            pattern = "^" + re.sub(r"\\{(\w+)\\}", r"(?P<\1>[^/]+)", re.escape(template)) + "$"
            for method, operation in item.items():
                if method in ("get", "post", "delete", "put", "patch"):
                    self.routes.append((re.compile(pattern), method.upper(), names, operation, template))

    def find(self, method, path):
        for pattern, m, names, operation, template in self.routes:
            match = pattern.match(path)
            if match and m == method:
                return match.groupdict(), operation, template
        return None, None, None

    def problems(self, method, path, query, form, authorization):
        """Every way the request breaks the document (empty: it conforms)."""
        params, operation, template = self.find(method, path)
        if operation is None:
            return ["%s %s is not in the document" % (method, path)]
        out = []
        if not authorization.startswith("Basic "):
            out.append("no HTTP Basic authentication")
        documented = {p["name"]: p for p in operation.get("parameters", [])}
        for name, value in params.items():
            out += check_value("path parameter " + name, value, documented.get(name, {}).get("schema", {}))
        for name, value in query.items():
            p = documented.get(name)
            if p is None or p.get("in") != "query":
                out.append("query parameter %s is not documented for %s %s" % (name, method, template))
            else:
                out += check_value("query parameter " + name, value, p.get("schema", {}))
        for p in documented.values():
            if p.get("in") == "query" and p.get("required") and p["name"] not in query:
                out.append("required query parameter %s is missing" % p["name"])
        body = operation.get("requestBody", {}).get("content", {}).get("application/x-www-form-urlencoded", {}).get("schema")
        if form and body is None:
            out.append("%s %s takes no form body" % (method, template))
        if body is not None:
            props = body.get("properties", {})
            for name, value in form.items():
                if name not in props:
                    out.append("form parameter %s is not documented for %s %s" % (name, method, template))
                else:
                    out += check_value("form parameter " + name, value, props[name])
            for name in body.get("required", []):
                if name not in form:
                    out.append("required form parameter %s is missing" % name)
        return out


def check_value(what, value, schema):
    kind = schema.get("type", "string")
    if kind == "integer" and not re.fullmatch(r"-?\d+", value):
        return ["%s must be an integer, got %r" % (what, value)]
    if kind == "boolean" and value not in ("true", "false"):
        return ["%s must be true or false, got %r" % (what, value)]
    if kind == "string":
        if "pattern" in schema and not re.search(schema["pattern"], value):
            return ["%s %r does not match %s" % (what, value, schema["pattern"])]
        if "minLength" in schema and len(value) < schema["minLength"]:
            return ["%s %r is shorter than %d" % (what, value, schema["minLength"])]
        if "maxLength" in schema and len(value) > schema["maxLength"]:
            return ["%s %r is longer than %d" % (what, value, schema["maxLength"])]
        if schema.get("format") == "phone-number" and not re.fullmatch(r"\+[1-9]\d{1,14}", value):
            return ["%s %r is not an E.164 number" % (what, value)]
        if "enum" in schema and value not in schema["enum"]:
            return ["%s %r is not one of %s" % (what, value, schema["enum"])]
    return []
