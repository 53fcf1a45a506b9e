"""Load rule sets with ElastAlert 2's own config and rule loader. Run by the tests with the Python
of ElastAlert's separate virtualenv (elastalert2 pins elasticsearch 7.10.1, obsgen the official
client 9): reads a JSON list of {"config": {...}, "rules": {name: rule}} on stdin, writes a JSON
list of {"loaded": n} or {"error": "..."} on stdout, one per set, in order."""
import json
import sys
import tempfile
from pathlib import Path

import yaml
from elastalert.config import load_conf
from elastalert.util import EAException


class Args:
    debug = verbose = False
    es_debug = es_debug_trace = None
    rule = silence = start = end = patience = None
    pin_rules = False


def load(folder: Path, config: dict, rules: dict) -> dict:
    (folder / "rules").mkdir(parents=True)
    conf_file = folder / "config.yaml"
    conf_file.write_text(yaml.safe_dump({**config, "rules_folder": str(folder / "rules")}))
    for name, body in rules.items():
        (folder / "rules" / f"{name}.yaml").write_text(yaml.safe_dump(body))
    args = Args()
    args.config = str(conf_file)
    try:
        conf = load_conf(args)
        return {"loaded": len(conf["rules_loader"].load(conf))}
    except EAException as exc:
        return {"error": "\n".join(str(exc).splitlines()[:3])}   # the reason, not the whole schema


def main() -> None:
    sets = json.load(sys.stdin)
    with tempfile.TemporaryDirectory() as tmp:
        out = [load(Path(tmp) / str(i), s["config"], s["rules"]) for i, s in enumerate(sets)]
    json.dump(out, sys.stdout)


if __name__ == "__main__":
    main()
