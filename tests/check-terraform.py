#!/usr/bin/python3
"""check-terraform.py - the offline check of a Terraform configuration in
JSON syntax (obc.tf.json), without the AWS provider.

  tests/check-terraform.py PATH...          check each PATH (a *.tf.json file, or a
                                            directory holding obc.tf.json)
  tests/check-terraform.py --self-test      every tests/terraform/bad-*.tf.json must
                                            fail with the text its "//" says after
                                            "expect:"; tests/terraform/good-*.tf.json pass
  tests/check-terraform.py --compile OBC DIR...   compile every *.ob of DIR (not
                                            recursive) with --emit terraform and check it

Checks, one line per problem on stdout, exit 1 when there is any:
  - the file is JSON, an object whose top-level keys Terraform knows;
  - terraform.required_providers names hashicorp/aws;
  - every resource type, and every argument and nested block of it, is in
    the lists below (taken from the AWS provider's documentation, cited per
    resource), each block an object or a list of objects, each argument of
    the right JSON shape (string, bool, number, list, map) and, where the
    page lists valid values (permission_model, call_as, capabilities,
    account_filter_type, ...), one of them; required arguments are present;
    resource names are Terraform identifiers;
  - the same for provider "aws" (alias, region), variable, output;
  - every "${...}" in a string (Terraform's JSON syntax reads strings as
    templates: https://developer.hashicorp.com/terraform/language/syntax/json)
    parses, and its references resolve: var.NAME a declared variable,
    TYPE.NAME.ATTR a declared resource with an attribute of its type,
    path.module, functions from a short list; file() reads a file that
    exists next to the configuration (inside its directory); a
    resource's `provider` names a declared alias;
  - a StackSet or stack whose template_body is file(TEMPLATE) gives a value
    to every Parameter of TEMPLATE and to nothing else, and TEMPLATE fits
    template_body (51,200 bytes).
Terraform itself (`terraform validate`) checks more, but needs the provider
downloaded: docs/deploy.md says how to run it.
"""

import json
import os
import re
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# ---- the lists --------------------------------------------------------
# Kinds of an argument: "str", "bool", "num", "list" (of strings), "map"
# (an object of strings), "any" (any JSON value), ("enum", VALUES) and
# ("enums", VALUES) (a string, or a list of strings, from the valid values
# the page lists; an interpolation passes); a nested block is a dict
# {"args": {...}, "required": [...]}.


def block(args, required=()):
    return {"args": args, "required": list(required)}


CAPABILITIES = ("enums", ["CAPABILITY_IAM", "CAPABILITY_NAMED_IAM", "CAPABILITY_AUTO_EXPAND"])
CALL_AS = ("enum", ["SELF", "DELEGATED_ADMIN"])

OPERATION_PREFERENCES = block({
    "failure_tolerance_count": "num", "failure_tolerance_percentage": "num",
    "max_concurrent_count": "num", "max_concurrent_percentage": "num",
    "concurrency_mode": ("enum", ["STRICT_FAILURE_TOLERANCE", "SOFT_FAILURE_TOLERANCE"]),
    "region_concurrency_type": ("enum", ["SEQUENTIAL", "PARALLEL"]), "region_order": "list"})

RESOURCES = {
    # https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/organizations_policy
    # (website/docs/r/organizations_policy.html.markdown)
    "aws_organizations_policy": (block({
        "name": "str", "content": "str", "description": "str", "skip_destroy": "bool",
        "type": ("enum", ["AISERVICES_OPT_OUT_POLICY", "BACKUP_POLICY", "SERVICE_CONTROL_POLICY", "TAG_POLICY"]),
        "tags": "map"}, ["name", "content"]),
        ["id", "arn", "tags_all", "name", "content", "description", "type"]),
    # https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/organizations_policy_attachment
    "aws_organizations_policy_attachment": (block({
        "policy_id": "str", "target_id": "str", "skip_destroy": "bool"}, ["policy_id", "target_id"]),
        ["id", "policy_id", "target_id"]),
    # https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/backup_global_settings
    "aws_backup_global_settings": (block({"global_settings": "map"}, ["global_settings"]),
                                   ["id", "global_settings"]),
    # https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/backup_region_settings
    "aws_backup_region_settings": (block({
        "resource_type_opt_in_preference": "map", "resource_type_management_preference": "map",
        "region": "str"}, ["resource_type_opt_in_preference"]), ["id"]),
    # https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/cloudformation_stack_set
    "aws_cloudformation_stack_set": (block({
        "name": "str", "administration_role_arn": "str",
        "auto_deployment": block({"enabled": "bool", "retain_stacks_on_account_removal": "bool"}),
        "capabilities": CAPABILITIES, "operation_preferences": OPERATION_PREFERENCES,
        "description": "str", "execution_role_name": "str",
        "managed_execution": block({"active": "bool"}),
        "parameters": "map", "permission_model": ("enum", ["SELF_MANAGED", "SERVICE_MANAGED"]),
        "call_as": CALL_AS, "tags": "map",
        "template_body": "str", "template_url": "str", "region": "str",
        "timeouts": block({"update": "str"})}, ["name"]),
        ["id", "arn", "name", "stack_set_id", "tags_all"]),
    # https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/cloudformation_stack_set_instance
    # (website/docs/r/cloudformation_stack_set_instance.html.markdown: deployment_targets
    # with organizational_unit_ids, account_filter_type, accounts, accounts_url)
    "aws_cloudformation_stack_set_instance": (block({
        "stack_set_name": "str", "account_id": "str",
        "deployment_targets": block({"organizational_unit_ids": "list",
                                     "account_filter_type": ("enum", ["INTERSECTION", "DIFFERENCE", "UNION", "NONE"]),
                                     "accounts": "list", "accounts_url": "str"}),
        "parameter_overrides": "map", "region": "str", "retain_stack": "bool", "call_as": CALL_AS,
        "operation_preferences": OPERATION_PREFERENCES,
        "timeouts": block({"create": "str", "update": "str", "delete": "str"})}, ["stack_set_name"]),
        ["id", "stack_id", "organizational_unit_id", "stack_instance_summaries", "stack_set_name", "region"]),
    # https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/cloudformation_stack
    "aws_cloudformation_stack": (block({
        "name": "str", "template_body": "str", "template_url": "str", "capabilities": CAPABILITIES,
        "disable_rollback": "bool", "notification_arns": "list",
        "on_failure": ("enum", ["DO_NOTHING", "ROLLBACK", "DELETE"]),
        "parameters": "map", "policy_body": "str", "policy_url": "str", "tags": "map",
        "iam_role_arn": "str", "timeout_in_minutes": "num", "region": "str",
        "timeouts": block({"create": "str", "update": "str", "delete": "str"})}, ["name"]),
        ["id", "outputs", "tags_all", "name"]),
}

# Meta-arguments of every resource:
# https://developer.hashicorp.com/terraform/language/meta-arguments
META_ARGS = {
    "provider": "str", "depends_on": "list", "count": "any", "for_each": "any",
    "lifecycle": block({"create_before_destroy": "bool", "prevent_destroy": "bool",
                        "ignore_changes": "any", "replace_triggered_by": "list",
                        "precondition": "any", "postcondition": "any"}),
}

# https://registry.terraform.io/providers/hashicorp/aws/latest/docs (provider arguments used here)
PROVIDER_AWS = block({"alias": "str", "region": "str", "profile": "str", "allowed_account_ids": "list",
                      "assume_role": block({"role_arn": "str", "session_name": "str", "external_id": "str"}),
                      "default_tags": block({"tags": "map"})})
# https://developer.hashicorp.com/terraform/language/values/variables
VARIABLE = block({"type": "str", "description": "str", "default": "any", "sensitive": "bool",
                  "nullable": "bool", "validation": block({"condition": "str", "error_message": "str"},
                                                          ["condition", "error_message"])})
# https://developer.hashicorp.com/terraform/language/values/outputs
OUTPUT = block({"value": "any", "description": "str", "sensitive": "bool", "depends_on": "list"}, ["value"])
# https://developer.hashicorp.com/terraform/language/providers/requirements
REQUIRED_PROVIDER = block({"source": "str", "version": "str", "configuration_aliases": "list"}, ["source"])
TERRAFORM = block({"required_version": "str", "required_providers": "any"})

# template_body: "Maximum size: 51,200 bytes" (the stack set and stack pages).
TEMPLATE_BODY_MAX = 51200

TOP_LEVEL = {"//", "terraform", "variable", "resource", "output", "provider", "locals", "data", "module"}
FUNCTIONS = {"file", "can", "regex", "jsonencode", "lookup", "format"}
IDENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_-]*$")


class Checker:
    def __init__(self, path):
        self.path = path
        self.dir = os.path.dirname(os.path.abspath(path))
        self.problems = []
        self.variables = set()
        self.resources = {}  # "type.name" -> type
        self.aliases = set()

    def bad(self, where, msg):
        self.problems.append("%s: %s: %s" % (self.path, where, msg))

    # -- shapes

    def check_value(self, where, kind, v):
        def expr(x):
            return isinstance(x, str) and x.startswith("${") and x.endswith("}")
        if isinstance(kind, tuple):
            values = v if kind[0] == "enums" and isinstance(v, list) else [v]
            if kind[0] == "enums" and not isinstance(v, list) and not expr(v):
                self.bad(where, "%s must be a list" % where.rsplit(".", 1)[-1])
                return
            for x in values:
                if not expr(x) and x not in kind[1]:
                    self.bad(where, "%s: %s is not one of %s" % (where.rsplit(".", 1)[-1], json.dumps(x),
                                                                ", ".join(kind[1])))
            return
        ok = {
            "str": lambda x: isinstance(x, str),
            "bool": lambda x: isinstance(x, bool) or x in ("true", "false") or expr(x),
            "num": lambda x: (isinstance(x, (int, float)) and not isinstance(x, bool)) or expr(x),
            "list": lambda x: (isinstance(x, list) and all(isinstance(e, (str, int, float)) for e in x)) or expr(x),
            "map": lambda x: (isinstance(x, dict) and all(isinstance(e, (str, int, float, bool))
                                                          for e in x.values())) or expr(x),
            "any": lambda x: True,
        }[kind](v)
        if not ok:
            self.bad(where, "%s must be a %s, not %s" % (where.rsplit(".", 1)[-1], kind, json.dumps(v)[:60]))

    def check_block(self, where, spec, body, extra=None):
        """body: an object, or a list of objects (repeated block)."""
        bodies = body if isinstance(body, list) else [body]
        if not bodies or not all(isinstance(b, dict) for b in bodies):
            self.bad(where, "a block must be an object or a list of objects")
            return
        for b in bodies:
            for key, v in b.items():
                if key == "//":
                    continue
                kind = spec["args"].get(key) or (extra or {}).get(key)
                if kind is None:
                    self.bad(where, "unknown argument or block %r" % key)
                elif isinstance(kind, dict):
                    self.check_block(where + "." + key, kind, v)
                else:
                    self.check_value(where + "." + key, kind, v)
            for key in spec["required"]:
                if key not in b:
                    self.bad(where, "missing required argument %r" % key)

    # -- the document

    def check(self):
        try:
            with open(self.path, "rb") as f:
                doc = json.loads(f.read().decode("utf-8"))
        except (OSError, ValueError) as e:
            self.bad("file", "not JSON: %s" % e)
            return self.problems
        if not isinstance(doc, dict):
            self.bad("file", "the top level must be an object")
            return self.problems
        for key in doc:
            if key not in TOP_LEVEL:
                self.bad(key, "unknown top-level key %r" % key)
        self.check_terraform(doc.get("terraform"))
        self.collect(doc)
        for name, body in (doc.get("variable") or {}).items():
            self.check_block("variable.%s" % name, VARIABLE, body)
            if isinstance(body, dict):
                vals = body.get("validation", [])
                for val in vals if isinstance(vals, list) else [vals]:
                    if isinstance(val, dict):
                        self.walk("variable.%s.validation" % name, val.get("condition"))
                        self.walk("variable.%s.validation" % name, val.get("error_message"))
        for name, body in (doc.get("output") or {}).items():
            self.check_block("output.%s" % name, OUTPUT, body)
            self.walk("output.%s" % name, body)
        for rtype, of_type in (doc.get("resource") or {}).items():
            if rtype not in RESOURCES:
                self.bad("resource.%s" % rtype, "unknown resource type %r" % rtype)
                continue
            if not isinstance(of_type, dict):
                self.bad("resource.%s" % rtype, "must be an object of resources by name")
                continue
            for name, body in of_type.items():
                where = "resource.%s.%s" % (rtype, name)
                if not IDENT.match(name):
                    self.bad(where, "%r is not a Terraform identifier" % name)
                self.check_block(where, RESOURCES[rtype][0], body, META_ARGS)
                if isinstance(body, dict):
                    prov = body.get("provider")
                    if isinstance(prov, str) and prov != "aws" and prov[len("aws."):] not in self.aliases:
                        self.bad(where, "provider %r is not a declared provider alias" % prov)
                    self.walk(where, {k: v for k, v in body.items() if k not in ("provider", "lifecycle", "depends_on")})
                    for dep in body.get("depends_on") or [] if isinstance(body.get("depends_on"), list) else []:
                        if not isinstance(dep, str) or dep not in self.resources:
                            self.bad(where, "depends_on names %r, which is not a declared resource (TYPE.NAME)" % (dep,))
                    if rtype in ("aws_cloudformation_stack_set", "aws_cloudformation_stack"):
                        self.check_parameters(where, body)
        return self.problems

    def check_parameters(self, where, body):
        """A template read with file(): every one of its Parameters gets a
        value and no other parameter is given (the stack set page: "All
        template parameters, including those with a Default, must be
        configured or ignored with the lifecycle ... ignore_changes")."""
        m = re.fullmatch(r'\$\{file\("\$\{path\.module\}/([^"$]+)"\)\}', body.get("template_body") or "")
        if not m or not os.path.isfile(os.path.join(self.dir, m.group(1))):
            return
        size = os.path.getsize(os.path.join(self.dir, m.group(1)))
        if size > TEMPLATE_BODY_MAX:
            self.bad(where, "template %s has %d bytes; template_body takes at most %d" %
                     (m.group(1), size, TEMPLATE_BODY_MAX))
        try:
            with open(os.path.join(self.dir, m.group(1)), encoding="utf-8") as f:
                declared = json.load(f).get("Parameters") or {}
        except (OSError, ValueError, AttributeError):
            self.bad(where, "template %s is not a JSON object" % m.group(1))
            return
        given = body.get("parameters") or {}
        lifecycle = body.get("lifecycle") or {}
        ignored = lifecycle.get("ignore_changes", []) if isinstance(lifecycle, dict) else []
        for p in declared:
            if p not in given and "parameters" not in ignored and "parameters[\"%s\"]" % p not in ignored:
                self.bad(where, "template parameter %s of %s has no value" % (p, m.group(1)))
        for p in given if isinstance(given, dict) else []:
            if p not in declared:
                self.bad(where, "parameter %s is not a parameter of %s" % (p, m.group(1)))

    def check_terraform(self, tf):
        if not isinstance(tf, dict):
            self.bad("terraform", "missing terraform block")
            return
        self.check_block("terraform", TERRAFORM, tf)
        req = tf.get("required_providers")
        if not isinstance(req, dict) or not isinstance(req.get("aws"), dict):
            self.bad("terraform.required_providers", "must require the aws provider")
            return
        self.check_block("terraform.required_providers.aws", REQUIRED_PROVIDER, req["aws"])
        if req["aws"].get("source") != "hashicorp/aws":
            self.bad("terraform.required_providers.aws", "source must be hashicorp/aws")

    def collect(self, doc):
        """Declared variables, resources and provider aliases."""
        for name in doc.get("variable") or {}:
            self.variables.add(name)
        for rtype, of_type in (doc.get("resource") or {}).items():
            for name in (of_type if isinstance(of_type, dict) else {}):
                self.resources["%s.%s" % (rtype, name)] = rtype
        providers = doc.get("provider") or {}
        if not isinstance(providers, dict):
            self.bad("provider", "must be an object")
            return
        for pname, body in providers.items():
            if pname != "aws":
                self.bad("provider.%s" % pname, "unknown provider %r" % pname)
                continue
            self.check_block("provider.aws", PROVIDER_AWS, body)
            for b in body if isinstance(body, list) else [body]:
                if isinstance(b, dict) and "alias" in b:
                    if b["alias"] in self.aliases:
                        self.bad("provider.aws", "alias %r declared twice" % b["alias"])
                    self.aliases.add(b["alias"])

    # -- templates and expressions

    def walk(self, where, v):
        if isinstance(v, str):
            self.template(where, v)
        elif isinstance(v, list):
            for e in v:
                self.walk(where, e)
        elif isinstance(v, dict):
            for k, e in v.items():
                if k != "//":
                    self.walk(where, e)

    def template(self, where, s):
        """Checks every ${...} of template s; returns the literal text with
        ${path.module} replaced by "." (None when s has other interpolations)."""
        i, out, pure = 0, [], True
        while i < len(s):
            if s.startswith("$${", i) or s.startswith("%%{", i):
                out.append(s[i + 1:i + 3])
                i += 3
            elif s.startswith("%{", i):
                self.bad(where, "template directive %{ is not used by obc: %r" % s[:60])
                return None
            elif s.startswith("${", i):
                end = self.expression_end(s, i + 2)
                if end is None:
                    self.bad(where, "unterminated interpolation in %r" % s[:80])
                    return None
                inner = s[i + 2:end].strip()
                if inner == "path.module":
                    out.append(".")
                else:
                    pure = False
                    self.expression(where, inner)
                i = end + 1
            else:
                out.append(s[i])
                i += 1
        return "".join(out) if pure else None

    @staticmethod
    def expression_end(s, i):
        """Index of the "}" closing an interpolation whose text starts at i."""
        depth = 0
        while i < len(s):
            c = s[i]
            if c == '"':
                i += 1
                while i < len(s) and s[i] != '"':
                    if s[i] == "\\":
                        i += 1
                    elif s.startswith("${", i):
                        end = Checker.expression_end(s, i + 2)
                        if end is None:
                            return None
                        i = end
                    i += 1
                if i >= len(s):
                    return None
            elif c in "{([":
                depth += 1
            elif c in ")]":
                depth -= 1
            elif c == "}":
                if depth == 0:
                    return i
                depth -= 1
            i += 1
        return None

    TOKEN = re.compile(r'\s+|(?P<str>"(?:[^"\\]|\\.)*")|(?P<num>\d+(?:\.\d+)?)'
                       r'|(?P<ref>[A-Za-z_][A-Za-z0-9_-]*(?:\.[A-Za-z_][A-Za-z0-9_-]*|\[\d+\])*)'
                       r'|(?P<op>==|!=|<=|>=|&&|\|\||[-+*/%<>!?:,()\[\]{}=.])')

    def expression(self, where, text):
        pos, tokens = 0, []
        while pos < len(text):
            m = self.TOKEN.match(text, pos)
            if not m:
                self.bad(where, "cannot parse expression %r" % text[:80])
                return
            pos = m.end()
            if m.lastgroup:
                tokens.append((m.lastgroup, m.group(m.lastgroup)))
        for n, (kind, tok) in enumerate(tokens):
            nxt = tokens[n + 1][1] if n + 1 < len(tokens) else None
            prev = tokens[n - 1][1] if n > 0 else None
            if kind == "str":
                self.template(where, json.loads(tok))
            elif kind == "ref":
                if nxt == "(":
                    if tok not in FUNCTIONS:
                        self.bad(where, "unknown function %s()" % tok)
                    elif tok == "file":
                        self.file_call(where, tokens[n + 2:])
                elif prev == "=" or tok in ("true", "false", "null"):
                    continue
                else:
                    self.reference(where, tok)

    def file_call(self, where, rest):
        if len(rest) < 2 or rest[0][0] != "str" or rest[1][1] != ")":
            self.bad(where, "file() must read one constant path")
            return
        path = self.template(where, json.loads(rest[0][1]))
        if path is None:
            self.bad(where, "file() path must be literal text after ${path.module}")
            return
        full = os.path.normpath(os.path.join(self.dir, path))
        if not full.startswith(self.dir + os.sep):
            self.bad(where, "file() reads %r, outside the configuration's directory" % path)
        elif not os.path.isfile(full):
            self.bad(where, "file() reads %r, which does not exist" % path)

    def reference(self, where, ref):
        parts = re.split(r"\.|\[", ref)
        if parts[0] == "var":
            if len(parts) < 2 or parts[1] not in self.variables:
                self.bad(where, "reference to undeclared variable %r" % ref)
        elif parts[0] == "path":
            if parts[1:] != ["module"]:
                self.bad(where, "unknown path reference %r" % ref)
        elif parts[0] in RESOURCES:
            if len(parts) < 3:
                self.bad(where, "reference %r names no attribute" % ref)
            elif "%s.%s" % (parts[0], parts[1]) not in self.resources:
                self.bad(where, "reference to undeclared resource %s.%s" % (parts[0], parts[1]))
            elif parts[2] not in RESOURCES[parts[0]][1]:
                self.bad(where, "%s has no attribute %r" % (parts[0], parts[2]))
        else:
            self.bad(where, "unknown reference %r" % ref)


def check_paths(paths):
    problems = []
    for p in paths:
        if os.path.isdir(p):
            p = os.path.join(p, "obc.tf.json")
        problems += Checker(p).check()
    return problems


def self_test():
    d = os.path.join(ROOT, "tests", "terraform")
    failed, n = 0, 0
    for f in sorted(os.listdir(d)):
        if not f.endswith(".tf.json"):
            continue
        n += 1
        path = os.path.join(d, f)
        problems = Checker(path).check()
        if f.startswith("good-"):
            if problems:
                failed += 1
                print("self-test: %s should pass:\n  %s" % (f, "\n  ".join(problems)))
            continue
        with open(path, encoding="utf-8") as fh:
            try:
                expect = json.load(fh).get("//", "")
            except ValueError:
                fh.seek(0)
                expect = fh.readline()
        m = re.search(r"expect: (.*?)(\"|$)", expect)
        want = m.group(1) if m else None
        if not want:
            failed += 1
            print("self-test: %s says nothing after \"expect:\"" % f)
        elif not any(want in p for p in problems):
            failed += 1
            print("self-test: %s should fail with %r; got:\n  %s" % (f, want, "\n  ".join(problems) or "(nothing)"))
    print("check-terraform self-test: %d cases, %d failed" % (n, failed))
    return 1 if failed or not n else 0


def compile_dirs(obc, dirs):
    problems, n = [], 0
    with tempfile.TemporaryDirectory() as tmp:
        for d in dirs:
            for f in sorted(os.listdir(d)):
                if not f.endswith(".ob"):
                    continue
                out = os.path.join(tmp, "%d" % n)
                n += 1
                r = subprocess.run([obc, "compile", os.path.join(d, f), "-o", out, "--emit", "terraform",
                                    "--color", "never"], capture_output=True, text=True)
                if r.returncode != 0:
                    problems.append("%s: obc compile failed (%d): %s" % (os.path.join(d, f), r.returncode,
                                                                         r.stderr.strip()[-300:]))
                    continue
                problems += [p.replace(os.path.join(out, "obc.tf.json"), os.path.join(d, f) + " (obc.tf.json)")
                             for p in check_paths([out])]
    return problems, n


def main(argv):
    if argv[1:] == ["--self-test"]:
        return self_test()
    if len(argv) >= 4 and argv[1] == "--compile":
        problems, n = compile_dirs(argv[2], argv[3:])
        for p in problems:
            print(p)
        print("check-terraform: %d programs, %d problems" % (n, len(problems)))
        return 1 if problems or not n else 0
    if len(argv) < 2 or argv[1].startswith("-"):
        print(__doc__.strip().split("\n\n")[1], file=sys.stderr)
        return 2
    problems = check_paths(argv[1:])
    for p in problems:
        print(p)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
