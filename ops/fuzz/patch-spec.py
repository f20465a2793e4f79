#!/usr/bin/env python3
"""Writes a copy of a VNG ZGW spec with the defects of the spec file itself corrected, so
that spec-fuzz reports only what is ours. Usage: patch-spec.py IN.yaml OUT.yaml

Every patch is a place where the VNG file contradicts the standard's own behaviour and
Open Zaak (the reference implementation) answers as we do:
  head-mirrors-get   HEAD documents only 200; it is GET without a body (404, 412 for a
                     missing Accept-Crs, ...), RFC 9110 9.3.2.
  not-modified       operations taking If-None-Match do not document their 304.
  unknown-parent     /zaken/{zaak_uuid}/..., /besluiten/{besluit_uuid}/...: an unknown
                     parent is 404 (Open Zaak's openzaak variant documents 400 instead).
  bad-query          GETs whose query parameters can be invalid (expand, datumGeldigheid,
                     a missing required clientId) do not document the 400 they give.
  delete-204         Catalogi documents 200 for some DELETEs that answer 204 (no body).
  empty-optional     optional string fields of format uri/email are "" when not set, as
                     Open Zaak serves them (Django blank URLField/EmailField); so is
                     StatusType.zaakobjecttype, required and read-only in the 1.3.1 file
                     though no zaakobjecttype need refer to the statustype (Open Zaak's
                     variant has a list zaakobjecttypen instead).
  blank-enum         an optional enum field not set is "" (Besluit.vervalreden), and its
                     read-only ...Weergave is "" then too: Open Zaak's variant has
                     oneOf [the enum, BlankEnum] and no minLength on the Weergave.
  url-lists          ZaakType.informatieobjecttypen and InformatieObjectType.zaaktypen are
                     lists of URLs (the 1.3.1 file types them as strings; Open Zaak's
                     variant and tests/spec_contract.rs agree).
  consumer-object    GET /applicaties/consumer answers one Applicatie, not a list (Open
                     Zaak, vng-api-common).
"""
import sys

import yaml

EMPTY = {"type": "string", "maxLength": 0}
# Required fields that have no value in some cases (see empty-optional).
EMPTY_REQUIRED = {("StatusType", "zaakobjecttype")}


def responses_like(op, codes, source=None):
    for code in codes:
        op["responses"].setdefault(code, (source or {}).get(code, {"description": code}))


def param_names(spec, op):
    names = []
    for p in op.get("parameters", []):
        if "$ref" in p:
            p = spec["components"]["parameters"][p["$ref"].split("/")[-1]]
        names.append((p["name"], p["in"]))
    return names


def allow_empty(node):
    if isinstance(node, list):
        for item in node:
            allow_empty(item)
        return
    if not isinstance(node, dict):
        return
    required = node.get("required")
    required = set(required) if isinstance(required, list) else set()
    for name, prop in (node.get("properties") or {}).items():
        if (isinstance(prop, dict) and prop.get("type") == "string"
                and prop.get("format") in ("uri", "email") and name not in required):
            node["properties"][name] = {"anyOf": [prop, EMPTY]}
        if (isinstance(prop, dict) and prop.get("type") == "string" and "enum" in prop
                and "" not in prop["enum"] and name not in required):
            prop["enum"] = prop["enum"] + [""]
        if isinstance(prop, dict) and name.endswith("Weergave") and prop.get("readOnly"):
            prop.pop("minLength", None)
    for value in node.values():
        allow_empty(value)


def main(src, dst):
    spec = yaml.safe_load(open(src))
    for path, item in spec["paths"].items():
        get = item.get("get")
        for method, op in item.items():
            if not isinstance(op, dict) or "responses" not in op:
                continue
            names = param_names(spec, op) + param_names(spec, item)
            if method == "head" and get:
                responses_like(op, get["responses"], get["responses"])
            if ("If-None-Match", "header") in names:
                responses_like(op, ["304"])
            if any(n.endswith("_uuid") and w == "path" for n, w in names):
                responses_like(op, ["404"])
            if method == "get" and any(w == "query" for _, w in names):
                responses_like(op, ["400"], spec["paths"][path].get("post", {}).get("responses"))
            if method == "delete" and "204" not in op["responses"]:
                op["responses"]["204"] = {"description": "No content"}
    schemas = spec["components"]["schemas"]
    for schema, field in [("ZaakType", "informatieobjecttypen"),
                          ("InformatieObjectType", "zaaktypen")]:
        prop = schemas.get(schema, {}).get("properties", {}).get(field)
        if prop and prop.get("type") == "string":
            items = {k: v for k, v in prop.items() if k in ("format", "maxLength", "minLength")}
            schemas[schema]["properties"][field] = {
                "type": "array", "items": {"type": "string", **items},
                **{k: v for k, v in prop.items() if k in ("description", "title", "readOnly")}}
    consumer = spec["paths"].get("/applicaties/consumer", {}).get("get")
    if consumer:
        body = consumer["responses"]["200"]["content"]["application/json"]
        if body["schema"].get("type") == "array":
            body["schema"] = body["schema"]["items"]
    for schema, field in EMPTY_REQUIRED:
        prop = schemas.get(schema, {}).get("properties", {}).get(field)
        if prop:
            schemas[schema]["properties"][field] = {"anyOf": [prop, EMPTY]}
    allow_empty(spec)
    yaml.safe_dump(spec, open(dst, "w"), sort_keys=False, allow_unicode=True)


if __name__ == "__main__":
    main(*sys.argv[1:3])
