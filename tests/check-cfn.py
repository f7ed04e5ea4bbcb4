#!/usr/bin/python3
"""check-cfn.py - checks CloudFormation templates against AWS's resource
specification (a test tool, not part of obc).

  tests/check-cfn.py [--spec DIR] TEMPLATE.json...   check templates
  tests/check-cfn.py [--spec DIR] --self-test        every tests/cfn/bad-*.json
                                                     must be rejected with the
                                                     message its Metadata names,
                                                     every tests/cfn/good-*.json
                                                     must pass

The specification comes from the npm packages pinned in tests/npm/package.json
(installed under build/npm by `make cfn-deps`; --spec names another
node_modules directory): @aws-cdk/cfnspec (spec/specification.json) for the
types it has, and @aws-cdk/aws-service-spec (db.json.gz) for newer types
(AWS::Backup::RestoreTestingPlan, AWS::Backup::LogicallyAirGappedBackupVault).

Checks: template sections are known; logical ids are alphanumeric; every
resource type exists; every property exists on its type (nested property
types too); required properties are present; primitive, list and map types
match (an intrinsic function counts as any type); Ref and Fn::GetAtt name a
resource, parameter or pseudo parameter (and an attribute the type has);
Fn::Sub variables resolve; Fn::Equals, Fn::If, Fn::And/Or/Not and Condition
names resolve and are well formed; DependsOn names resources; a resource
or output that refers to a resource with a Condition has the same
Condition, or one that holds in a subset of its Regions (else the stack
fails where the target's condition is false); parameter
defaults are among AllowedValues and match AllowedPattern; outputs have a
Value. Exit 1 with one line per problem, 2 on a usage error.
"""

import gzip
import json
import os
import re
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DEFAULT_SPEC = os.path.join(ROOT, "build", "npm", "node_modules")

SECTIONS = {"AWSTemplateFormatVersion", "Description", "Metadata", "Parameters", "Rules", "Mappings",
            "Conditions", "Transform", "Resources", "Outputs"}
RESOURCE_KEYS = {"Type", "Properties", "Condition", "DependsOn", "DeletionPolicy", "UpdateReplacePolicy",
                 "Metadata", "CreationPolicy", "UpdatePolicy"}
PARAMETER_KEYS = {"Type", "Default", "AllowedValues", "AllowedPattern", "Description", "ConstraintDescription",
                  "MaxLength", "MinLength", "MaxValue", "MinValue", "NoEcho"}
OUTPUT_KEYS = {"Value", "Description", "Export", "Condition"}
PSEUDO = {"AWS::AccountId", "AWS::NotificationARNs", "AWS::NoValue", "AWS::Partition", "AWS::Region",
          "AWS::StackId", "AWS::StackName", "AWS::URLSuffix"}
LOGICAL_ID = re.compile(r"^[A-Za-z0-9]{1,255}$")
SUB_VAR = re.compile(r"\$\{([^}]*)\}")
INTRINSICS = {"Ref", "Fn::GetAtt", "Fn::Sub", "Fn::Join", "Fn::If", "Fn::Select", "Fn::Split", "Fn::GetAZs",
              "Fn::ImportValue", "Fn::FindInMap", "Fn::Base64", "Fn::Cidr", "Fn::Length", "Fn::ToJsonString"}
CONDITION_FNS = {"Fn::Equals", "Fn::And", "Fn::Or", "Fn::Not", "Condition"}


# ---- the specification ----------------------------------------------------

class Spec:
    """Resource types as {type: {"props": {name: prop}, "attrs": set}}, a
    prop being {"required": bool, "type": T}, T one of ("prim", NAME),
    ("list", T), ("map", T), ("struct", {name: prop}), ("any",),
    ("union", [T...]). Names: String, Integer, Long, Double, Boolean,
    Timestamp, Json."""

    def __init__(self, node_modules):
        self.types = {}
        self._load_service_spec(os.path.join(node_modules, "@aws-cdk", "aws-service-spec", "db.json.gz"))
        self._load_cfnspec(os.path.join(node_modules, "@aws-cdk", "cfnspec", "spec", "specification.json"))

    # @aws-cdk/cfnspec: the older specification format; it wins where it has the type.
    def _load_cfnspec(self, path):
        with open(path) as f:
            s = json.load(f)
        ptypes = s["PropertyTypes"]
        cache = {}

        def struct(res, name):
            full = name if name == "Tag" else res + "." + name
            if full not in cache:
                cache[full] = {}
                cache[full].update(props(res, ptypes.get(full, {}).get("Properties", {})))
            return ("struct", cache[full])

        def one(res, p):
            if "PrimitiveType" in p:
                return ("prim", p["PrimitiveType"])
            t = p.get("Type")
            if t in ("List", "Map"):
                item = ("prim", p["PrimitiveItemType"]) if "PrimitiveItemType" in p else struct(res, p["ItemType"])
                return ("list" if t == "List" else "map", item)
            if t:
                return struct(res, t)
            return ("any",)

        def props(res, ps):
            return {n: {"required": bool(p.get("Required")), "type": one(res, p)} for n, p in ps.items()}

        for name, r in s["ResourceTypes"].items():
            self.types[name] = {"props": props(name, r.get("Properties", {})),
                                "attrs": set(r.get("Attributes", {}))}

    # @aws-cdk/aws-service-spec: the current registry schemas.
    def _load_service_spec(self, path):
        with gzip.open(path) as f:
            d = json.load(f)
        defs = {e["$id"]: e for e in d["schema"]["typeDefinition"]["entities"]}
        cache = {}
        prim = {"string": "String", "integer": "Integer", "number": "Double", "boolean": "Boolean",
                "json": "Json", "date-time": "Timestamp"}
        tag = ("struct", {"Key": {"required": True, "type": ("prim", "String")},
                          "Value": {"required": True, "type": ("prim", "String")}})

        def one(t):
            k = t["type"]
            if k in prim:
                return ("prim", prim[k])
            if k == "array":
                return ("list", one(t["element"]))
            if k == "map":
                return ("map", one(t["element"]))
            if k == "tag":
                return tag
            if k == "union":
                return ("union", [one(x) for x in t["types"]])
            if k == "ref":
                ref = t["reference"]["$ref"]
                if ref not in cache:
                    cache[ref] = {}
                    cache[ref].update(props(defs[ref].get("properties", {})))
                return ("struct", cache[ref])
            return ("any",)

        def props(ps):
            return {n: {"required": bool(p.get("required")), "type": one(p["type"])} for n, p in ps.items()}

        for e in d["schema"]["resource"]["entities"]:
            self.types[e["cloudFormationType"]] = {"props": props(e.get("properties", {})),
                                                   "attrs": set(e.get("attributes", {}))}


# ---- the template ---------------------------------------------------------

def is_intrinsic(v):
    return isinstance(v, dict) and len(v) == 1 and next(iter(v)) in INTRINSICS


class Checker:
    def __init__(self, spec, template, name):
        self.spec, self.t, self.name = spec, template, name
        self.problems = []
        self.resources = template.get("Resources", {}) if isinstance(template.get("Resources"), dict) else {}
        self.parameters = template.get("Parameters", {}) if isinstance(template.get("Parameters"), dict) else {}
        self.conditions = template.get("Conditions", {}) if isinstance(template.get("Conditions"), dict) else {}

    def bad(self, where, msg):
        self.problems.append("%s: %s: %s" % (self.name, where, msg))

    def run(self):
        t = self.t
        if not isinstance(t, dict):
            self.bad("template", "not a JSON object")
            return self.problems
        for k in t:
            if k not in SECTIONS:
                self.bad(k, "unknown template section")
        if t.get("AWSTemplateFormatVersion", "2010-09-09") != "2010-09-09":
            self.bad("AWSTemplateFormatVersion", "must be \"2010-09-09\"")
        if not self.resources:
            self.bad("Resources", "a template needs at least one resource")
        for section in ("Parameters", "Conditions", "Resources", "Outputs"):
            for lid in t.get(section, {}) if isinstance(t.get(section), dict) else {}:
                if not LOGICAL_ID.match(lid):
                    self.bad("%s.%s" % (section, lid), "logical id must be alphanumeric")
        for name, p in self.parameters.items():
            self.parameter(name, p)
        for name, c in self.conditions.items():
            self.condition_fn("Conditions.%s" % name, c)
        for lid, r in self.resources.items():
            self.resource(lid, r)
        outputs = t.get("Outputs", {})
        for name, o in outputs.items() if isinstance(outputs, dict) else []:
            self.output(name, o)
        return self.problems

    def parameter(self, name, p):
        where = "Parameters.%s" % name
        for k in p:
            if k not in PARAMETER_KEYS:
                self.bad(where, "unknown parameter attribute %s" % k)
        if "Type" not in p:
            self.bad(where, "parameter has no Type")
        d = p.get("Default")
        if d is not None and "AllowedValues" in p and d not in p["AllowedValues"]:
            self.bad(where, "Default %r is not among AllowedValues" % d)
        if d is not None and "AllowedPattern" in p and not re.fullmatch(p["AllowedPattern"], str(d)):
            self.bad(where, "Default %r does not match AllowedPattern" % d)

    def condition_name(self, where, name):
        if not isinstance(name, str) or name not in self.conditions:
            self.bad(where, "condition %r is not defined" % (name,))

    def condition_fn(self, where, c):
        if not isinstance(c, dict) or len(c) != 1 or next(iter(c)) not in CONDITION_FNS:
            self.bad(where, "a condition must be one of Fn::Equals, Fn::And, Fn::Or, Fn::Not, Condition")
            return
        fn, arg = next(iter(c.items()))
        if fn == "Condition":
            self.condition_name(where, arg)
        elif fn == "Fn::Equals":
            if not isinstance(arg, list) or len(arg) != 2:
                self.bad(where, "Fn::Equals takes a list of two values")
            else:
                for i, v in enumerate(arg):
                    self.value("%s.Fn::Equals[%d]" % (where, i), v, None)
        else:
            n = (1, 1) if fn == "Fn::Not" else (2, 10)
            if not isinstance(arg, list) or not n[0] <= len(arg) <= n[1]:
                self.bad(where, "%s takes a list of %d to %d conditions" % (fn, n[0], n[1]))
                return
            for i, x in enumerate(arg):
                self.condition_fn("%s.%s[%d]" % (where, fn, i), x)

    def resource(self, lid, r):
        where = "Resources.%s" % lid
        if not isinstance(r, dict):
            self.bad(where, "not an object")
            return
        for k in r:
            if k not in RESOURCE_KEYS:
                self.bad(where, "unknown resource attribute %s" % k)
        cond = r.get("Condition")
        if cond is not None:
            self.condition_name(where + ".Condition", cond)
        deps = r.get("DependsOn", [])
        for d in [deps] if isinstance(deps, str) else deps:
            if d not in self.resources:
                self.bad(where + ".DependsOn", "%r is not a resource" % d)
        typ = r.get("Type")
        spec = self.spec.types.get(typ)
        if spec is None:
            self.bad(where + ".Type", "unknown resource type %r" % (typ,))
            return
        props = r.get("Properties", {})
        if not isinstance(props, dict):
            self.bad(where + ".Properties", "not an object")
            return
        self.struct(where + ".Properties", props, spec["props"], cond)

    def struct(self, where, obj, props, cond):
        for name, p in props.items():
            if p["required"] and name not in obj:
                self.bad(where, "required property %s is missing" % name)
        for name, v in obj.items():
            if name not in props:
                self.bad("%s.%s" % (where, name), "unknown property")
                continue
            self.typed("%s.%s" % (where, name), v, props[name]["type"], cond)

    def typed(self, where, v, t, cond):
        """v against type t; intrinsic functions are checked and count as any type."""
        if is_intrinsic(v):
            self.value(where, v, cond)
            return
        k = t[0]
        if k == "any":
            self.value(where, v, cond)
        elif k == "union":
            if not any(self.matches(v, x) for x in t[1]):
                self.bad(where, "value matches none of the property's types")
            self.value(where, v, cond)
        elif k == "prim":
            if not self.matches(v, t):
                self.bad(where, "expected %s, got %s" % (t[1], type(v).__name__))
            self.value(where, v, cond)
        elif k == "list":
            if not isinstance(v, list):
                self.bad(where, "expected a list, got %s" % type(v).__name__)
                return
            for i, x in enumerate(v):
                self.typed("%s[%d]" % (where, i), x, t[1], cond)
        elif k == "map":
            if not isinstance(v, dict):
                self.bad(where, "expected a map, got %s" % type(v).__name__)
                return
            for n, x in v.items():
                self.typed("%s.%s" % (where, n), x, t[1], cond)
        elif k == "struct":
            if not isinstance(v, dict):
                self.bad(where, "expected an object, got %s" % type(v).__name__)
                return
            self.struct(where, v, t[1], cond)

    @staticmethod
    def matches(v, t):
        k = t[0]
        if k in ("any",):
            return True
        if k == "list":
            return isinstance(v, list)
        if k == "map" or k == "struct":
            return isinstance(v, dict)
        if k == "union":
            return any(Checker.matches(v, x) for x in t[1])
        p = t[1]
        if p in ("String", "Timestamp"):
            return isinstance(v, str)
        if p in ("Integer", "Long"):
            return isinstance(v, int) and not isinstance(v, bool)
        if p == "Double":
            return isinstance(v, (int, float)) and not isinstance(v, bool)
        if p == "Boolean":
            return isinstance(v, bool)
        if p == "Json":
            return isinstance(v, (dict, list))
        return True

    # References inside any value (also JSON documents such as policies).
    def value(self, where, v, cond):
        if isinstance(v, list):
            for i, x in enumerate(v):
                self.value("%s[%d]" % (where, i), x, cond)
            return
        if not isinstance(v, dict):
            return
        if len(v) == 1:
            fn, arg = next(iter(v.items()))
            if fn == "Ref":
                self.ref(where, arg, cond)
                return
            if fn == "Fn::GetAtt":
                self.getatt(where, arg, cond)
                return
            if fn == "Fn::Sub":
                self.sub(where, arg, cond)
                return
            if fn == "Fn::If":
                if not isinstance(arg, list) or len(arg) != 3:
                    self.bad(where, "Fn::If takes [condition, value if true, value if false]")
                    return
                self.condition_name(where + ".Fn::If[0]", arg[0])
                self.value(where + ".Fn::If[1]", arg[1], arg[0])
                self.value(where + ".Fn::If[2]", arg[2], cond)
                return
            if fn == "Fn::Join":
                if not isinstance(arg, list) or len(arg) != 2 or not isinstance(arg[0], str):
                    self.bad(where, "Fn::Join takes [delimiter, list]")
                    return
                self.value(where + ".Fn::Join[1]", arg[1], cond)
                return
            if fn.startswith("Fn::") and fn not in INTRINSICS and fn not in CONDITION_FNS:
                self.bad(where, "unknown intrinsic function %s" % fn)
                return
        for n, x in v.items():
            self.value("%s.%s" % (where, n), x, cond)

    def region_set(self, cond, depth=0):
        """The Regions where condition `cond` holds, when it only compares
        AWS::Region with literals (Fn::Equals, Fn::Or, Condition); else None."""
        c = self.conditions.get(cond) if isinstance(cond, str) else cond
        if depth > 20 or not isinstance(c, dict) or len(c) != 1:
            return None
        fn, arg = next(iter(c.items()))
        if fn == "Condition":
            return self.region_set(arg, depth + 1)
        if fn == "Fn::Equals" and isinstance(arg, list) and len(arg) == 2:
            vals = [x for x in arg if x != {"Ref": "AWS::Region"}]
            return frozenset(vals) if len(vals) == 1 and isinstance(vals[0], str) else None
        if fn == "Fn::Or" and isinstance(arg, list):
            sets = [self.region_set(x, depth + 1) for x in arg]
            return None if any(x is None for x in sets) else frozenset().union(*sets)
        return None

    def target_condition(self, where, name, cond):
        """A resource with a Condition is referred to under the same one, or
        under one that holds in a subset of its Regions."""
        tc = self.resources.get(name, {}).get("Condition")
        if tc is not None and tc != cond:
            inner, outer = self.region_set(cond), self.region_set(tc)
            if inner is not None and outer is not None and inner <= outer:
                return
            self.bad(where, "refers to %s, which exists only under condition %s, from %s" %
                     (name, tc, "condition %s" % cond if cond else "no condition"))

    def ref(self, where, name, cond):
        if not isinstance(name, str):
            self.bad(where, "Ref takes a name")
        elif name in self.resources:
            self.target_condition(where, name, cond)
        elif name not in self.parameters and name not in PSEUDO:
            self.bad(where, "Ref %r names no resource, parameter or pseudo parameter" % name)

    def getatt(self, where, arg, cond):
        if isinstance(arg, str) and "." in arg:
            arg = arg.split(".", 1)
        if not isinstance(arg, list) or len(arg) != 2 or not all(isinstance(x, str) for x in arg):
            self.bad(where, "Fn::GetAtt takes [resource, attribute]")
            return
        res, attr = arg
        r = self.resources.get(res)
        if r is None:
            self.bad(where, "Fn::GetAtt names no resource %r" % res)
            return
        spec = self.spec.types.get(r.get("Type"))
        if spec is not None and attr not in spec["attrs"]:
            self.bad(where, "%s has no attribute %r" % (r.get("Type"), attr))
        self.target_condition(where, res, cond)

    def sub(self, where, arg, cond):
        local = {}
        if isinstance(arg, list):
            if len(arg) != 2 or not isinstance(arg[0], str) or not isinstance(arg[1], dict):
                self.bad(where, "Fn::Sub takes a string or [string, {variables}]")
                return
            arg, local = arg
            for n, x in local.items():
                self.value("%s.%s" % (where, n), x, cond)
        if not isinstance(arg, str):
            self.bad(where, "Fn::Sub takes a string or [string, {variables}]")
            return
        for m in SUB_VAR.finditer(arg):
            var = m.group(1)
            if var.startswith("!"):
                continue
            if var in local:
                continue
            if "." in var:
                self.getatt(where, var.split(".", 1), cond)
            else:
                self.ref(where, var, cond)

    def output(self, name, o):
        where = "Outputs.%s" % name
        for k in o:
            if k not in OUTPUT_KEYS:
                self.bad(where, "unknown output attribute %s" % k)
        if "Value" not in o:
            self.bad(where, "output has no Value")
        cond = o.get("Condition")
        if cond is not None:
            self.condition_name(where + ".Condition", cond)
        self.value(where + ".Value", o.get("Value"), cond)


def check_file(spec, path):
    try:
        with open(path) as f:
            t = json.load(f)
    except (OSError, ValueError) as e:
        return ["%s: not readable JSON: %s" % (path, e)]
    return Checker(spec, t, path).run()


def self_test(spec):
    d = os.path.join(ROOT, "tests", "cfn")
    failures = 0
    names = sorted(os.listdir(d))
    for f in names:
        path = os.path.join(d, f)
        if not f.endswith(".json"):
            continue
        problems = check_file(spec, path)
        if f.startswith("good-"):
            if problems:
                failures += 1
                print("FAIL %s: expected no problem, got:\n  %s" % (f, "\n  ".join(problems)))
        elif f.startswith("bad-"):
            with open(path) as fh:
                expect = json.load(fh).get("Metadata", {}).get("CheckCfnExpects")
            if not expect:
                failures += 1
                print("FAIL %s: Metadata.CheckCfnExpects names no expected problem" % f)
            elif not any(expect in p for p in problems):
                failures += 1
                print("FAIL %s: expected a problem containing %r, got:\n  %s" %
                      (f, expect, "\n  ".join(problems) or "(none)"))
    print("check-cfn self-test: %d files, %d failures" % (len([n for n in names if n.endswith(".json")]), failures))
    return 1 if failures else 0


def main(argv):
    spec_dir = DEFAULT_SPEC
    args = argv[1:]
    if len(args) >= 2 and args[0] == "--spec":
        spec_dir, args = args[1], args[2:]
    if not args:
        sys.stderr.write(__doc__.split("\n\n")[1] + "\n")
        return 2
    try:
        spec = Spec(spec_dir)
    except OSError as e:
        sys.stderr.write("check-cfn: cannot read the specification (make cfn-deps): %s\n" % e)
        return 2
    if args == ["--self-test"]:
        return self_test(spec)
    problems = []
    for p in args:
        problems += check_file(spec, p)
    for p in problems:
        print(p)
    print("check-cfn: %d templates, %d problems" % (len(args), len(problems)), file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
