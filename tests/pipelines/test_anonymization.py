"""The collector's anonymization, run: the rendered Lua step executes in LuaJIT (the Lua Fluent
Bit embeds, via lupa) and content_modifier's `hash` action is applied as Fluent Bit documents it
(SHA-256, hex). A PII value leaves as SHA-256(salt + value), never in the clear."""
from __future__ import annotations

import hashlib

from lupa import luajit21   # a test dependency (pyproject [test]): missing, the module fails to import

from obsgen.logs import plan

SALT = "per-deployment-salt-8c1f"


def _anonymizing(estate, fluent_bit):
    region = next(r for r in estate.regions if plan.must_anonymize(r))
    col = plan.collector(estate, region)
    steps = fluent_bit[region.name]["pipeline"]["inputs"][0]["processors"]["logs"]
    return col, steps


def _run(steps, record: dict, env_salt: str | None, monkeypatch, salt_env: str):
    """Run the processor chain on one record: Lua steps in LuaJIT, content_modifier in Python."""
    if env_salt is None:
        monkeypatch.delenv(salt_env, raising=False)
    else:
        monkeypatch.setenv(salt_env, env_salt)
    lua = luajit21.LuaRuntime(unpack_returned_tuples=True)
    record = dict(record)
    for step in steps:
        if step["name"] == "lua":
            lua.execute(step["code"])
            table = lua.table_from(record)
            code, _, out = lua.globals()[step["call"]]("app-logs.api", 1.0, table)
            if code in (1, 2):
                record = {k: v for k, v in out.items()}
        elif step["action"] == "hash" and step["key"] in record:
            record[step["key"]] = hashlib.sha256(str(record[step["key"]]).encode()).hexdigest()
        elif step["action"] == "upsert":
            record[step["key"]] = step["value"]
    return record


RECORD = {"user_email": "ada@example.org", "ip_address": "203.0.113.7", "user_agent": "curl/8.5", "message": "login ok", "level": "INFO"}


def test_each_pii_field_leaves_as_the_salted_sha256_of_its_value(estate, fluent_bit, monkeypatch):
    col, steps = _anonymizing(estate, fluent_bit)
    out = _run(steps, RECORD, SALT, monkeypatch, col.salt_env)
    for key in plan.pii_fields(estate):
        assert out[key] == hashlib.sha256((SALT + RECORD[key]).encode()).hexdigest(), key
        assert out[key] != hashlib.sha256(RECORD[key].encode()).hexdigest(), f"{key} hashed without the salt"
    assert out["message"] == "login ok" and out["level"] == "INFO"
    assert not [v for v in out.values() if v in {RECORD[k] for k in plan.pii_fields(estate)}]


def test_without_a_salt_the_pii_fields_are_dropped_not_sent_in_the_clear(estate, fluent_bit, monkeypatch):
    col, steps = _anonymizing(estate, fluent_bit)
    out = _run(steps, RECORD, None, monkeypatch, col.salt_env)
    assert not set(plan.pii_fields(estate)) & set(out)
    assert out["message"] == "login ok"


def test_a_record_without_pii_passes_unchanged_but_for_the_region(estate, fluent_bit, monkeypatch):
    col, steps = _anonymizing(estate, fluent_bit)
    plain = {"message": "tick", "level": "DEBUG"}
    out = _run(steps, plain, SALT, monkeypatch, col.salt_env)
    assert out == {**plain, "region": col.region}


def test_the_same_value_hashes_alike_so_records_still_join(estate, fluent_bit, monkeypatch):
    col, steps = _anonymizing(estate, fluent_bit)
    one = _run(steps, RECORD, SALT, monkeypatch, col.salt_env)
    two = _run(steps, {**RECORD, "message": "logout"}, SALT, monkeypatch, col.salt_env)
    assert one["user_email"] == two["user_email"]
