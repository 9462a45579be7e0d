"""The API's request/response shapes (api_schema.json, generated from the server's zod schemas by
libs/api/src/sdk/api-schema.ts) and a validator for the JSON Schema subset zod emits."""

from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources
from typing import Any, Callable, Dict, List, Mapping, Optional

Schema = Mapping[str, Any]


@lru_cache(maxsize=1)
def api_schema() -> Dict[str, Any]:
    text = resources.files("retune").joinpath("api_schema.json").read_text(encoding="utf-8")
    loaded: Dict[str, Any] = json.loads(text)
    return loaded


def procedure(path: str) -> Dict[str, Any]:
    procs: Dict[str, Dict[str, Any]] = api_schema()["procedures"]
    if path not in procs:
        raise KeyError(f"{path} is not an SDK procedure (api_schema.json lists {sorted(procs)})")
    return procs[path]


_TYPES: Dict[str, Callable[[Any], bool]] = {
    "string": lambda v: isinstance(v, str),
    "boolean": lambda v: isinstance(v, bool),
    "null": lambda v: v is None,
    "object": lambda v: isinstance(v, dict),
    "array": lambda v: isinstance(v, list),
    "number": lambda v: isinstance(v, (int, float)) and not isinstance(v, bool),
    "integer": lambda v: (isinstance(v, int) and not isinstance(v, bool))
    or (isinstance(v, float) and v.is_integer()),
}


def errors(schema: Schema, value: Any, path: str = "") -> List[str]:
    """Every way `value` breaks `schema`, each as "path: what" (empty when it fits)."""
    where = path or "(root)"
    if "anyOf" in schema or "oneOf" in schema:
        options = schema.get("anyOf") or schema.get("oneOf") or []
        # A discriminated union: judge the value by the form its discriminator names.
        named = [o for o in options if _discriminated(o, value)]
        if len(named) == 1:
            return errors(named[0], value, path)
        found = [errors(option, value, path) for option in options]
        if all(found):
            best = min(found, key=len)
            return best if len(options) == 1 else [f"{where}: fits none of its forms ({best[0]})"]
    for sub in schema.get("allOf", []):
        out = errors(sub, value, path)
        if out:
            return out
    kinds = schema.get("type")
    if kinds is not None:
        kinds = [kinds] if isinstance(kinds, str) else kinds
        if not any(_TYPES[k](value) for k in kinds):
            return [f"{where}: expected {' or '.join(kinds)}, got {_describe(value)}"]
    if "const" in schema and value != schema["const"]:
        return [f"{where}: must be {schema['const']!r}, got {value!r}"]
    if "enum" in schema and value not in schema["enum"]:
        return [f"{where}: must be one of {', '.join(map(repr, schema['enum']))}, got {value!r}"]
    out = _bounds(schema, value, where)
    if isinstance(value, dict):
        out += _object(schema, value, path)
    if isinstance(value, list) and isinstance(schema.get("items"), dict):
        for i, item in enumerate(value):
            out += errors(schema["items"], item, f"{path}.{i}" if path else str(i))
    return out


def _discriminated(option: Schema, value: Any) -> bool:
    if not isinstance(value, dict):
        return False
    consts = {k: p["const"] for k, p in option.get("properties", {}).items() if "const" in p}
    return bool(consts) and all(value.get(k) == c for k, c in consts.items())


def _bounds(schema: Schema, value: Any, where: str) -> List[str]:
    out: List[str] = []
    if isinstance(value, str):
        if len(value) < schema.get("minLength", 0):
            out.append(f"{where}: at least {schema['minLength']} characters")
        if "maxLength" in schema and len(value) > schema["maxLength"]:
            out.append(f"{where}: at most {schema['maxLength']} characters")
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if "minimum" in schema and value < schema["minimum"]:
            out.append(f"{where}: must be >= {schema['minimum']}, got {value}")
        if "maximum" in schema and value > schema["maximum"]:
            out.append(f"{where}: must be <= {schema['maximum']}, got {value}")
        if "exclusiveMinimum" in schema and value <= schema["exclusiveMinimum"]:
            out.append(f"{where}: must be > {schema['exclusiveMinimum']}, got {value}")
        if "exclusiveMaximum" in schema and value >= schema["exclusiveMaximum"]:
            out.append(f"{where}: must be < {schema['exclusiveMaximum']}, got {value}")
    if isinstance(value, list):
        if len(value) < schema.get("minItems", 0):
            out.append(f"{where}: at least {schema['minItems']} items")
        if "maxItems" in schema and len(value) > schema["maxItems"]:
            out.append(f"{where}: at most {schema['maxItems']} items")
    return out


def _object(schema: Schema, value: Dict[str, Any], path: str) -> List[str]:
    out: List[str] = []
    props: Mapping[str, Schema] = schema.get("properties", {})

    def join(key: str) -> str:
        return f"{path}.{key}" if path else key

    for key in schema.get("required", []):
        if key not in value:
            out.append(f"{join(key)}: required")
    extra: Optional[Any] = schema.get("additionalProperties")
    for key, item in value.items():
        if key in props:
            out += errors(props[key], item, join(key))
        elif extra is False:
            out.append(f"{join(key)}: unknown field (known: {', '.join(props) or 'none'})")
        elif isinstance(extra, dict):
            out += errors(extra, item, join(key))
    return out


def _describe(value: Any) -> str:
    return "null" if value is None else f"{type(value).__name__} {value!r}"[:80]
