/*
 * emit_cfn_extras.c - the regional template resources besides vaults
 * (docs/deploy.md, "CloudFormation"): notifications (an SNS topic with
 * its subscriptions and a topic policy that lets EventBridge or AWS Backup
 * publish, and an EventBridge rule or the vault's Notifications), restore
 * testing plans with their selections, and AWS Backup Audit Manager
 * frameworks. Each builder turns one manifest entry of a Region
 * (regions[].notifications, .restore_testing_plans, .audit_frameworks)
 * into resources under the condition emit_cfn.c chose for the Regions the
 * entry stands for. Made from the manifest only.
 */
#include "emit_cfn.h"

#include <cjson/cJSON.h>
#include <string.h>

/* A topic made for the notifications of one set of Regions. */
struct topic {
    const char *id;
    cJSON *subscriptions; /* the Topic's Subscription list */
    cJSON *services;      /* the topic policy's Principal.Service list */
};

/* The notifications that name one topic, found in one pass. */
struct topic_uses {
    const char *name;
    struct vec regions;      /* const char*: where a notification names it, once each */
    struct vec notes;        /* const cJSON*: the notifications */
    struct vec note_regions; /* const char*: the Region of each of `notes` */
};

/* Adds the subscriptions of notification n to topic tp, each protocol and
 * endpoint once (`seen`: "protocol endpoint" of those added). */
static void add_subscriptions(struct cfn *t, const struct topic *tp, const cJSON *n, struct strmap *seen)
{
    struct arena *a = &t->cc->arena;
    const cJSON *s;
    cJSON_ArrayForEach(s, cJSON_GetObjectItemCaseSensitive(n, "subscriptions")) {
        const char *protocol = json_string_at(s, "protocol"), *endpoint = json_string_at(s, "endpoint");
        if (!protocol || !endpoint)
            continue;
        const char *key = arena_printf(a, "%s %s", protocol, endpoint);
        if (strmap_put_new(a, seen, key, (void *)key))
            continue;
        if (strcmp(protocol, "email") == 0)
            cfn_manual(t, "%sSNS email subscriptions: each recipient confirms the subscription from the "
                          "message SNS sends; until then nothing is delivered", NULL);
        cJSON *o = json_add_object(&t->d, tp->subscriptions, NULL);
        json_add_string(&t->d, o, "Protocol", protocol);
        cfn_put_str(t, o, "Endpoint", endpoint);
    }
}

/* The topics of the scope: one per topic name, in the Regions of every
 * notification that names it, with the subscriptions of all of them and a
 * topic policy that lets each service they use publish. Made before the
 * notifications, which find their topic by name. */
void cfn_topics(struct cfn *t)
{
    struct arena *a = &t->cc->arena;
    struct vec topics = {0};  /* struct topic_uses*, in order of first use */
    struct strmap by_name = {0}; /* topic name -> struct topic_uses */
    const cJSON *r, *n;
    cJSON_ArrayForEach(r, cJSON_GetObjectItemCaseSensitive(t->scope, "regions")) {
        const char *region = json_string_at(r, "region");
        cJSON_ArrayForEach(n, cJSON_GetObjectItemCaseSensitive(r, "notifications")) {
            const char *name = json_string_at(n, "topic");
            if (!name || !region)
                continue;
            struct topic_uses *u = strmap_get(&by_name, name);
            if (!u) {
                u = arena_alloc(a, sizeof *u);
                u->name = name;
                strmap_put_new(a, &by_name, name, u);
                vec_push(a, &topics, u);
            }
            if (!u->regions.len || strcmp(VEC_GET(const char, u->regions, u->regions.len - 1), region) != 0)
                vec_push(a, &u->regions, (void *)region);
            vec_push(a, &u->notes, (void *)n);
            vec_push(a, &u->note_regions, (void *)region);
        }
    }
    for (size_t i = 0; i < topics.len; i++) {
        const struct topic_uses *u = VEC_GET(struct topic_uses, topics, i);
        const char *name = u->name;
        const char *cond = cfn_regions_condition(t, &u->regions);
        struct topic *tp = arena_alloc(a, sizeof *tp);
        strmap_put_new(a, &t->topic_ids, name, tp);
        tp->id = cfn_id(t, "Topic", name, NULL);
        cJSON *p = cfn_resource(t, tp->id, "AWS::SNS::Topic", cond);
        json_add_string(&t->d, p, "TopicName", name);
        tp->subscriptions = json_add_array(&t->d, p, "Subscription");
        const char *pid = cfn_id(t, "TopicPolicy", name, NULL);
        cJSON *pp = cfn_resource(t, pid, "AWS::SNS::TopicPolicy", cond);
        cJSON *doc = json_add_object(&t->d, pp, "PolicyDocument");
        json_add_string(&t->d, doc, "Version", "2012-10-17");
        cJSON *st = json_add_object(&t->d, json_add_array(&t->d, doc, "Statement"), NULL);
        json_add_string(&t->d, st, "Sid", "AllowPublishFromBackupEvents");
        json_add_string(&t->d, st, "Effect", "Allow");
        tp->services = json_add_array(&t->d, json_add_object(&t->d, st, "Principal"), "Service");
        json_add_string(&t->d, st, "Action", "sns:Publish");
        cfn_put_ref(t, st, "Resource", tp->id);
        cfn_put_ref(t, json_add_array(&t->d, pp, "Topics"), NULL, tp->id);
        cfn_output_getatt(t, arena_printf(a, "%sArn", tp->id), tp->id, "TopicArn", cond);
        bool vault_service = false, events_service = false;
        struct strmap seen = {0};
        for (size_t j = 0; j < u->notes.len; j++) {
            n = u->notes.items[j];
            if (!json_string_at(n, "via"))
                continue;
            t->region = u->note_regions.items[j];
            bool vault = strcmp(json_string_at(n, "via"), "vault") == 0;
            bool *added = vault ? &vault_service : &events_service;
            if (!*added)
                json_add_string(&t->d, tp->services, NULL, vault ? "backup.amazonaws.com" : "events.amazonaws.com");
            *added = true;
            add_subscriptions(t, tp, n, &seen);
            t->region = NULL;
        }
    }
}

void cfn_notification(struct cfn *t, const cJSON *n, const char *cond, const char *suffix)
{
    const char *name = json_string_at(n, "name"), *via = json_string_at(n, "via"), *topic = json_string_at(n, "topic");
    if (!name || !via || !topic)
        return;
    bool vault = strcmp(via, "vault") == 0;
    const struct topic *tp = strmap_get(&t->topic_ids, topic); /* cfn_topics made it */
    if (!tp)
        return;
    if (vault) {
        if (json_string_at(n, "vault"))
            cfn_vault_topic(t, cond, json_string_at(n, "vault"), n, tp->id);
        return;
    }
    const cJSON *pattern = cJSON_GetObjectItemCaseSensitive(n, "event_pattern");
    if (!cJSON_IsObject(pattern))
        return;
    cJSON *p = cfn_resource(t, cfn_id(t, "Rule", name, suffix), "AWS::Events::Rule", cond);
    json_add_string(&t->d, p, "Description",
                    arena_printf(&t->cc->arena, "obc notification %s: AWS Backup events to topic %s", name, topic));
    cfn_put_value(t, p, "EventPattern", pattern);
    json_add_string(&t->d, p, "State", "ENABLED");
    cJSON *target = json_add_object(&t->d, json_add_array(&t->d, p, "Targets"), NULL);
    json_add_string(&t->d, target, "Id", tp->id);
    cfn_put_ref(t, target, "Arn", tp->id);
}

static void put_int(struct cfn *t, cJSON *p, const char *key, const cJSON *from, const char *field)
{
    const cJSON *n = cJSON_GetObjectItemCaseSensitive(from, field);
    if (cJSON_IsNumber(n))
        json_add_int(&t->d, p, key, (int64_t)n->valuedouble);
}

static void put_string(struct cfn *t, cJSON *p, const char *key, const cJSON *from, const char *field)
{
    if (json_string_at(from, field))
        cfn_put_str(t, p, key, json_string_at(from, field));
}

static void put_list(struct cfn *t, cJSON *p, const char *key, const cJSON *from, const char *field)
{
    const cJSON *l = cJSON_GetObjectItemCaseSensitive(from, field);
    if (cJSON_IsArray(l))
        cfn_put_value(t, p, key, l);
}

/* [{"key", "value"}] as [{"Key", "Value"}]. */
static void put_conditions(struct cfn *t, cJSON *p, const char *key, const cJSON *from, const char *field)
{
    const cJSON *l = cJSON_GetObjectItemCaseSensitive(from, field);
    if (cJSON_GetArraySize(l) == 0)
        return;
    cJSON *out = json_add_array(&t->d, p, key);
    const cJSON *c;
    cJSON_ArrayForEach(c, l) {
        cJSON *o = json_add_object(&t->d, out, NULL);
        put_string(t, o, "Key", c, "key");
        put_string(t, o, "Value", c, "value");
    }
}

void cfn_restore_testing_plan(struct cfn *t, const cJSON *rp, const char *cond, const char *suffix)
{
    const char *name = json_string_at(rp, "name"), *aws_name = json_string_at(rp, "aws_name");
    if (!name || !aws_name)
        return;
    const char *id = cfn_id(t, "RestoreTestingPlan", name, suffix);
    cJSON *p = cfn_resource(t, id, "AWS::Backup::RestoreTestingPlan", cond);
    json_add_string(&t->d, p, "RestoreTestingPlanName", aws_name);
    put_string(t, p, "ScheduleExpression", rp, "schedule_expression");
    put_int(t, p, "StartWindowHours", rp, "start_window_hours");
    cJSON *sel = json_add_object(&t->d, p, "RecoveryPointSelection");
    put_string(t, sel, "Algorithm", rp, "algorithm");
    put_list(t, sel, "IncludeVaults", rp, "include_vaults");
    put_list(t, sel, "RecoveryPointTypes", rp, "recovery_point_types");
    put_int(t, sel, "SelectionWindowDays", rp, "selection_window_days");
    const cJSON *s;
    cJSON_ArrayForEach(s, cJSON_GetObjectItemCaseSensitive(rp, "selections")) {
        const char *sname = json_string_at(s, "name");
        if (!sname || !json_string_at(s, "aws_name"))
            continue;
        const char *sid = cfn_id(t, "RestoreTestingSelection", arena_printf(&t->cc->arena, "%s-%s", name, sname),
                                 suffix);
        cJSON *q = cfn_resource(t, sid, "AWS::Backup::RestoreTestingSelection", cond);
        cfn_put_ref(t, q, "RestoreTestingPlanName", id); /* Ref: the plan's name */
        put_string(t, q, "RestoreTestingSelectionName", s, "aws_name");
        put_string(t, q, "ProtectedResourceType", s, "protected_resource_type");
        put_string(t, q, "IamRoleArn", s, "iam_role_arn");
        put_list(t, q, "ProtectedResourceArns", s, "protected_resource_arns");
        if (cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(s, "string_equals")) ||
            cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(s, "string_not_equals"))) {
            cJSON *c = json_add_object(&t->d, q, "ProtectedResourceConditions");
            put_conditions(t, c, "StringEquals", s, "string_equals");
            put_conditions(t, c, "StringNotEquals", s, "string_not_equals");
        }
        put_int(t, q, "ValidationWindowHours", s, "validation_window_hours");
    }
    cfn_output_getatt(t, arena_printf(&t->cc->arena, "%sArn", id), id, "RestoreTestingPlanArn", cond);
}

void cfn_audit_framework(struct cfn *t, const cJSON *f, const char *cond, const char *suffix)
{
    const char *name = json_string_at(f, "name"), *aws_name = json_string_at(f, "aws_name");
    if (!name || !aws_name)
        return;
    cfn_manual(t, "%sAWS Config resource tracking: AWS Backup Audit Manager evaluates frameworks only where AWS Config "
                  "records the AWS Backup resources; turn it on in each account and Region before the first framework",
               NULL);
    const char *id = cfn_id(t, "Framework", name, suffix);
    cJSON *p = cfn_resource(t, id, "AWS::Backup::Framework", cond);
    json_add_string(&t->d, p, "FrameworkName", aws_name);
    put_string(t, p, "FrameworkDescription", f, "description");
    cJSON *controls = json_add_array(&t->d, p, "FrameworkControls");
    const cJSON *c;
    cJSON_ArrayForEach(c, cJSON_GetObjectItemCaseSensitive(f, "controls")) {
        if (!json_string_at(c, "name"))
            continue;
        cJSON *o = json_add_object(&t->d, controls, NULL);
        json_add_string(&t->d, o, "ControlName", json_string_at(c, "name"));
        const cJSON *params = cJSON_GetObjectItemCaseSensitive(c, "parameters");
        if (cJSON_GetArraySize(params)) {
            cJSON *l = json_add_array(&t->d, o, "ControlInputParameters");
            const cJSON *x;
            cJSON_ArrayForEach(x, params) {
                cJSON *q = json_add_object(&t->d, l, NULL);
                put_string(t, q, "ParameterName", x, "name");
                put_string(t, q, "ParameterValue", x, "value");
            }
        }
        const cJSON *types = cJSON_GetObjectItemCaseSensitive(c, "resource_types");
        if (cJSON_GetArraySize(types))
            cfn_put_value(t, json_add_object(&t->d, o, "ControlScope"), "ComplianceResourceTypes", types);
    }
    cfn_output_getatt(t, arena_printf(&t->cc->arena, "%sArn", id), id, "FrameworkArn", cond);
}
