"""Checks schemas kafka-model rendered with the reference Python libraries.

For every NAME.avsc in DIR: parse with fastavro (which also validates defaults) and Apache avro.
For every NAME.schema.json: check it against the draft-07 metaschema with jsonschema, and
validate NAME.sample.json (the JSON that `dumps()` wrote) against it.
Prints one line per failure and a closing "N passed, M failed"; exits 1 on any failure.
"""
import json
import pathlib
import sys

import avro.schema
import fastavro
import jsonschema

root = pathlib.Path(sys.argv[1])
passed = failed = 0


def check(label, fn):
    global passed, failed
    try:
        fn()
        passed += 1
    except Exception as e:  # report every failure, not only the first
        failed += 1
        print(f"FAIL {label}: {type(e).__name__}: {e}")


for path in sorted(root.glob("*.avsc")):
    text = path.read_text()
    check(f"{path.name} fastavro", lambda: fastavro.parse_schema(json.loads(text)))
    check(f"{path.name} avro", lambda: avro.schema.parse(text))

for path in sorted(root.glob("*.schema.json")):
    schema = json.loads(path.read_text())
    sample = json.loads((root / path.name.replace(".schema.json", ".sample.json")).read_text())
    check(f"{path.name} metaschema", lambda: jsonschema.Draft7Validator.check_schema(schema))
    check(f"{path.name} validates sample", lambda: jsonschema.Draft7Validator(schema).validate(sample))

print(f"{passed} passed, {failed} failed")
sys.exit(1 if failed or not passed else 0)
