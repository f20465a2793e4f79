#!/usr/bin/env python3
"""Recomputes Zaakstroom's event hashes and checkpoint roots outside its code.

The format is defined in docs/hash-chain.md; this script is its executable form, written
from that text with the Python standard library only, and the source of the known-answer
tests (event-schemas/tests/hash_known_answers.rs, event-store/src/verify/merkle.rs):

  python3 ops/hash-chain.py known-answers        # the vectors the tests pin
  python3 ops/hash-chain.py envelopes FILE       # JSON lines of envelopes (as on NATS
                                                 # events.{tenant}.*): recompute, check links
  python3 ops/hash-chain.py checkpoint FILE      # an exported checkpoint: its Merkle root,
                                                 # and the message its signature covers
"""

import hashlib
import json
import math
import struct
import sys
import uuid


# --- canonical JSON (serde_json's compact output) -------------------------------------

def canonical_float(x: float) -> str:
    """A float as serde_json 1.0.154 writes it: the shortest digits that read back as x;
    plain notation when the decimal exponent of the first digit is in -5..=15 (always with
    a fraction, `100.0`), else `d.ddde+N` / `de-N` (the exponent without leading zeros)."""
    if not math.isfinite(x):
        raise ValueError("JSON has no NaN or infinity")
    if x == 0:
        return "-0.0" if math.copysign(1, x) < 0 else "0.0"
    sign = "-" if x < 0 else ""
    mantissa, _, exp = repr(abs(x)).partition("e")
    whole, _, frac = mantissa.partition(".")
    digits = (whole + frac).lstrip("0")
    # repr gives d.ddd or ddd.ddd or 0.000ddd; find the exponent of the first digit.
    point = len(whole) + (int(exp) if exp else 0)  # digits before the decimal point
    lead = len(whole + frac) - len((whole + frac).lstrip("0"))
    e = point - lead - 1
    digits = digits.rstrip("0") or "0"
    if -5 <= e <= 15:
        if e >= 0:
            int_part = (digits[: e + 1]).ljust(e + 1, "0")
            frac_part = digits[e + 1:] or "0"
            return f"{sign}{int_part}.{frac_part}"
        return f"{sign}0.{'0' * (-e - 1)}{digits}"
    frac_part = f".{digits[1:]}" if len(digits) > 1 else ""
    return f"{sign}{digits[0]}{frac_part}e{'+' if e >= 0 else '-'}{abs(e)}"


def canonical_string(s: str) -> str:
    """serde_json's escaping: only `"`, `\\` and control characters below U+0020 (\\b \\f
    \\n \\r \\t by name, others as \\u00xx in lowercase hex); everything else as UTF-8."""
    named = {'"': '\\"', "\\": "\\\\", "\b": "\\b", "\f": "\\f", "\n": "\\n", "\r": "\\r", "\t": "\\t"}
    out = []
    for ch in s:
        if ch in named:
            out.append(named[ch])
        elif ord(ch) < 0x20:
            out.append(f"\\u{ord(ch):04x}")
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


def canonical(value) -> str:
    """A payload: objects with keys sorted by their UTF-8 bytes, no whitespace."""
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, int):
        if not -(2 ** 63) <= value < 2 ** 64:
            return canonical_float(float(value))  # serde_json reads it as a float
        return str(value)
    if isinstance(value, float):
        return canonical_float(value)
    if isinstance(value, str):
        return canonical_string(value)
    if isinstance(value, list):
        return "[" + ",".join(canonical(v) for v in value) + "]"
    if isinstance(value, dict):
        keys = sorted(value, key=lambda k: k.encode("utf-8"))
        return "{" + ",".join(canonical_string(k) + ":" + canonical(value[k]) for k in keys) + "}"
    raise TypeError(type(value))


def metadata_json(m: dict) -> str:
    """The envelope's metadata in its fixed field order (not sorted), optional fields left
    out when empty or absent, as the event was written."""
    actor = m["actor"]
    a = [("client_id", actor["client_id"]), ("user_id", actor["user_id"]),
         ("user_representation", actor["user_representation"])]
    if actor.get("applicatie_weergave"):
        a.append(("applicatie_weergave", actor["applicatie_weergave"]))
    fields = [
        ("occurred_at", canonical_string(m["occurred_at"])),
        ("actor", "{" + ",".join(canonical_string(k) + ":" + canonical_string(v) for k, v in a) + "}"),
        ("tenant", canonical_string(m["tenant"])),
        ("correlation_id", canonical_string(m["correlation_id"])),
        ("causation_id", "null" if m.get("causation_id") is None else canonical_string(m["causation_id"])),
    ]
    if m.get("toelichting"):
        fields.append(("toelichting", canonical_string(m["toelichting"])))
    if m.get("traceparent") is not None:
        fields.append(("traceparent", canonical_string(m["traceparent"])))
    return "{" + ",".join(canonical_string(k) + ":" + v for k, v in fields) + "}"


def occurred_at(seconds: int, micros: int) -> str:
    """chrono's RFC 3339 form of a UTC instant: Z, and a fraction of 3, 6 or 9 digits, the
    fewest that hold it (none when whole)."""
    import datetime
    t = datetime.datetime.fromtimestamp(seconds, tz=datetime.timezone.utc)
    base = t.strftime("%Y-%m-%dT%H:%M:%S")
    if micros == 0:
        return base + "Z"
    if micros % 1000 == 0:
        return f"{base}.{micros // 1000:03d}Z"
    return f"{base}.{micros:06d}Z"


# --- the event hash ------------------------------------------------------------------

def field(h, data: bytes):
    h.update(struct.pack(">Q", len(data)))
    h.update(data)


def event_hash(e: dict) -> str:
    """SHA-256 over eight length-prefixed fields (8-byte big-endian length, then bytes)."""
    h = hashlib.sha256()
    field(h, e["prev_hash"].encode())
    field(h, uuid.UUID(e["event_id"]).bytes)
    field(h, e["stream"].encode())
    field(h, struct.pack(">Q", e["revision"]))
    field(h, e["event_type"].encode())
    field(h, struct.pack(">H", e["schema_version"]))
    field(h, metadata_json(e).encode())
    field(h, canonical(e["payload"]).encode())
    return h.hexdigest()


# --- the checkpoint's Merkle root (RFC 6962) -----------------------------------------

def leaf_hash(stream: str, version: int, head_hash: str) -> bytes:
    s = stream.encode()
    return hashlib.sha256(b"\x00" + struct.pack(">Q", len(s)) + s + struct.pack(">Q", version)
                          + struct.pack(">Q", len(head_hash)) + head_hash.encode()).digest()


def merkle_root(leaves: list) -> str:
    def mth(ls):
        if len(ls) == 1:
            return ls[0]
        k = 1
        while k * 2 < len(ls):
            k *= 2
        return hashlib.sha256(b"\x01" + mth(ls[:k]) + mth(ls[k:])).digest()
    if not leaves:
        return hashlib.sha256(b"").hexdigest()
    return mth(leaves).hex()


def checkpoint_root(heads: list) -> str:
    heads = sorted(heads, key=lambda h: h["stream"].encode())
    return merkle_root([leaf_hash(h["stream"], h["version"], h["hash"]) for h in heads])


def signed_message(cp: dict) -> bytes:
    return (f"zaakstroom-checkpoint/1\nsealed_at={cp['sealed_at']}\nstreams={cp['streams']}\n"
            f"root={cp['root']}\n").encode()


# --- known answers -------------------------------------------------------------------

def known_envelopes():
    first = {
        "event_id": "0190f5a8-7b2c-7def-8123-456789abcdef",
        "event_type": "ZaakCreated",
        "schema_version": 1,
        "stream": "zaak-6f1c2d3e-0000-4000-8000-000000000001",
        "revision": 0,
        "occurred_at": occurred_at(1_700_000_000, 123_456),
        "actor": {"client_id": "e2e-client", "user_id": "u1", "user_representation": "Ürsula de Vries"},
        "tenant": "default",
        "correlation_id": "0190f5a8-7b2c-7def-8123-000000000001",
        "causation_id": None,
        "prev_hash": "",
        "payload": {
            "zaaktype": "http://localhost:8000/catalogi/api/v1/zaaktypen/1",
            "omschrijving": "Aanvraag \"kapvergunning\"\n\tboom\u0001 — één",
            "bedrag": 1250.5, "aantal": 3, "negatief": -7, "groot": 18446744073709551615,
            "klein": 1.5e-7, "heel": 100.0, "veraf": 1e21, "nul": 0.0,
            "geometrie": {"type": "Point", "coordinates": [5.1214, 52.0907]},
            "Zeta": True, "alfa": None, "lijst": [], "leeg": {},
        },
    }
    second = {
        "event_id": "0190f5a8-7b2c-7def-8123-456789abcdf0",
        "event_type": "StatusAdded",
        "schema_version": 2,
        "stream": first["stream"],
        "revision": 1,
        "occurred_at": occurred_at(1_700_000_060, 0),
        "actor": {"client_id": "e2e-client", "user_id": "u1", "user_representation": "Ursula",
                  "applicatie_weergave": "Zaaksysteem"},
        "tenant": "default",
        "correlation_id": "0190f5a8-7b2c-7def-8123-000000000002",
        "causation_id": "0190f5a8-7b2c-7def-8123-000000000001",
        "toelichting": "Op verzoek van de aanvrager",
        "traceparent": "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
        "payload": {"statustoelichting": "", "datum_status_gezet": "2023-11-14T22:14:20Z"},
    }
    first["hash"] = event_hash(first)
    second["prev_hash"] = first["hash"]
    second["hash"] = event_hash(second)
    return [first, second]


def known_answers():
    envelopes = known_envelopes()
    for e in envelopes:
        print(f"event {e['stream']} revision {e['revision']}")
        print(f"  metadata {metadata_json(e)}")
        print(f"  payload  {canonical(e['payload'])}")
        print(f"  hash     {e['hash']}")
    for x in [100.0, 0.1, 1.5e-7, 1e-5, 1e-6, 1e15, 1e16, 1e21, 1.7976931348623157e308, 5e-324,
              -2.5, 123456.789, 0.000123, -1.2345e-100, 2.5e100, 0.30000000000000004]:
        print(f"float {x!r} -> {canonical_float(x)}")
    for n in [0, 1, 2, 3, 5, 7]:
        heads = [{"stream": f"zaak-{i}", "version": i, "hash": f"{i:064x}"} for i in range(n)]
        print(f"merkle {n} heads -> {checkpoint_root(heads)}")
    heads = [{"stream": "zaak-b", "version": 2, "hash": "ab" * 32},
             {"stream": "claim-x", "version": 0, "hash": "cd" * 32},
             {"stream": "zaak-a", "version": 10, "hash": "ef" * 32}]
    print(f"merkle unsorted-input heads -> {checkpoint_root(heads)}")


def check_envelopes(path: str) -> int:
    last = {}
    faults = 0
    with open(path, encoding="utf-8") as f:
        for line in f:
            if not line.strip():
                continue
            e = json.loads(line)
            recomputed = event_hash(e)
            prev = last.get(e["stream"])
            expected_prev = prev["hash"] if prev else ""
            if e["hash"] != recomputed:
                print(f"FAULT {e['stream']} revision {e['revision']}: hash {e['hash']}, recomputed {recomputed}")
                faults += 1
            elif e["prev_hash"] != expected_prev and prev is not None:
                print(f"FAULT {e['stream']} revision {e['revision']}: prev_hash does not link")
                faults += 1
            last[e["stream"]] = e
    print(f"{faults} faults")
    return 1 if faults else 0


def check_checkpoint(path: str) -> int:
    with open(path, encoding="utf-8") as f:
        cp = json.load(f)
    root = checkpoint_root(cp["heads"])
    ok = root == cp["root"] and len(cp["heads"]) == cp["streams"]
    print(f"root over {len(cp['heads'])} heads: {root} ({'matches' if ok else 'DOES NOT match'} {cp['root']})")
    print(f"signed message: {signed_message(cp)!r}")
    print(f"public key: {cp['public_key']}  signature: {cp['signature']}")
    return 0 if ok else 1


if __name__ == "__main__":
    if len(sys.argv) == 2 and sys.argv[1] == "known-answers":
        known_answers()
    elif len(sys.argv) == 3 and sys.argv[1] == "envelopes":
        sys.exit(check_envelopes(sys.argv[2]))
    elif len(sys.argv) == 3 and sys.argv[1] == "checkpoint":
        sys.exit(check_checkpoint(sys.argv[2]))
    else:
        print(__doc__)
        sys.exit(2)
