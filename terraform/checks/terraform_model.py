"""The Terraform configuration as data: every .tf file of terraform/ and its modules, parsed with python-hcl2.

Strings come back as HCL wrote them: a literal without its quotes ("s3:GetObject"), an expression as
"${...}" (a reference such as "${module.load.arn}").
"""

import pathlib

import hcl2

ROOT = pathlib.Path(__file__).resolve().parent.parent


def _clean(value):
    if isinstance(value, dict):
        return {_clean(k): _clean(v) for k, v in value.items() if k != "__is_block__"}
    if isinstance(value, list):
        return [_clean(v) for v in value]
    if isinstance(value, str) and len(value) >= 2 and value[0] == '"' and value[-1] == '"':
        return value[1:-1]
    return value


def load(folder=ROOT):
    """{"resource": {type: {name: body}}, "data": ..., "module": {name: body}, "locals": {...}, "variable": ...}
    for one folder (a module is another folder)."""
    model = {"resource": {}, "data": {}, "module": {}, "locals": {}, "variable": {}, "output": {}}
    for path in sorted(pathlib.Path(folder).glob("*.tf")):
        with open(path) as handle:
            parsed = _clean(hcl2.load(handle))
        for kind in ("resource", "data"):
            for block in parsed.get(kind, []):
                for type_name, named in block.items():
                    for name, body in named.items():
                        model[kind].setdefault(type_name, {})[name] = body
        for kind in ("module", "variable", "output"):
            for block in parsed.get(kind, []):
                model[kind].update(block)
        for block in parsed.get("locals", []):
            model["locals"].update(block)
    return model
