/*
 * main.c - the obc command line: parses the arguments, runs one
 * compilation, reports its diagnostics and writes the output files.
 *
 *   obc compile [OPTIONS] [FILE|DIR]...  compile; write DIR/<policy>.json and the manifest
 *   obc check [OPTIONS] [FILE|DIR]...    everything compile does, writing nothing
 *   (a DIR operand: its programs, each compiled on its own, docs/programs.md)
 *   obc import [OPTIONS] FILE...      print policies as a .ob program (import_ob.c)
 *   obc fmt [--check] [--diff] FILE...  rewrite .ob files in the canonical layout (fmt_cli.c)
 *   obc lsp                           the language server on stdin/stdout (lsp_server.c)
 *   obc explain [CODE]                describe one diagnostic code, or list them all
 *   obc help [COMMAND] | obc version
 *
 * Exit status: 0 clean (warnings below --fail-level allowed), 1 a
 * diagnostic at or above --fail-level, 2 usage, I/O or internal error
 * (including running out of memory).
 *
 * Owns: the process (this is the only file that exits), the standard
 * streams and the out-of-memory recovery point. Everything below it
 * returns errors instead of exiting. docs/cli.md documents what this
 * file accepts; keep the two in step.
 */
#include "driver.h"
#include "explain_render.h"
#include "fmt.h"
#include "lsp.h"
#include "front.h"
#include "inherit.h"

#include <cjson/cJSON.h>

#include <errno.h>
#include <signal.h>
#include <sys/stat.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

enum { EXIT_CLEAN = 0, EXIT_DIAGNOSTICS = 1, EXIT_TROUBLE = 2 };

#define DEFAULT_OUTPUT_DIR "obc-out"

/* ------------------------------------------------------------------ */
/* Commands and options                                                 */

enum command { CMD_COMPILE, CMD_CHECK, CMD_IMPORT, CMD_EFFECTIVE, CMD_FMT, CMD_LSP, CMD_EXPLAIN, CMD_HELP, CMD_VERSION, CMD_COUNT };

/* Options, as bits so a command can say which ones it takes. */
enum option_id {
    OPT_OUTPUT = 1u << 0,
    OPT_FORMAT = 1u << 1,
    OPT_COLOR = 1u << 2,
    OPT_FAIL_LEVEL = 1u << 3,
    OPT_NO_MANIFEST = 1u << 4,
    OPT_STDLIB = 1u << 5,
    OPT_HELP = 1u << 6,
    OPT_MINIFY = 1u << 7,
    OPT_ROOT = 1u << 8,
    OPT_FOLLOW = 1u << 9,
    OPT_VAR = 1u << 10,
    OPT_INPUT = 1u << 11,
    OPT_STANDALONE = 1u << 12,
    OPT_ACCOUNT = 1u << 13,
    OPT_CONTENT = 1u << 14,
    OPT_EMIT = 1u << 15,
    OPT_CHECK = 1u << 16,
    OPT_DIFF = 1u << 17,
};

struct command_spec {
    enum command id;
    const char *name;
    const char *args;     /* after "obc NAME [OPTIONS]" in the usage line */
    const char *summary;  /* one line for the command list */
    const char *about;    /* paragraph for 'obc help NAME' */
    unsigned options;     /* enum option_id bits */
};

#define DIAG_OPTIONS (OPT_FORMAT | OPT_COLOR | OPT_FAIL_LEVEL | OPT_STDLIB | OPT_ROOT | OPT_INPUT | OPT_STANDALONE)

static const struct command_spec commands[CMD_COUNT] = {
    {CMD_COMPILE, "compile", "[FILE|DIR]...",
     "compile .ob files to BACKUP_POLICY documents and a setup manifest",
     "Compiles the program made of FILE... and everything they import ('-' reads\n"
     "standard input) into one BACKUP_POLICY document per policy, DIR/<policy>.json,\n"
     "and the account-side setup manifest DIR/" MANIFEST_FILE ". Nothing is written\n"
     "when a diagnostic at or above the fail level is reported; otherwise DIR is\n"
     "replaced as a whole by a directory holding exactly the new files. obc does not\n"
     "follow a symbolic link on the way to DIR unless --follow-output-symlink is given.\n"
     "A BACKUP_POLICY document (FILE.json, .json.tpl, .tpl, or --input json) is\n"
     "checked and written back normalized as DIR/FILE.json, without a manifest;\n"
     "each document is its own compilation. A DIR operand (none: the current\n"
     "directory) is the program found in it: its main.ob, or what its .obc lists\n"
     "(docs/programs.md); compile takes one program.",
     OPT_OUTPUT | OPT_FOLLOW | DIAG_OPTIONS | OPT_EMIT | OPT_NO_MANIFEST | OPT_MINIFY | OPT_VAR | OPT_INPUT | OPT_STANDALONE |
         OPT_HELP},
    {CMD_CHECK, "check", "[FILE|DIR]...",
     "run every check of compile, writing nothing",
     "Reads FILE... and everything they import ('-' reads standard input) and runs\n"
     "every check that compile runs, including the size of the rendered documents,\n"
     "without writing any file. BACKUP_POLICY documents (FILE.json, or --input json)\n"
     "are read as policies, each on its own. A DIR operand (none: the current\n"
     "directory) stands for the programs found in it: each main.ob below it, or\n"
     "what a .obc file lists (docs/programs.md); each is checked on its own and\n"
     "the exit status is the worst of them.",
     DIAG_OPTIONS | OPT_NO_MANIFEST | OPT_MINIFY | OPT_VAR | OPT_INPUT | OPT_STANDALONE | OPT_HELP},
    {CMD_IMPORT, "import", "FILE...",
     "print BACKUP_POLICY documents as a .ob program",
     "Reads the policy documents FILE... (.json, .json.tpl, .tpl: one policy per file)\n"
     "and prints one .ob program that compiles to the same documents, every vault in\n"
     "it external; or reads a .ob program and prints its policies that way. The\n"
     "printed program is compiled again and must give the same policies, as JSON\n"
     "values, before it is printed. With -o FILE it replaces FILE in one step\n"
     "instead of writing to standard output. Nothing is printed when the input\n"
     "holds something the language cannot express (OB1130-OB1132).",
     OPT_OUTPUT | DIAG_OPTIONS | OPT_VAR | OPT_HELP},
    {CMD_EFFECTIVE, "effective", "FILE...",
     "print the effective policy of accounts, as DescribeEffectivePolicy does",
     "Merges the policies that reach an account, from the root down, by AWS\n"
     "Organizations' inheritance rules (docs/inheritance.md), checks the result,\n"
     "and prints it as DescribeEffectivePolicy does: {\"EffectivePolicy\":\n"
     "{\"PolicyContent\": ..., \"TargetId\": ..., \"PolicyType\": \"BACKUP_POLICY\"}}.\n"
     "For a .ob program: every account under a policy's attachments, or those named\n"
     "by --account (a name or an id); several accounts print as a JSON array, and\n"
     "-o DIR writes DIR/<account id>.json each instead. For policy documents:\n"
     "FILE... are the policies attached from the root down to one account, one\n"
     "level each; A.json+B.json is a level with two policies, in attachment order;\n"
     "--account gives the TargetId and -o FILE writes the one result.",
     OPT_OUTPUT | OPT_FOLLOW | DIAG_OPTIONS | OPT_VAR | OPT_ACCOUNT | OPT_CONTENT | OPT_HELP},
    {CMD_FMT, "fmt", "[FILE|DIR|-]...",
     "rewrite .ob files in the canonical layout",
     "Rewrites each .ob FILE in the canonical layout of docs/fmt.md (indentation,\n"
     "spacing, blank lines, braces; every token and comment kept), replacing it in\n"
     "one step and only when its text changes. '-' reads standard input and prints\n"
     "the result. A file with a syntax error is reported and left as it is (exit 1).\n"
     "--check writes nothing and lists the files that would change; --diff writes\n"
     "nothing and prints the changes as a unified diff; both exit 1 when a file\n"
     "would change.",
     OPT_CHECK | OPT_DIFF | OPT_COLOR | OPT_HELP},
    {CMD_LSP, "lsp", "",
     "run the language server on standard input and output",
     "Speaks the Language Server Protocol (JSON-RPC with Content-Length framing)\n"
     "on standard input and output, for editors: diagnostics as you type, hover,\n"
     "go to definition, completion, formatting and quick fixes (docs/lsp.md).\n"
     "Exits 0 after a shutdown request and the exit notification.",
     OPT_STDLIB | OPT_HELP},
    {CMD_EXPLAIN, "explain", "[CODE]",
     "describe a diagnostic code, or list them all",
     "With CODE (OB2001, ob2001 or 2001), prints its explanation: what is wrong,\n"
     "why AWS cares, how to fix it, and a wrong and a right example. Without CODE,\n"
     "lists every code with its severity and title. The explanation is text for a\n"
     "terminal, wrapped to its width (at most 80 columns; 80 when standard output is\n"
     "not a terminal, COLUMNS overrides), or with --format markdown the markdown\n"
     "source (docs/codes/CODE.md) as it is.",
     OPT_FORMAT | OPT_COLOR | OPT_HELP},
    {CMD_HELP, "help", "[COMMAND]",
     "show help for obc or for one command",
     "Shows the commands of obc, or the usage and options of COMMAND.",
     OPT_HELP},
    {CMD_VERSION, "version", "",
     "print the version",
     "Prints \"obc VERSION\".",
     OPT_HELP},
};

struct option_spec {
    enum option_id id;
    char short_name;      /* 0: none */
    const char *long_name;
    const char *arg;      /* NULL: takes no value */
    const char *help;     /* NULL: hidden from 'obc help' (docs/cli.md has it) */
};

static const struct option_spec options[] = {
    {OPT_OUTPUT, 'o', "output", "DIR", "write the output files to DIR (default: " DEFAULT_OUTPUT_DIR ")"},
    {OPT_FOLLOW, 0, "follow-output-symlink", NULL,
     "allow symbolic links in DIR and the path to it (refused by default)"},
    {OPT_FORMAT, 0, "format", "text|json|sarif|github|compact",
     "diagnostics as text on stderr (default), as JSON or SARIF 2.1.0 on stdout, as GitHub Actions annotations on "
     "stdout (github), or one line each on stderr (compact)"},
    {OPT_COLOR, 0, "color", "auto|always|never", "color the text diagnostics (default: auto)"},
    {OPT_FAIL_LEVEL, 0, "fail-level", "error|warning",
     "exit 1 on diagnostics at or above this level (default: error)"},
    {OPT_EMIT, 0, "emit", "LIST",
     "what to write, comma separated: policy, manifest, cloudformation, terraform, all (default: policy,manifest)"},
    {OPT_NO_MANIFEST, 0, "no-manifest", NULL, "do not produce " MANIFEST_FILE},
    {OPT_MINIFY, 0, "minify", NULL, "write JSON without whitespace: the form AWS counts toward 10,000 characters"},
    {OPT_ROOT, 0, "root", "DIR",
     "imports must name files inside DIR (default: the directory of each input file)"},
    {OPT_VAR, 0, "var", "NAME=VALUE",
     "fill the placeholder ${NAME} of a templated policy document with VALUE, as written (repeatable)"},
    {OPT_INPUT, 0, "input", "json|ob",
     "read FILE... as BACKUP_POLICY documents or as .ob programs (default: by extension)"},
    {OPT_STANDALONE, 0, "standalone", NULL,
     "a policy document must be complete by itself: each missing key is an error"},
    {OPT_ACCOUNT, 0, "account", "NAME|ID", "the account whose effective policy to print (repeatable)"},
    {OPT_CONTENT, 0, "content", NULL, "print the effective policy itself, not the DescribeEffectivePolicy response"},
    {OPT_CHECK, 0, "check", NULL, "write nothing; list the files that would change, and exit 1 if any would"},
    {OPT_DIFF, 0, "diff", NULL, "write nothing; print the changes as a unified diff, and exit 1 if any"},
    {OPT_STDLIB, 0, "stdlib", "DIR", NULL},
    {OPT_HELP, 'h', "help", NULL, "show this help"},
};
#define NOPTIONS (sizeof options / sizeof options[0])

enum color_mode { COLOR_AUTO, COLOR_ALWAYS, COLOR_NEVER };

#define EXPLAIN_FORMATS "text|markdown" /* obc explain --format */

struct cli {
    const struct command_spec *cmd;
    const char *output_dir;
    enum diag_format format;
    bool markdown;        /* explain --format markdown (explain_render.c renders text) */
    enum color_mode color;
    enum severity fail_level;
    unsigned emit;        /* enum emit_kind bits (0: the default) */
    bool no_manifest;
    bool minify;
    bool follow_output_symlink;
    bool output_given;    /* -o was given (import: a file, not a directory) */
    const char *stdlib_dir;
    const char *root_dir;
    struct template_var *vars; /* --var, in order; room for argc */
    size_t nvars;
    enum input_kind { INPUT_AUTO, INPUT_JSON, INPUT_OB } input;
    bool standalone;
    const char **accounts; /* --account, in order; room for argc */
    size_t naccounts;
    bool content;
    bool fmt_check;       /* fmt --check */
    bool fmt_diff;        /* fmt --diff */
    bool help;
    const char **args;    /* operands: files, a code or a command name */
    size_t nargs;
    struct report_sink *sink; /* several compilations as one JSON or SARIF document, or NULL */
};

/* What several compilations report together, printed at the end:
 * --format json, one array of diagnostics and the sums of the counts;
 * --format sarif, one log whose run holds every compilation's results. */
struct report_sink {
    cJSON *diagnostics;   /* json */
    cJSON *sarif;         /* sarif */
    size_t errors, warnings, dropped;
};

/* ------------------------------------------------------------------ */
/* Usage errors and help                                                */

static int usage_error(const struct command_spec *cmd, const char *fmt, ...) OBC_PRINTF(2, 3);

/* Prints "obc: error: ..." and the pointer to the help; returns 2. */
static int usage_error(const struct command_spec *cmd, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    report_verror(stderr, fmt, ap); /* escaped: the arguments come from the command line */
    va_end(ap);
    if (cmd)
        fprintf(stderr, "run 'obc help %s' for usage\n", cmd->name);
    else
        fputs("run 'obc help' for usage\n", stderr);
    return EXIT_TROUBLE;
}

static void print_general_help(FILE *out)
{
    fputs("obc - compiler and validator for AWS Organizations backup policies\n\n"
          "usage: obc COMMAND [OPTIONS] [FILE...]\n\n"
          "commands:\n",
          out);
    for (size_t i = 0; i < CMD_COUNT; i++)
        fprintf(out, "  %-9s %s\n", commands[i].name, commands[i].summary);
    fputs("\nexit status: 0 clean, 1 diagnostics at or above the fail level,\n"
          "2 usage, I/O or internal error\n\n"
          "run 'obc help COMMAND' for the options of one command\n",
          out);
}

static void print_option(FILE *out, const struct option_spec *o)
{
    enum { WIDTH = 18 };
    char left[64];
    if (o->short_name)
        snprintf(left, sizeof left, "-%c, --%s%s%s", o->short_name, o->long_name,
                 o->arg ? " " : "", o->arg ? o->arg : "");
    else
        snprintf(left, sizeof left, "    --%s%s%s", o->long_name, o->arg ? " " : "",
                 o->arg ? o->arg : "");
    if (strlen(left) <= WIDTH)
        fprintf(out, "  %-*s  %s\n", WIDTH, left, o->help);
    else
        fprintf(out, "  %s\n          %s\n", left, o->help);
}

static void print_command_help(FILE *out, const struct command_spec *cmd)
{
    fprintf(out, "usage: obc %s%s%s%s\n\n%s\n", cmd->name,
            cmd->options & ~OPT_HELP ? " [OPTIONS]" : "", cmd->args[0] ? " " : "", cmd->args,
            cmd->about);
    fputs("\noptions:\n", out);
    for (size_t i = 0; i < NOPTIONS; i++) {
        if (!(cmd->options & options[i].id) || !options[i].help)
            continue;
        struct option_spec o = options[i];
        if (cmd->id == CMD_IMPORT && o.id == OPT_OUTPUT) {
            o.arg = "FILE";
            o.help = "write the program to FILE, replacing it in one step (default: standard output)";
        }
        if (cmd->id == CMD_EXPLAIN && o.id == OPT_FORMAT) {
            o.arg = EXPLAIN_FORMATS;
            o.help = "the explanation as text for a terminal (default) or as its markdown source";
        }
        if (cmd->id == CMD_EXPLAIN && o.id == OPT_COLOR)
            o.help = "color the text explanation (default: auto)";
        print_option(out, &o);
    }
}

/* ------------------------------------------------------------------ */
/* Argument parsing                                                     */

static const struct command_spec *find_command(const char *name)
{
    for (size_t i = 0; i < CMD_COUNT; i++)
        if (strcmp(commands[i].name, name) == 0)
            return &commands[i];
    return NULL;
}

static const char *suggest_command(const char *name)
{
    const char *names[CMD_COUNT];
    for (size_t i = 0; i < CMD_COUNT; i++)
        names[i] = commands[i].name;
    return suggest_name(name, names, CMD_COUNT);
}

static int unknown_command(const char *name)
{
    const char *s = suggest_command(name);
    if (s)
        return usage_error(NULL, "unknown command '%s'; did you mean '%s'?", name, s);
    return usage_error(NULL, "unknown command '%s'", name);
}

/* The option spelt arg[0..len): "--output" (what precedes any '=') or "-o". */
static const struct option_spec *find_option(const char *arg, size_t len)
{
    for (size_t i = 0; i < NOPTIONS; i++) {
        const struct option_spec *o = &options[i];
        if (len == 2 && arg[1] != '-' && arg[1] == o->short_name)
            return o;
        if (len > 2 && arg[1] == '-' && strlen(o->long_name) == len - 2 &&
            memcmp(arg + 2, o->long_name, len - 2) == 0)
            return o;
    }
    return NULL;
}

/* "did you mean" for a misspelt option: the long option with the same
 * name ("-output") or the closest one that command `cmd` takes (any
 * command's before the command word, cmd NULL); NULL if none is close. */
static const char *suggest_option(const struct command_spec *cmd, const char *arg, size_t len)
{
    while (len > 0 && arg[0] == '-')
        arg++, len--;
    char name[64];
    snprintf(name, sizeof name, "%.*s", (int)(len < 60 ? len : 60), arg);
    const char *names[NOPTIONS];
    size_t n = 0;
    for (size_t i = 0; i < NOPTIONS; i++) {
        if (!options[i].help || (cmd && !(cmd->options & options[i].id)))
            continue; /* hidden, or not an option of this command */
        if (strcmp(options[i].long_name, name) == 0)
            return options[i].long_name;
        names[n++] = options[i].long_name;
    }
    return len > 1 ? suggest_name(name, names, n) : NULL;
}

static int unknown_option(const struct command_spec *cmd, const char *arg, size_t len)
{
    const char *s = suggest_option(cmd, arg, len);
    if (s)
        return usage_error(cmd, "unknown option '%.*s'; did you mean '--%s'?", (int)len, arg, s);
    const char *other = cmd ? suggest_option(NULL, arg, len) : NULL;
    if (other)
        return usage_error(cmd, "unknown option '%.*s'; the closest, '--%s', is not an option of %s", (int)len, arg,
                           other, cmd->name);
    return usage_error(cmd, "unknown option '%.*s'", (int)len, arg);
}

/* Parses the value of a choice option; returns the index in `choices`
 * (NULL-terminated) or -1 after reporting the usage error. */
static int parse_choice(const struct command_spec *cmd, const struct option_spec *o,
                        const char *value, const char *const *choices)
{
    size_t n = 0;
    for (; choices[n]; n++)
        if (strcmp(choices[n], value) == 0)
            return (int)n;
    const char *s = suggest_name(value, choices, n);
    if (s)
        usage_error(cmd, "invalid value '%s' for '--%s'; did you mean '%s'?", value, o->long_name, s);
    else
        usage_error(cmd, "invalid value '%s' for '--%s'; expected %s", value, o->long_name, o->arg);
    return -1;
}

/* --var NAME=VALUE: NAME as template_name_valid says; VALUE may be empty
 * but holds no line break, so a rendered document keeps the line numbers
 * of the template. */
static int parse_var(struct cli *cli, const char *arg)
{
    const char *eq = strchr(arg, '=');
    if (!eq)
        return usage_error(cli->cmd, "'--var %s' needs NAME=VALUE, for example --var region=eu-west-1", arg);
    size_t len = (size_t)(eq - arg);
    if (!template_name_valid(arg, len))
        return usage_error(cli->cmd, "'--var %s': '%.*s' is not a placeholder name; expected letters, digits, "
                           "'_' and '-', starting with a letter or '_', parts joined by '.' or '::' "
                           "(region, var.region, AWS::Region)", arg, (int)len, arg);
    if (strpbrk(eq + 1, "\n\r"))
        return usage_error(cli->cmd, "'--var %.*s': the value holds a line break; write it on one line",
                           (int)len, arg);
    struct template_var *v = &cli->vars[cli->nvars++];
    char *name = malloc(len + 1);
    if (!name)
        return usage_error(NULL, "out of memory");
    memcpy(name, arg, len);
    name[len] = '\0';
    v->name = name;
    v->value = eq + 1;
    return EXIT_CLEAN;
}

/* Stores one option's effect in `cli`. Returns 0 or 2 (usage error). */
/* --emit LIST: names from `outputs`, comma separated; repeatable, the
 * lists add up. */
static int parse_emit(struct cli *cli, const struct option_spec *o, const char *value)
{
    static const char *const outputs[] = {"policy", "manifest", "cloudformation", "terraform", "all", NULL};
    static const unsigned bits[] = {EMIT_POLICY, EMIT_MANIFEST, EMIT_CLOUDFORMATION, EMIT_TERRAFORM, EMIT_ALL};
    for (const char *p = value;;) {
        size_t len = strcspn(p, ",");
        char word[32]; /* longer than every name: unknown either way */
        snprintf(word, sizeof word, "%.*s", (int)(len < sizeof word ? len : sizeof word - 1), p);
        if (!len)
            return usage_error(cli->cmd, "'--emit %s' has an empty name; expected policy, manifest, cloudformation, "
                                         "terraform or all, comma separated", value);
        int k = parse_choice(cli->cmd, o, word, outputs);
        if (k < 0)
            return EXIT_TROUBLE;
        cli->emit |= bits[k];
        if (!p[len])
            return EXIT_CLEAN;
        p += len + 1;
    }
}

/* explain --format text|markdown. */
static int parse_explain_format(struct cli *cli, const struct option_spec *o, const char *value)
{
    static const char *const explain_formats[] = {"text", "markdown", NULL};
    struct option_spec spec = *o;
    spec.arg = EXPLAIN_FORMATS;
    int k = parse_choice(cli->cmd, &spec, value, explain_formats);
    if (k < 0)
        return EXIT_TROUBLE;
    cli->markdown = k == 1;
    return EXIT_CLEAN;
}

static int apply_option(struct cli *cli, const struct option_spec *o, const char *value)
{
    static const char *const formats[] = {"text", "json", "sarif", "compact", "github", NULL};
    static const enum diag_format format_of[] = {DIAG_FORMAT_TEXT, DIAG_FORMAT_JSON, DIAG_FORMAT_SARIF,
                                                 DIAG_FORMAT_COMPACT, DIAG_FORMAT_GITHUB};
    static const char *const colors[] = {"auto", "always", "never", NULL};
    static const char *const levels[] = {"error", "warning", NULL};
    static const char *const inputs[] = {"json", "ob", NULL};
    const struct command_spec *cmd = cli->cmd;
    int k;
    if (o->arg && value[0] == '\0')
        return usage_error(cmd, "option '--%s' needs a value (%s), not an empty one", o->long_name, o->arg);
    switch (o->id) {
    case OPT_OUTPUT:
        cli->output_dir = value;
        cli->output_given = true;
        break;
    case OPT_FORMAT:
        if (cmd->id == CMD_EXPLAIN)
            return parse_explain_format(cli, o, value);
        if ((k = parse_choice(cmd, o, value, formats)) < 0)
            return EXIT_TROUBLE;
        cli->format = format_of[k];
        break;
    case OPT_COLOR:
        if ((k = parse_choice(cmd, o, value, colors)) < 0)
            return EXIT_TROUBLE;
        cli->color = k == 0 ? COLOR_AUTO : k == 1 ? COLOR_ALWAYS : COLOR_NEVER;
        break;
    case OPT_FAIL_LEVEL:
        if ((k = parse_choice(cmd, o, value, levels)) < 0)
            return EXIT_TROUBLE;
        cli->fail_level = k == 0 ? SEV_ERROR : SEV_WARNING;
        break;
    case OPT_EMIT:
        return parse_emit(cli, o, value);
    case OPT_NO_MANIFEST:
        cli->no_manifest = true;
        break;
    case OPT_MINIFY:
        cli->minify = true;
        break;
    case OPT_FOLLOW:
        cli->follow_output_symlink = true;
        break;
    case OPT_STDLIB:
        cli->stdlib_dir = value;
        break;
    case OPT_ROOT:
        cli->root_dir = value;
        break;
    case OPT_VAR:
        return parse_var(cli, value);
    case OPT_INPUT:
        if ((k = parse_choice(cmd, o, value, inputs)) < 0)
            return EXIT_TROUBLE;
        cli->input = k == 0 ? INPUT_JSON : INPUT_OB;
        break;
    case OPT_STANDALONE:
        cli->standalone = true;
        break;
    case OPT_ACCOUNT:
        cli->accounts[cli->naccounts++] = value;
        break;
    case OPT_CONTENT:
        cli->content = true;
        break;
    case OPT_CHECK:
        cli->fmt_check = true;
        break;
    case OPT_DIFF:
        cli->fmt_diff = true;
        break;
    case OPT_HELP:
        cli->help = true;
        break;
    }
    return EXIT_CLEAN;
}

/* Parses the option at argv[*i] (which starts with '-'), taking its value
 * from the same word or the next one. Returns 0 or 2 (usage error). */
static int parse_option(struct cli *cli, int argc, char **argv, int *i)
{
    const char *arg = argv[*i];
    const char *eq = arg[1] == '-' ? strchr(arg, '=') : NULL;
    size_t len = eq ? (size_t)(eq - arg) : arg[1] == '-' ? strlen(arg) : 2;
    const struct option_spec *o = find_option(arg, len);
    if (!o || (arg[1] != '-' && arg[2] && !o->arg)) /* "-hx" */
        return unknown_option(cli->cmd, arg, arg[1] == '-' ? len : strlen(arg));
    if (!(cli->cmd->options & o->id)) {
        if (!o->help)
            return unknown_option(cli->cmd, arg, len);
        return usage_error(cli->cmd, "option '%.*s' does not apply to 'obc %s'", (int)len, arg,
                           cli->cmd->name);
    }
    const char *value = NULL;
    if (eq)
        value = eq + 1;
    else if (arg[1] != '-' && arg[2])
        value = arg + 2; /* -oDIR */
    if (!o->arg) {
        if (value)
            return usage_error(cli->cmd, "option '--%s' takes no value", o->long_name);
        return apply_option(cli, o, "");
    }
    if (!value) {
        if (*i + 1 >= argc)
            return usage_error(cli->cmd, "option '%s' needs a value (%s)", arg, o->arg);
        value = argv[++*i];
    }
    return apply_option(cli, o, value);
}

/* The command word (or --help, -h, --version, -V, -v in its place). */
static int parse_command(struct cli *cli, const char *word)
{
    if (strcmp(word, "--help") == 0 || strcmp(word, "-h") == 0)
        cli->cmd = &commands[CMD_HELP];
    else if (strcmp(word, "--version") == 0 || strcmp(word, "-V") == 0 || strcmp(word, "-v") == 0)
        cli->cmd = &commands[CMD_VERSION];
    else if (word[0] == '-' && word[1] != '\0')
        return usage_error(NULL, "expected a command before '%s'", word);
    else if ((cli->cmd = find_command(word)) == NULL)
        return unknown_command(word);
    return EXIT_CLEAN;
}

/* Checks the number of operands the command takes; check and compile
 * without one search the current directory. */
static int check_operands(struct cli *cli)
{
    const struct command_spec *cmd = cli->cmd;
    switch (cmd->id) {
    case CMD_COMPILE:
    case CMD_CHECK:
    case CMD_FMT:
        if (cli->nargs == 0)
            cli->args[cli->nargs++] = ".";
        break;
    case CMD_IMPORT:
    case CMD_EFFECTIVE:
        if (cli->nargs == 0)
            return usage_error(cmd, "no input files");
        break;
    case CMD_EXPLAIN:
    case CMD_HELP:
        if (cli->nargs > 1)
            return usage_error(cmd, "unexpected argument '%s'; 'obc %s' takes at most one",
                               cli->args[1], cmd->name);
        break;
    case CMD_LSP:
    case CMD_VERSION:
        if (cli->nargs > 0)
            return usage_error(cmd, "unexpected argument '%s'", cli->args[0]);
        break;
    case CMD_COUNT:
        break;
    }
    return EXIT_CLEAN;
}

/* Fills `cli` from argv; cli->args must have room for argc pointers.
 * Options may come anywhere after the command; "--" ends them. */
static int parse_args(struct cli *cli, int argc, char **argv)
{
    int rc = parse_command(cli, argv[1]);
    if (rc)
        return rc;
    bool operands_only = false;
    for (int i = 2; i < argc; i++) {
        const char *arg = argv[i];
        if (!operands_only && strcmp(arg, "--") == 0) {
            operands_only = true;
        } else if (!operands_only && arg[0] == '-' && arg[1] != '\0') {
            if ((rc = parse_option(cli, argc, argv, &i)) != 0)
                return rc;
            if (cli->help)
                return EXIT_CLEAN; /* the rest does not matter */
        } else {
            cli->args[cli->nargs++] = arg;
        }
    }
    return check_operands(cli);
}

/* ------------------------------------------------------------------ */
/* help, version, explain                                               */

static int run_help(const struct cli *cli)
{
    if (cli->nargs == 0) {
        print_general_help(stdout);
        return EXIT_CLEAN;
    }
    const struct command_spec *cmd = find_command(cli->args[0]);
    if (!cmd)
        return unknown_command(cli->args[0]);
    print_command_help(stdout, cmd);
    return EXIT_CLEAN;
}

static const char *severity_name(enum severity s)
{
    return s == SEV_ERROR ? "error" : s == SEV_WARNING ? "warning" : "note";
}

/* One line per code: "OB1001 error   title". */
static void explain_list(FILE *out)
{
    for (size_t i = 0; i < DIAG_CODE_COUNT; i++) {
        const struct diag_code_info *info = diag_info((enum diag_code)i);
        fprintf(out, "%s %-7s %s\n", info->id, severity_name(info->sev), info->title);
    }
}

static bool use_color_on(enum color_mode mode, int fd);

/* The width to wrap an explanation to: COLUMNS when set, else the
 * terminal's up to 80 columns, else 80. */
static unsigned explain_width(void)
{
    enum { DEFAULT_WIDTH = 80 };
    const char *env = getenv("COLUMNS");
    if (env && env[0]) {
        char *end;
        unsigned long n = strtoul(env, &end, 10);
        if (*end == '\0' && n > 0)
            return n > EXPLAIN_MAX_WIDTH ? EXPLAIN_MAX_WIDTH : (unsigned)n;
    }
    struct winsize ws;
    if (isatty(STDOUT_FILENO) && ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
        return ws.ws_col < DEFAULT_WIDTH ? ws.ws_col : DEFAULT_WIDTH;
    return DEFAULT_WIDTH;
}

/* The long explanation of one code (docs/codes/OBxxxx.md, embedded): as
 * text for a terminal, or with --format markdown as written. */
static void explain_code(FILE *out, const struct cli *cli, enum diag_code code)
{
    const struct diag_code_info *info = diag_info(code);
    const char *text = diag_explanation(code);
    if (text && cli->markdown) {
        fputs(text, out);
        return;
    }
    if (text) {
        struct arena a;
        arena_init(&a);
        fputs(explain_render_text(&a, text, explain_width(), use_color_on(cli->color, STDOUT_FILENO)), out);
        arena_free(&a);
        return;
    }
    fprintf(out, "%s (%s): %s\n", info->id, severity_name(info->sev), info->title);
}

static int unknown_code(const struct cli *cli, const char *arg)
{
    const char *ids[DIAG_CODE_COUNT];
    for (size_t i = 0; i < DIAG_CODE_COUNT; i++)
        ids[i] = diag_info((enum diag_code)i)->id;
    const char *s = suggest_name(arg, ids, DIAG_CODE_COUNT);
    if (s)
        return usage_error(cli->cmd, "unknown diagnostic code '%s'; did you mean '%s'?", arg, s);
    return usage_error(cli->cmd, "unknown diagnostic code '%s'", arg);
}

static int run_explain(const struct cli *cli)
{
    if (cli->nargs == 0) {
        explain_list(stdout);
        return EXIT_CLEAN;
    }
    enum diag_code code;
    if (!diag_code_parse(cli->args[0], &code))
        return unknown_code(cli, cli->args[0]);
    explain_code(stdout, cli, code);
    return EXIT_CLEAN;
}

/* ------------------------------------------------------------------ */
/* compile and check                                                    */

/* auto: stderr is a terminal, TERM is not "dumb" and NO_COLOR is unset
 * or empty (https://no-color.org). */
static bool use_color(enum color_mode mode)
{
    return use_color_on(mode, STDERR_FILENO);
}

/* use_color for what goes to file descriptor fd. */
static bool use_color_on(enum color_mode mode, int fd)
{
    if (mode != COLOR_AUTO)
        return mode == COLOR_ALWAYS;
    const char *no_color = getenv("NO_COLOR");
    if (no_color && no_color[0])
        return false;
    const char *term = getenv("TERM");
    if (term && strcmp(term, "dumb") == 0)
        return false;
    return isatty(fd);
}

/* The name of a format written to standard output (json, sarif, github), or NULL. */
static const char *stdout_format(enum diag_format f)
{
    return f == DIAG_FORMAT_JSON ? "json" : f == DIAG_FORMAT_SARIF ? "sarif" : f == DIAG_FORMAT_GITHUB ? "github" : NULL;
}

/* Renders the diagnostics and returns the exit status they call for. */
static int report(struct obc *cc, const struct cli *cli)
{
    diag_apply_suppressions(cc);
    diag_sort(cc);
    if (cli->format == DIAG_FORMAT_JSON && cli->sink) {
        diag_json_add(cc, cli->sink->diagnostics);
        cli->sink->errors += cc->diag.errors;
        cli->sink->warnings += cc->diag.warnings;
        cli->sink->dropped += cc->diag.dropped;
    } else if (cli->format == DIAG_FORMAT_SARIF && cli->sink) {
        diag_sarif_add(cc, cli->sink->sarif);
    } else if (cli->format == DIAG_FORMAT_JSON) {
        diag_render_json(cc, stdout);
    } else if (cli->format == DIAG_FORMAT_SARIF) {
        cJSON *log = diag_sarif_log();
        diag_sarif_add(cc, log);
        char *text = json_print(log, true);
        if (text)
            fputs(text, stdout);
        free(text);
        cJSON_Delete(log);
    } else if (cli->format == DIAG_FORMAT_GITHUB) {
        diag_render_github(cc, stdout);
    } else if (cli->format == DIAG_FORMAT_COMPACT) {
        diag_render_compact(cc, stderr);
    } else {
        bool color = use_color(cli->color);
        diag_render_text(cc, stderr, color);
        diag_render_summary(cc, stderr, color);
    }
    if (cc->diag.errors > 0 || (cli->fail_level == SEV_WARNING && cc->diag.warnings > 0))
        return EXIT_DIAGNOSTICS;
    return EXIT_CLEAN;
}

static int write_outputs(struct obc *cc, const struct cli *cli, const struct vec *out)
{
    size_t n = out->len;
    struct out_file *files = arena_alloc(&cc->arena, (n ? n : 1) * sizeof *files);
    for (size_t i = 0; i < n; i++)
        files[i] = *VEC_GET(struct out_file, *out, i);
    const char *dir = cli->output_dir;
    const char *failed = NULL;
    struct out_options opts = {.follow_symlinks = cli->follow_output_symlink};
    int err = out_write_all(dir, files, n, &opts, &failed);
    if (!err)
        return EXIT_CLEAN;
    if (!failed && err == ELOOP)
        report_error(stderr, "refusing to write to '%s': it, or a directory on the way to it, is a "
                             "symbolic link; pass --follow-output-symlink to write through it", dir);
    else if (!failed && err == EINVAL)
        report_error(stderr, "cannot use '%s' as the output directory: obc replaces the output "
                             "directory as a whole; name a directory below it", dir);
    else if (failed && err == ENOTEMPTY)
        report_error(stderr, "cannot replace '%s': it holds '%s', which is not an output file of obc; "
                             "obc replaces the output directory as a whole, so it must hold only regular .json "
                             "files", dir, failed);
    else if (!failed && err == ENOTDIR)
        report_error(stderr, "cannot create directory '%s': it, or a path above it, exists and is not a directory", dir);
    else if (!failed)
        report_error(stderr, "cannot create directory '%s': %s", dir, strerror(err));
    else
        report_error(stderr, "cannot write '%s%s%s': %s", dir, dir[strlen(dir) - 1] == '/' ? "" : "/", failed,
                    strerror(err));
    return EXIT_TROUBLE;
}

/* Flushes stdout: 0, or why a write to it failed (EIO when the reason
 * of an earlier failure is gone). */
static int flush_stdout(void)
{
    if (fflush(stdout) != 0)
        return errno ? errno : EIO;
    return ferror(stdout) ? EIO : 0;
}

/* Reports a failed write to stdout once: later flushes stay quiet. */
static int stdout_error(int err)
{
    fprintf(stderr, "obc: error: cannot write to standard output: %s\n", strerror(err));
    clearerr(stdout);
    return EXIT_TROUBLE;
}

/* Loads, analyses and renders the program; reports the diagnostics and
 * writes the files (compile only, and only when the run is clean). */
static int compile_program(struct obc *cc, const struct cli *cli, const char *document)
{
    struct vec out = {0};
    if (document) {
        struct src_file *f = load_document(cc, document, stderr);
        if (!f)
            return EXIT_TROUBLE;
        if (obc_analyze_document(cc, f))
            obc_emit(cc, &out);
    } else {
        if (!load_program(cc, cli->args, cli->nargs, stderr))
            return EXIT_TROUBLE;
        if (obc_analyze(cc))
            obc_emit(cc, &out); /* when it cannot, an error says why */
    }
    int rc = report(cc, cli);
    if (rc != EXIT_CLEAN || cli->cmd->id != CMD_COMPILE)
        return rc;
    /* The JSON report must be out before any file changes: a run that
     * exits 2 leaves the output directory as it was. */
    int err = flush_stdout();
    if (err)
        return stdout_error(err);
    return write_outputs(cc, cli, &out);
}

/* ---- obc import ---------------------------------------------------- */

/* Whether `path` is read as a policy document: by --input, else by its
 * name (path_is_document). */
static bool reads_document(const struct cli *cli, const char *path)
{
    if (cli->input != INPUT_AUTO)
        return cli->input == INPUT_JSON;
    return path_is_document(path);
}

/* The JSON front end: the policy documents FILE... lowered into one
 * program, one policy per file, with the checks; NULL when they cannot
 * be read (an I/O error, reported) or analysed (diagnostics say why). */
static struct ir_program *import_documents(struct obc *cc, const struct cli *cli, bool *io_error)
{
    struct src_file **files = arena_alloc(&cc->arena, cli->nargs * sizeof *files);
    for (size_t i = 0; i < cli->nargs; i++)
        if (!(files[i] = load_document(cc, cli->args[i], stderr))) {
            *io_error = true;
            return NULL;
        }
    return obc_analyze_documents(cc, files, cli->nargs);
}

/* Writes the printed program to stdout or, with -o, replaces the file. */
static int write_import(const struct cli *cli, const char *text)
{
    if (!cli->output_given) {
        fputs(text, stdout);
        return EXIT_CLEAN;
    }
    int err = out_write_file(cli->output_dir, text, strlen(text));
    if (!err)
        return EXIT_CLEAN;
    if (err == ELOOP)
        report_error(stderr, "refusing to write '%s': it, or a directory on the way to it, is a symbolic link",
                     cli->output_dir);
    else
        report_error(stderr, "cannot write '%s': %s", cli->output_dir, strerror(err));
    return EXIT_TROUBLE;
}

/* Reads the input (documents, or a .ob program), prints it as a .ob
 * program that is proved to give the same policies, and writes it. */
static int import_program(struct obc *cc, const struct cli *cli)
{
    if (stdout_format(cli->format) && !cli->output_given)
        return usage_error(cli->cmd, "--format %s writes the diagnostics to standard output, where the program "
                                     "goes too: give -o FILE", stdout_format(cli->format));
    size_t documents = 0;
    for (size_t i = 0; i < cli->nargs; i++)
        documents += reads_document(cli, cli->args[i]);
    if (documents && documents != cli->nargs)
        return usage_error(cli->cmd, "the input files mix policy documents (.json) and .ob files; import one kind");
    struct ir_program *prog = NULL;
    if (documents) {
        bool io_error = false;
        prog = import_documents(cc, cli, &io_error);
        if (io_error)
            return EXIT_TROUBLE;
    } else {
        if (!load_program(cc, cli->args, cli->nargs, stderr))
            return EXIT_TROUBLE;
        prog = obc_analyze(cc);
    }
    const char *text = NULL;
    if (prog && !cc->diag.errors)
        import_print(cc, prog, &text); /* when it cannot, an error says why */
    int rc = report(cc, cli);
    if (rc != EXIT_CLEAN || !text)
        return rc != EXIT_CLEAN ? rc : EXIT_DIAGNOSTICS;
    int err = flush_stdout();
    if (err)
        return stdout_error(err);
    return write_import(cli, text);
}

/* ---- obc effective ------------------------------------------------- */

/* The effective policy as printed: the DescribeEffectivePolicy response,
 * or with --content the policy itself. */
static cJSON *effective_json(struct obc *cc, const struct cli *cli, const struct eff_node *eff, const char *target)
{
    return cli->content ? eff_policy_json(cc, eff) : eff_describe_json(cc, eff, target);
}

/* Writes the results: one to stdout as it is, several as a JSON array;
 * with -o, a file (documents) or a directory of one file per account. */
static int write_effective(struct obc *cc, const struct cli *cli, cJSON **docs, const char **names, size_t n,
                           bool one_file)
{
    int err = flush_stdout();
    if (err)
        return stdout_error(err);
    if (cli->output_given && one_file) {
        struct out_file *f = emit_render(cc, NULL, docs[0]);
        return write_import(cli, f->data);
    }
    if (cli->output_given) {
        struct vec out = {0};
        for (size_t i = 0; i < n; i++)
            vec_push(&cc->arena, &out, emit_render(cc, arena_printf(&cc->arena, "%s.json", names[i]), docs[i]));
        return write_outputs(cc, cli, &out);
    }
    cJSON *top = docs[0];
    if (n != 1) {
        top = cJSON_CreateArray();
        for (size_t i = 0; top && i < n; i++)
            cJSON_AddItemToArray(top, docs[i]);
        if (!top)
            arena_fail(&cc->arena);
    }
    fputs(emit_render(cc, NULL, top)->data, stdout);
    return EXIT_CLEAN;
}

/* Whether --account `want` names account `acc`: its name or its id. */
static bool names_account(const struct ir_account *acc, const char *want)
{
    return (acc->d.name && !acc->d.implicit && strcmp(acc->d.name, want) == 0) ||
           (acc->id && strcmp(acc->id, want) == 0);
}

static int effective_of_program(struct obc *cc, const struct cli *cli)
{
    if (!load_program(cc, cli->args, cli->nargs, stderr))
        return EXIT_TROUBLE;
    obc_analyze(cc); /* with each account's effective policy */
    int rc = report(cc, cli);
    size_t n = cc->effective.len;
    if (n == 0 && rc != EXIT_CLEAN)
        return rc;
    cJSON **docs = arena_alloc(&cc->arena, (n ? n : 1) * sizeof *docs);
    const char **names = arena_alloc(&cc->arena, (n ? n : 1) * sizeof *names);
    size_t k = 0;
    for (size_t w = 0; w < (cli->naccounts ? cli->naccounts : 1); w++) {
        bool found = false;
        for (size_t i = 0; i < n; i++) {
            const struct eff_account *ea = cc->effective.items[i];
            const struct ir_account *acc = ea->account;
            if (cli->naccounts && !names_account(acc, cli->accounts[w]))
                continue;
            found = true;
            names[k] = acc->id ? acc->id : acc->d.name;
            docs[k++] = effective_json(cc, cli, ea->policy, acc->id ? acc->id : acc->d.name);
        }
        if (cli->naccounts && !found) {
            for (size_t i = 0; i < k; i++)
                cJSON_Delete(docs[i]);
            report_error(stderr, "no policy reaches an account named '%s': name a declared account that a "
                                 "policy's attach reaches, by its name or its id", cli->accounts[w]);
            return EXIT_TROUBLE;
        }
    }
    if (k == 0) {
        report_error(stderr, "no policy is attached where an account is declared: attach a policy to a root, "
                             "an OU or an account, and declare the accounts under it");
        return EXIT_TROUBLE;
    }
    int wrc = write_effective(cc, cli, docs, names, k, false);
    return wrc != EXIT_CLEAN ? wrc : rc; /* printed even when it has errors: it is what AWS computes */
}

static int effective_of_documents(struct obc *cc, const struct cli *cli)
{
    if (cli->naccounts > 1)
        return usage_error(cli->cmd, "policy documents are the chain of one account: give --account once");
    struct vec files = {0};
    struct vec levels = {0};
    for (size_t i = 0; i < cli->nargs; i++) {
        const char *arg = cli->args[i];
        for (const char *p = arg;;) {
            const char *plus = strchr(p, '+');
            size_t len = plus ? (size_t)(plus - p) : strlen(p);
            char *path = arena_strndup(&cc->arena, p, len);
            struct src_file *f = len ? load_document(cc, path, stderr) : NULL;
            if (!f)
                return len ? EXIT_TROUBLE : usage_error(cli->cmd, "'%s': an empty file name around '+'", arg);
            vec_push(&cc->arena, &files, f);
            size_t *lv = arena_alloc(&cc->arena, sizeof *lv);
            *lv = i;
            vec_push(&cc->arena, &levels, lv);
            if (!plus)
                break;
            p = plus + 1;
        }
    }
    size_t *level_of = arena_alloc(&cc->arena, files.len * sizeof *level_of);
    for (size_t i = 0; i < files.len; i++)
        level_of[i] = *(size_t *)levels.items[i];
    struct eff_node *eff = obc_effective_documents(cc, (struct src_file *const *)files.items, level_of, files.len);
    int rc = report(cc, cli);
    if (!eff)
        return rc != EXIT_CLEAN ? rc : EXIT_DIAGNOSTICS;
    cJSON *doc = effective_json(cc, cli, eff, cli->naccounts ? cli->accounts[0] : NULL);
    int wrc = write_effective(cc, cli, &doc, NULL, 1, true);
    return wrc != EXIT_CLEAN ? wrc : rc; /* printed even when it has errors: it is what AWS computes */
}

/* obc effective: a program's accounts, or one chain of documents. */
static int effective_program(struct obc *cc, const struct cli *cli)
{
    if (stdout_format(cli->format) && !cli->output_given)
        return usage_error(cli->cmd, "--format %s writes the diagnostics to standard output, where the effective "
                                     "policies go too: give -o", stdout_format(cli->format));
    size_t documents = 0;
    for (size_t i = 0; i < cli->nargs; i++) {
        const char *plus = strchr(cli->args[i], '+');
        documents += reads_document(cli, plus ? arena_strndup(&cc->arena, cli->args[i], (size_t)(plus - cli->args[i]))
                                              : cli->args[i]);
    }
    if (documents && documents != cli->nargs)
        return usage_error(cli->cmd, "the input files mix policy documents (.json) and .ob files; give one kind");
    return documents ? effective_of_documents(cc, cli) : effective_of_program(cc, cli);
}

/* Runs compile_program with a recovery point for a failed allocation. */
static int compile_guarded(struct obc *cc, const struct cli *cli, const char *document)
{
    jmp_buf oom;
    if (setjmp(oom)) {
        cc->arena.oom = NULL;
        fflush(stdout);
        fputs("obc: error: out of memory\n", stderr);
        return EXIT_TROUBLE;
    }
    cc->arena.oom = &oom;
    int rc = cli->cmd->id == CMD_IMPORT      ? import_program(cc, cli)
             : cli->cmd->id == CMD_EFFECTIVE ? effective_program(cc, cli)
                                             : compile_program(cc, cli, document);
    cc->arena.oom = NULL;
    return rc;
}

/* One compilation: the program of cli->args, or the one policy
 * document `document` (NULL: a program). */
static int run_one(const struct cli *cli, const char *document)
{
    struct obc_options opts = {0};
    opts.stdlib_dir = cli->stdlib_dir;
    opts.root_dir = cli->root_dir;
    opts.emit = cli->emit ? cli->emit : EMIT_DEFAULT; /* a document has policies only (obc_analyze_document) */
    if (cli->no_manifest)
        opts.emit &= ~(unsigned)EMIT_MANIFEST;
    opts.minify = cli->minify;
    opts.vars = cli->vars;
    opts.nvars = cli->nvars;
    opts.standalone = cli->standalone;
    opts.judge_only = cli->cmd->id == CMD_CHECK; /* check writes nothing: outputs are measured, not rendered */
    opts.keep_effective = cli->cmd->id == CMD_EFFECTIVE;
    struct obc cc;
    obc_init(&cc, &opts);
    int rc = compile_guarded(&cc, cli, document);
    obc_free(&cc);
    return rc;
}

/* Policy documents are each their own compilation, in the order given;
 * the status is the worst of them. A program and documents together are
 * a usage error. */
static int run_operands(const struct cli *cli)
{
    size_t docs = 0;
    for (size_t i = 0; i < cli->nargs; i++)
        docs += reads_document(cli, cli->args[i]);
    if (docs == 0 || cli->cmd->id == CMD_IMPORT || cli->cmd->id == CMD_EFFECTIVE) /* one program */
        return run_one(cli, NULL);
    if (docs != cli->nargs)
        return usage_error(cli->cmd, "cannot mix .ob programs and JSON policy documents in one run; "
                                     "run obc once for each, or force one kind with --input");
    if (cli->cmd->id == CMD_COMPILE && docs > 1)
        return usage_error(cli->cmd, "compile writes one document at a time into its output directory; "
                                     "give one JSON file, or use check for several");
    if (cli->emit & ~(unsigned)EMIT_POLICY)
        return usage_error(cli->cmd, "a policy document compiles to itself alone: --emit manifest, cloudformation "
                                     "and terraform need the .ob program (obc import writes one from the document)");
    int worst = EXIT_CLEAN;
    for (size_t i = 0; i < cli->nargs; i++) {
        int rc = run_one(cli, cli->args[i]);
        if (rc > worst)
            worst = rc;
    }
    return worst;
}

/* ---- programs: DIR operands (docs/programs.md) --------------------- */

/* Prints the sink as diag_render_json (or the sarif branch of report)
 * prints one compilation. */
static void print_sink(const struct report_sink *sink)
{
    if (sink->sarif) {
        char *text = json_print(sink->sarif, true);
        if (text)
            fputs(text, stdout);
        free(text);
        cJSON_Delete(sink->sarif);
        return;
    }
    cJSON *root = cJSON_CreateObject();
    cJSON_AddItemToObject(root, "diagnostics", sink->diagnostics);
    cJSON_AddNumberToObject(root, "errors", (double)sink->errors);
    cJSON_AddNumberToObject(root, "warnings", (double)sink->warnings);
    cJSON_AddNumberToObject(root, "not_shown", (double)sink->dropped);
    char *text = json_print(root, true);
    if (text)
        fputs(text, stdout);
    free(text);
    cJSON_Delete(root);
}

/* The programs of the operands, in order (struct vec* of paths each): the
 * file operands together are one program, at the place of the first;
 * each DIR operand gives the programs found in it. Diagnostics of the
 * search (a .obc file's mistakes, a limit) go to `disc`. */
static int find_programs(struct obc *disc, const struct cli *cli, struct vec *programs)
{
    struct vec *files = NULL;
    for (size_t i = 0; i < cli->nargs; i++) {
        const char *arg = cli->args[i];
        if (!path_is_directory(arg)) {
            if (!files) {
                files = arena_alloc(&disc->arena, sizeof *files);
                vec_push(&disc->arena, programs, files);
            }
            vec_push(&disc->arena, files, (void *)arg);
            continue;
        }
        size_t before = programs->len, diags = disc->diag.list.len;
        if (!discover_programs(disc, arg, programs)) {
            report_error(stderr, "cannot search '%s' for programs: %s", arg, strerror(errno));
            return EXIT_TROUBLE;
        }
        if (programs->len == before && disc->diag.list.len == diags) {
            report_error(stderr, "no program in '%s': it is a directory, and no main.ob or .obc file is in it or "
                                 "below it (hidden and build directories are skipped; see docs/programs.md)", arg);
            return EXIT_TROUBLE;
        }
    }
    return EXIT_CLEAN;
}

/* compile writes one program into its output directory. */
static int several_programs(const struct cli *cli, const struct vec *programs)
{
    struct strbuf b = {0};
    struct arena a;
    arena_init(&a);
    for (size_t i = 0; i < programs->len && i < 10; i++) {
        const struct vec *p = programs->items[i];
        sb_printf(&a, &b, "%s%s", i ? ", " : "", (const char *)p->items[0]);
    }
    if (programs->len > 10)
        sb_printf(&a, &b, " and %zu more", programs->len - 10);
    int rc = usage_error(cli->cmd, "compile writes one program into its output directory, and the operands hold %zu "
                                   "(%s); compile each with its own -o, or check them all",
                         programs->len, sb_str(&a, &b));
    arena_free(&a);
    return rc;
}

/* check and compile: each program of the operands is its own
 * compilation, reported in turn (json: one document); the status is the
 * worst of them. */
static int run_compilation(const struct cli *cli)
{
    if (cli->cmd->id != CMD_CHECK && cli->cmd->id != CMD_COMPILE)
        return run_operands(cli);
    bool any_dir = false;
    for (size_t i = 0; i < cli->nargs; i++)
        any_dir |= path_is_directory(cli->args[i]);
    size_t docs = 0;
    for (size_t i = 0; i < cli->nargs; i++)
        docs += reads_document(cli, cli->args[i]);
    bool one_document = cli->format == DIAG_FORMAT_JSON || cli->format == DIAG_FORMAT_SARIF;
    if (!any_dir && (docs < 2 || !one_document))
        return run_operands(cli); /* one program, or documents reported in turn */
    struct obc disc;
    obc_init(&disc, &(struct obc_options){0});
    struct vec programs = {0};
    struct report_sink sink = {0};
    struct cli one = *cli;
    if (one_document && cli->cmd->id == CMD_CHECK) { /* compile prints before writing */
        if (cli->format == DIAG_FORMAT_SARIF ? !(sink.sarif = diag_sarif_log())
                                             : !(sink.diagnostics = cJSON_CreateArray())) {
            obc_free(&disc);
            fputs("obc: error: out of memory\n", stderr);
            return EXIT_TROUBLE;
        }
        one.sink = &sink;
    }
    jmp_buf oom;
    if (setjmp(oom)) {
        cJSON_Delete(sink.diagnostics);
        cJSON_Delete(sink.sarif);
        obc_free(&disc);
        fputs("obc: error: out of memory\n", stderr);
        return EXIT_TROUBLE;
    }
    disc.arena.oom = &oom;
    int worst = find_programs(&disc, cli, &programs);
    disc.arena.oom = NULL;
    if (worst == EXIT_CLEAN && cli->cmd->id == CMD_COMPILE && programs.len > 1)
        worst = several_programs(cli, &programs);
    bool ran = worst == EXIT_CLEAN;
    if (ran) {
        if (disc.diag.list.len)
            worst = report(&disc, &one);
        for (size_t i = 0; i < programs.len; i++) {
            const struct vec *p = programs.items[i];
            one.args = (const char **)p->items;
            one.nargs = p->len;
            int rc = run_operands(&one);
            if (rc > worst)
                worst = rc;
        }
    }
    if (one.sink && ran) {
        print_sink(&sink);
    } else {
        cJSON_Delete(sink.diagnostics);
        cJSON_Delete(sink.sarif);
    }
    obc_free(&disc);
    return worst;
}

/* ------------------------------------------------------------------ */

static int run(const struct cli *cli)
{
    if (cli->help) {
        print_command_help(stdout, cli->cmd);
        return EXIT_CLEAN;
    }
    switch (cli->cmd->id) {
    case CMD_COMPILE:
    case CMD_CHECK:
    case CMD_IMPORT:
    case CMD_EFFECTIVE:
        return run_compilation(cli);
    case CMD_FMT:
        return fmt_run(cli->args, cli->nargs, cli->fmt_diff ? FMT_DIFF : cli->fmt_check ? FMT_CHECK : FMT_WRITE,
                       use_color(cli->color), stderr);
    case CMD_LSP:
        return lsp_run(stdin, stdout, cli->stdlib_dir);
    case CMD_EXPLAIN:
        return run_explain(cli);
    case CMD_HELP:
        return run_help(cli);
    case CMD_VERSION:
        printf("obc %s\n", OBC_VERSION);
        return EXIT_CLEAN;
    case CMD_COUNT:
        break;
    }
    return EXIT_TROUBLE;
}

/* A failed write to stdout (a full disk, a closed pipe) is an error too. */
static int check_stdout(int rc)
{
    int err = flush_stdout();
    return err ? stdout_error(err) : rc;
}

int main(int argc, char **argv)
{
    /* Past the file size limit, let write() fail with EFBIG (reported
     * like a full disk) instead of being killed. */
    signal(SIGXFSZ, SIG_IGN);
    /* A closed pipe is an output error like any other: exit 2, not a signal. */
    signal(SIGPIPE, SIG_IGN);
    if (argc < 2) {
        print_general_help(stderr);
        return EXIT_TROUBLE;
    }
    struct cli cli = {0};
    cli.output_dir = DEFAULT_OUTPUT_DIR;
    cli.format = DIAG_FORMAT_TEXT;
    cli.color = COLOR_AUTO;
    cli.fail_level = SEV_ERROR;
    cli.args = calloc((size_t)argc, sizeof *cli.args);
    cli.vars = calloc((size_t)argc, sizeof *cli.vars);
    cli.accounts = calloc((size_t)argc, sizeof *cli.accounts);
    if (!cli.args || !cli.vars || !cli.accounts) {
        free(cli.args);
        free(cli.vars);
        free(cli.accounts);
        fputs("obc: error: out of memory\n", stderr);
        return EXIT_TROUBLE;
    }
    int rc = parse_args(&cli, argc, argv);
    if (rc == EXIT_CLEAN)
        rc = run(&cli);
    free(cli.args);
    for (size_t i = 0; i < cli.nvars; i++)
        free((char *)cli.vars[i].name);
    free(cli.vars);
    free(cli.accounts);
    return check_stdout(rc);
}
