/*
 * test_model.c — compiling model documents (src/model.c): every supported element, the derived
 * facts the executor relies on (MI split, scopes, initial, reachability), every deploy-time
 * rejection, and hostile documents (wrong types, deep nesting, mutations of a valid document).
 *
 * Documents are written inline with single quotes, turned into JSON quotes by `compile` (no test
 * text needs a literal single quote). PROCESS(...) wraps elements and flows in a full document.
 */
#include "check.h"
#include "model.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DEFINITION "'definition':{'id':'proc:1:abc','key':'proc','name':'Proc','version':3,'tenantId':null}"
#define PROCESS(body) "{" DEFINITION ",'process':{'id':'proc'," body "}}"
#define START "{'type':'startEvent','id':'start'}"
#define END "{'type':'endEvent','id':'end'}"
#define FLOW(id, s, t) "{'id':'" id "','sourceRef':'" s "','targetRef':'" t "'}"
/* start → X → end, for checks about the one element X. */
#define AROUND(x) PROCESS("'elements':[" START "," x "," END "],'flows':[" FLOW("f1", "start", "x") "," FLOW("f2", "x", "end") "]")

static char *quoted(const char *text) {
    size_t n = strlen(text);
    char *json = malloc(n + 1);
    for (size_t i = 0; i <= n; i++) json[i] = text[i] == '\'' ? '"' : text[i];
    return json;
}

/* Compiles a single-quoted document; returns NULL with err set on failure. */
static model *compile(const char *text, error *err) {
    char *json = quoted(text);
    cJSON *doc = cJSON_Parse(json);
    free(json);
    if (!doc) {
        fprintf(stderr, "test document is not JSON: %s\n", text);
        return NULL;
    }
    model *m = model_compile(doc, err);
    cJSON_Delete(doc);
    return m;
}

/* Compiles a document that must be accepted. */
static model *ok(const char *text) {
    error err = {0};
    model *m = compile(text, &err);
    if (!m) fprintf(stderr, "unexpected compile error: %s\n", err.message ? err.message : "(none)");
    CHECK(m != NULL);
    error_clear(&err);
    return m;
}

/* Expects a ParseException whose message contains every given fragment (NULL-terminated). */
static void rejected_with(const char *text, const char *fragment, const char *fragment2) {
    error err = {0};
    model *m = compile(text, &err);
    CHECK(m == NULL);
    model_free(m);
    CHECK_STR(err.type, ERR_PARSE);
    if (!err.message || !strstr(err.message, fragment) || (fragment2 && !strstr(err.message, fragment2))) {
        fprintf(stderr, "expected an error containing \"%s\"%s%s, got \"%s\"\n", fragment, fragment2 ? " and " : "",
                fragment2 ? fragment2 : "", err.message ? err.message : "(none)");
        check_failures++;
    }
    error_clear(&err);
}
#define REJECTED(text, fragment) rejected_with(text, fragment, NULL)

/* Documents that must fail with any error (hostile input): never a crash or a leak. */
static void fails(const char *text) {
    error err = {0};
    model *m = compile(text, &err);
    CHECK(m == NULL);
    CHECK(error_is_set(&err));
    model_free(m);
    error_clear(&err);
}

static model_element *el(const model *m, const char *id) {
    model_element *e = model_element_by_id(m, id);
    if (!e) fprintf(stderr, "no element '%s'\n", id);
    return e;
}

/* ================================================================= supported elements === */

static void test_a_one_task_process_compiles_to_start_task_and_end_with_camunda_activity_types(void) {
    model *m = ok(AROUND("{'type':'userTask','id':'x','name':'Do it','assignee':'demo'}"));
    if (!m) return;
    model_element *p = m->process, *s = el(m, "start"), *x = el(m, "x"), *e = el(m, "end");
    CHECK(p && s && x && e);
    if (!p || !s || !x || !e) goto done;
    CHECK(p->kind == EL_PROCESS && p->parent == NULL && p->is_scope);
    CHECK_STR(p->id, "proc");
    CHECK(p->initial == s);
    CHECK(p->n_children == 3 && p->children[0] == s && p->children[1] == x && p->children[2] == e);
    CHECK_STR(s->activity_type, "startEvent");
    CHECK_STR(x->activity_type, "userTask");
    CHECK_STR(e->activity_type, "noneEndEvent");
    CHECK_STR(x->name, "Do it");
    CHECK(x->kind == EL_USER_TASK && x->parent == p && !x->is_scope);
    CHECK(s->n_outgoing == 1 && s->outgoing[0]->target == x);
    CHECK(x->n_incoming == 1 && x->n_outgoing == 1 && x->outgoing[0]->target == e);
    CHECK(e->n_incoming == 1 && e->n_outgoing == 0);
    CHECK(m->n_elements == 4 && m->n_flows == 2);
    for (size_t i = 0; i < m->n_elements; i++) CHECK(m->elements[i]->index == i);
    CHECK(x->assignee && strcmp(expr_text(x->assignee), "demo") == 0);
done:
    model_free(m);
}

static void test_definition_fields_are_copied_from_the_document(void) {
    model *m = ok(AROUND("{'type':'task','id':'x'}"));
    if (!m) return;
    CHECK_STR(m->definition_id, "proc:1:abc");
    CHECK_STR(m->definition_key, "proc");
    CHECK_STR(m->definition_name, "Proc");
    CHECK(m->version == 3);
    CHECK(m->tenant_id == NULL);
    model_free(m);

    m = ok("{'definition':{'id':'d','key':'k','tenantId':'acme'},'process':{'id':'k','elements':[" START "]}}");
    if (!m) return;
    CHECK(m->version == 1); /* default */
    CHECK(m->definition_name == NULL);
    CHECK_STR(m->tenant_id, "acme");
    model_free(m);
}

static void test_summary_lists_elements_with_type_and_parent_and_flows(void) {
    model *m = ok(AROUND("{'type':'userTask','id':'x','loopCharacteristics':{'type':'multiInstanceLoopCharacteristics','loopCardinality':'2'}}"));
    if (!m) return;
    cJSON *s = model_summary(m);
    char *text = cJSON_PrintUnformatted(s);
    CHECK(text && strstr(text, "\"id\":\"proc:1:abc\",\"key\":\"proc\",\"name\":\"Proc\",\"version\":3,\"tenantId\":null"));
    CHECK(text && strstr(text, "{\"id\":\"proc\",\"type\":\"process\",\"name\":null,\"parent\":null}"));
    CHECK(text && strstr(text, "{\"id\":\"x#multiInstanceBody\",\"type\":\"multiInstanceBody\",\"name\":null,\"parent\":\"proc\"}"));
    CHECK(text && strstr(text, "{\"id\":\"x\",\"type\":\"userTask\",\"name\":null,\"parent\":\"x#multiInstanceBody\"}"));
    CHECK(text && strstr(text, "{\"id\":\"f1\",\"name\":null,\"source\":\"start\",\"target\":\"x#multiInstanceBody\"}"));
    free(text);
    cJSON_Delete(s);
    CHECK(model_summary(NULL) == NULL);
    model_free(m);
}

static void test_exclusive_gateway_keeps_conditions_and_its_default_flow(void) {
    model *m = ok(PROCESS("'elements':[" START ",{'type':'exclusiveGateway','id':'gw','default':'toC'},"
                          "{'type':'task','id':'a'},{'type':'task','id':'c'}," END "],"
                          "'flows':[" FLOW("f1", "start", "gw") ","
                          "{'id':'toA','name':'big','sourceRef':'gw','targetRef':'a','condition':'${amount > 100}'},"
                          FLOW("toC", "gw", "c") "," FLOW("f3", "a", "end") "," FLOW("f4", "c", "end") "]"));
    if (!m) return;
    model_element *gw = el(m, "gw");
    model_flow *to_a = model_flow_by_id(m, "toA"), *to_c = model_flow_by_id(m, "toC");
    CHECK(gw && to_a && to_c);
    if (gw && to_a && to_c) {
        CHECK_STR(gw->activity_type, "exclusiveGateway");
        CHECK(gw->kind == EL_EXCLUSIVE_GATEWAY);
        CHECK(gw->default_flow == to_c);
        CHECK(to_a->condition && strcmp(expr_text(to_a->condition), "${amount > 100}") == 0);
        CHECK(to_c->condition == NULL);
        CHECK_STR(to_a->name, "big");
        CHECK(to_a->source == gw && to_a->target == el(m, "a"));
        CHECK(gw->n_outgoing == 2);
    }
    model_free(m);
}

static void test_parallel_gateway_fork_and_join_link_incoming_and_outgoing_flows(void) {
    model *m = ok(PROCESS("'elements':[" START ",{'type':'parallelGateway','id':'fork'},{'type':'userTask','id':'a'},"
                          "{'type':'userTask','id':'b'},{'type':'parallelGateway','id':'join'}," END "],"
                          "'flows':[" FLOW("f1", "start", "fork") "," FLOW("f2", "fork", "a") "," FLOW("f3", "fork", "b") ","
                          FLOW("f4", "a", "join") "," FLOW("f5", "b", "join") "," FLOW("f6", "join", "end") "]"));
    if (!m) return;
    model_element *fork = el(m, "fork"), *join = el(m, "join");
    CHECK(fork && join);
    if (fork && join) {
        CHECK_STR(fork->activity_type, "parallelGateway");
        CHECK(fork->n_incoming == 1 && fork->n_outgoing == 2);
        CHECK(join->n_incoming == 2 && join->n_outgoing == 1);
        CHECK(join->incoming[0] == model_flow_by_id(m, "f4") && join->incoming[1] == model_flow_by_id(m, "f5"));
        CHECK(fork->reachable == NULL); /* no inclusive gateway in the scope */
    }
    model_free(m);
}

static void test_inclusive_join_knows_which_elements_can_still_reach_it(void) {
    model *m = ok(PROCESS("'elements':[" START ",{'type':'inclusiveGateway','id':'fork','default':'f4'},"
                          "{'type':'userTask','id':'a'},{'type':'userTask','id':'b'},{'type':'userTask','id':'c'},"
                          "{'type':'inclusiveGateway','id':'join'},{'type':'userTask','id':'after'}," END ","
                          "{'type':'userTask','id':'island'}],"
                          "'flows':[" FLOW("f1", "start", "fork") ",{'id':'f2','sourceRef':'fork','targetRef':'a','condition':'${a}'},"
                          "{'id':'f3','sourceRef':'fork','targetRef':'b','condition':'${b}'}," FLOW("f4", "fork", "c") ","
                          FLOW("f5", "a", "join") "," FLOW("f6", "b", "join") "," FLOW("f7", "c", "join") ","
                          FLOW("f8", "join", "after") "," FLOW("f9", "after", "end") "]"));
    if (!m) return;
    model_element *fork = el(m, "fork"), *a = el(m, "a"), *join = el(m, "join"), *after = el(m, "after"),
                  *island = el(m, "island"), *start = el(m, "start");
    CHECK(fork && a && join && after && island && start);
    if (fork && a && join && after && island && start) {
        CHECK_STR(fork->activity_type, "inclusiveGateway");
        CHECK(fork->default_flow == model_flow_by_id(m, "f4"));
        CHECK(a->reachable && a->reachable[join->index] && a->reachable[a->index]);
        CHECK(a->reachable && !a->reachable[fork->index]);
        CHECK(start->reachable && start->reachable[join->index]);
        CHECK(after->reachable && !after->reachable[join->index]);
        CHECK(island->reachable && !island->reachable[join->index]);
        CHECK(m->process->reachable == NULL); /* the process is not in its own scope */
    }
    model_free(m);
}

static void test_reachability_follows_loops_without_running_forever(void) {
    model *m = ok(PROCESS("'elements':[" START ",{'type':'inclusiveGateway','id':'join'},{'type':'task','id':'a'},"
                          "{'type':'exclusiveGateway','id':'again','default':'out'}," END "],"
                          "'flows':[" FLOW("f1", "start", "join") "," FLOW("f2", "join", "a") "," FLOW("f3", "a", "again") ","
                          "{'id':'back','sourceRef':'again','targetRef':'join','condition':'${retry}'}," FLOW("out", "again", "end") "]"));
    if (!m) return;
    model_element *a = el(m, "a"), *join = el(m, "join"), *end = el(m, "end");
    CHECK(a && join && end && a->reachable && a->reachable[join->index] && a->reachable[end->index]);
    CHECK(end && end->reachable && !end->reachable[join->index]);
    model_free(m);
}

static void test_embedded_subprocess_is_a_scope_with_its_own_initial_start_event(void) {
    model *m = ok(AROUND("{'type':'subProcess','id':'x','elements':[{'type':'startEvent','id':'s2'},{'type':'userTask','id':'inner'},"
                         "{'type':'endEvent','id':'e2'}],'flows':[" FLOW("g1", "s2", "inner") "," FLOW("g2", "inner", "e2") "]}"));
    if (!m) return;
    model_element *sub = el(m, "x"), *s2 = el(m, "s2"), *inner = el(m, "inner");
    CHECK(sub && s2 && inner);
    if (sub && s2 && inner) {
        CHECK_STR(sub->activity_type, "subProcess");
        CHECK(sub->kind == EL_SUB_PROCESS && sub->is_scope && !sub->triggered_by_event);
        CHECK(sub->initial == s2);
        CHECK(sub->n_children == 3);
        CHECK(inner->parent == sub && s2->parent == sub);
        CHECK(inner->n_incoming == 1 && inner->incoming[0]->source == s2);
        CHECK(m->process->initial == el(m, "start"));
    }
    model_free(m);
}

#define EVENT_SUB(id, start) \
    "{'type':'subProcess','id':'" id "','triggeredByEvent':true,'elements':[" start ",{'type':'userTask','id':'" id "Task'}," \
    "{'type':'endEvent','id':'" id "End'}],'flows':[" FLOW(id "F1", id "Start", id "Task") "," FLOW(id "F2", id "Task", id "End") "]}"

static void test_event_subprocesses_are_listed_on_their_scope_with_their_trigger(void) {
    model *m = ok(AROUND("{'type':'userTask','id':'x'}," EVENT_SUB(
        "msg", "{'type':'startEvent','id':'msgStart','isInterrupting':true,'eventDefinitions':[{'type':'messageEventDefinition',"
               "'messageRef':'M1','messageName':'cancel'}]}") "," EVENT_SUB(
        "tmr", "{'type':'startEvent','id':'tmrStart','isInterrupting':false,'eventDefinitions':[{'type':'timerEventDefinition',"
               "'timeCycle':'R3/PT10M'}]}") "," EVENT_SUB(
        "err", "{'type':'startEvent','id':'errStart','eventDefinitions':[{'type':'errorEventDefinition','errorCode':'FAILED'}]}")
        "," EVENT_SUB("any", "{'type':'startEvent','id':'anyStart','eventDefinitions':[{'type':'errorEventDefinition'}]}")));
    if (!m) return;
    model_element *p = m->process, *msg = el(m, "msg"), *tmr = el(m, "tmr"), *err = el(m, "err");
    model_element *ms = el(m, "msgStart"), *ts = el(m, "tmrStart"), *es = el(m, "errStart"), *as = el(m, "anyStart");
    CHECK(msg && tmr && err && ms && ts && es && as);
    if (msg && tmr && err && ms && ts && es && as) {
        CHECK(p->n_event_subprocesses == 4 && p->event_subprocesses[0] == msg && p->event_subprocesses[1] == tmr &&
              p->event_subprocesses[2] == err);
        CHECK(msg->triggered_by_event && msg->is_scope && msg->initial == ms);
        CHECK_STR(msg->activity_type, "subProcess");
        CHECK_STR(ms->activity_type, "messageStartEvent");
        CHECK(ms->event == EVT_MESSAGE && ms->is_interrupting);
        CHECK_STR(ms->message_name, "cancel");
        CHECK_STR(ts->activity_type, "startTimerEvent");
        CHECK(ts->event == EVT_TIMER && ts->timer == TIMER_CYCLE && !ts->is_interrupting);
        CHECK(ts->timer_value && strcmp(expr_text(ts->timer_value), "R3/PT10M") == 0);
        CHECK_STR(es->activity_type, "errorStartEvent");
        CHECK(es->event == EVT_ERROR && es->is_interrupting);
        CHECK_STR(es->error_code, "FAILED");
        CHECK(as->error_code == NULL); /* catches every error */
        CHECK(p->initial == el(m, "start")); /* event subprocess starts are not the process's initial */
    }
    model_free(m);
}

static void test_boundary_events_attach_to_their_activity_which_becomes_a_scope(void) {
    model *m = ok(PROCESS(
        "'elements':[" START ",{'type':'userTask','id':'x'}," END ","
        "{'type':'boundaryEvent','id':'bt','attachedTo':'x','cancelActivity':true,'eventDefinitions':[{'type':'timerEventDefinition','timeDuration':'PT1H'}]},"
        "{'type':'boundaryEvent','id':'bm','attachedTo':'x','cancelActivity':false,'eventDefinitions':[{'type':'messageEventDefinition','messageName':'info'}]},"
        "{'type':'boundaryEvent','id':'be','attachedTo':'x','eventDefinitions':[{'type':'errorEventDefinition','errorCode':null}]},"
        "{'type':'endEvent','id':'e2'}],"
        "'flows':[" FLOW("f1", "start", "x") "," FLOW("f2", "x", "end") "," FLOW("f3", "bt", "e2") "," FLOW("f4", "bm", "e2") ","
        FLOW("f5", "be", "e2") "]"));
    if (!m) return;
    model_element *x = el(m, "x"), *bt = el(m, "bt"), *bm = el(m, "bm"), *be = el(m, "be");
    CHECK(x && bt && bm && be);
    if (x && bt && bm && be) {
        CHECK(x->is_scope);
        CHECK(x->n_boundary_events == 3 && x->boundary_events[0] == bt && x->boundary_events[2] == be);
        CHECK(bt->attached_to == x && bt->parent == m->process && bt->kind == EL_BOUNDARY_EVENT);
        CHECK_STR(bt->activity_type, "boundaryTimer");
        CHECK(bt->cancel_activity && bt->timer == TIMER_DURATION);
        CHECK_STR(bm->activity_type, "boundaryMessage");
        CHECK(!bm->cancel_activity);
        CHECK_STR(bm->message_name, "info");
        CHECK_STR(be->activity_type, "boundaryError");
        CHECK(be->cancel_activity && be->error_code == NULL);
        CHECK(bt->n_outgoing == 1 && bt->n_incoming == 0);
    }
    model_free(m);
}

static void test_intermediate_events_get_camunda_activity_types(void) {
    model *m = ok(PROCESS(
        "'elements':[" START ",{'type':'intermediateCatchEvent','id':'t','eventDefinitions':[{'type':'timerEventDefinition','timeDate':'${due}'}]},"
        "{'type':'intermediateCatchEvent','id':'msg','eventDefinitions':[{'type':'messageEventDefinition','messageRef':'M','messageName':'payment'}]},"
        "{'type':'intermediateThrowEvent','id':'th','name':'Milestone'}," END "],"
        "'flows':[" FLOW("f1", "start", "t") "," FLOW("f2", "t", "msg") "," FLOW("f3", "msg", "th") "," FLOW("f4", "th", "end") "]"));
    if (!m) return;
    model_element *t = el(m, "t"), *msg = el(m, "msg"), *th = el(m, "th");
    CHECK(t && msg && th);
    if (t && msg && th) {
        CHECK_STR(t->activity_type, "intermediateTimer");
        CHECK(t->kind == EL_INTERMEDIATE_CATCH && t->event == EVT_TIMER && t->timer == TIMER_DATE);
        CHECK(t->timer_value && strcmp(expr_text(t->timer_value), "${due}") == 0);
        CHECK_STR(msg->activity_type, "intermediateMessageCatch");
        CHECK_STR(msg->message_name, "payment");
        CHECK_STR(th->activity_type, "intermediateNoneThrowEvent");
        CHECK(th->kind == EL_INTERMEDIATE_THROW && th->event == EVT_NONE);
    }
    model_free(m);
}

static void test_end_events_distinguish_none_terminate_and_error(void) {
    model *m = ok(PROCESS(
        "'elements':[" START ",{'type':'parallelGateway','id':'fork'}," END ","
        "{'type':'endEvent','id':'term','eventDefinitions':[{'type':'terminateEventDefinition'}]},"
        "{'type':'endEvent','id':'fail','eventDefinitions':[{'type':'errorEventDefinition','errorRef':'E','errorCode':'FAILED'}]}],"
        "'flows':[" FLOW("f1", "start", "fork") "," FLOW("f2", "fork", "end") "," FLOW("f3", "fork", "term") "," FLOW("f4", "fork", "fail") "]"));
    if (!m) return;
    model_element *e = el(m, "end"), *term = el(m, "term"), *fail = el(m, "fail");
    CHECK(e && term && fail);
    if (e && term && fail) {
        CHECK_STR(e->activity_type, "noneEndEvent");
        CHECK(e->kind == EL_END_EVENT && e->event == EVT_NONE);
        CHECK_STR(term->activity_type, "terminateEndEvent");
        CHECK(term->event == EVT_TERMINATE);
        CHECK_STR(fail->activity_type, "errorEndEvent");
        CHECK(fail->event == EVT_ERROR);
        CHECK_STR(fail->error_code, "FAILED");
    }
    model_free(m);
}

static void test_tasks_keep_camunda_activity_types(void) {
    static const char *const types[] = {"task", "manualTask", "userTask", "receiveTask"};
    static const element_kind kinds[] = {EL_TASK, EL_TASK, EL_USER_TASK, EL_RECEIVE_TASK};
    for (size_t i = 0; i < 4; i++) {
        char doc[1024];
        snprintf(doc, sizeof doc, AROUND("{'type':'%s','id':'x'}"), types[i]);
        model *m = ok(doc);
        if (!m) continue;
        model_element *x = el(m, "x");
        CHECK(x && x->kind == kinds[i] && strcmp(x->activity_type, types[i]) == 0 && x->impl == IMPL_NONE);
        model_free(m);
    }
}

static void test_receive_task_keeps_its_message_name(void) {
    model *m = ok(AROUND("{'type':'receiveTask','id':'x','messageRef':'Message_order','messageName':'order'}"));
    if (!m) return;
    model_element *x = el(m, "x");
    CHECK(x && x->kind == EL_RECEIVE_TASK);
    CHECK_STR(x ? x->message_name : NULL, "order");
    model_free(m);
}

static void test_service_task_implementations_external_class_delegate_expression_and_expression(void) {
    model *m = ok(PROCESS(
        "'elements':[" START ",{'type':'serviceTask','id':'ext','camundaType':'external','topic':'payment','taskPriority':'10'},"
        "{'type':'serviceTask','id':'cls','class':'org.example.Charge'},"
        "{'type':'sendTask','id':'del','delegateExpression':'${charger}'},"
        "{'type':'businessRuleTask','id':'exp','expression':'${amount * 2}','resultVariable':'doubled'}," END "],"
        "'flows':[" FLOW("f1", "start", "ext") "," FLOW("f2", "ext", "cls") "," FLOW("f3", "cls", "del") "," FLOW("f4", "del", "exp") ","
        FLOW("f5", "exp", "end") "]"));
    if (!m) return;
    model_element *ext = el(m, "ext"), *cls = el(m, "cls"), *del = el(m, "del"), *exp = el(m, "exp");
    CHECK(ext && cls && del && exp);
    if (ext && cls && del && exp) {
        CHECK(ext->kind == EL_SERVICE_TASK && ext->impl == IMPL_EXTERNAL);
        CHECK_STR(ext->activity_type, "serviceTask");
        CHECK_STR(ext->topic, "payment");
        CHECK(ext->priority && strcmp(expr_text(ext->priority), "10") == 0);
        CHECK(cls->impl == IMPL_CLASS);
        CHECK_STR(cls->class_name, "org.example.Charge");
        CHECK(del->kind == EL_SERVICE_TASK && del->impl == IMPL_DELEGATE_EXPRESSION);
        CHECK_STR(del->activity_type, "sendTask");
        CHECK(del->impl_expression && strcmp(expr_text(del->impl_expression), "${charger}") == 0);
        CHECK_STR(exp->activity_type, "businessRuleTask");
        CHECK(exp->impl == IMPL_EXPRESSION);
        CHECK(exp->impl_expression && strcmp(expr_text(exp->impl_expression), "${amount * 2}") == 0);
        CHECK_STR(exp->result_variable, "doubled");
    }
    model_free(m);
}

static void test_user_task_assignee_and_priority_are_expressions(void) {
    model *m = ok(AROUND("{'type':'userTask','id':'x','assignee':'${starter}','priority':'${urgent ? 80 : 50}','formKey':'embedded:app:x.html'}"));
    if (!m) return;
    model_element *x = el(m, "x");
    CHECK(x && x->assignee && strcmp(expr_text(x->assignee), "${starter}") == 0);
    CHECK(x && x->priority && strcmp(expr_text(x->priority), "${urgent ? 80 : 50}") == 0);
    model_free(m);
}

static void test_multi_instance_task_is_split_into_body_and_inner_activity(void) {
    model *m = ok(PROCESS(
        "'elements':[" START ",{'type':'userTask','id':'x','name':'Review','default':'f2','loopCharacteristics':{'type':'multiInstanceLoopCharacteristics',"
        "'loopCardinality':'3','completionCondition':'${nrOfCompletedInstances >= 2}'}},"
        "{'type':'boundaryEvent','id':'timeout','attachedTo':'x','eventDefinitions':[{'type':'timerEventDefinition','timeDuration':'P1D'}]},"
        END ",{'type':'endEvent','id':'late'}],"
        "'flows':[" FLOW("f1", "start", "x") "," FLOW("f2", "x", "end") "," FLOW("f3", "timeout", "late") "]"));
    if (!m) return;
    model_element *body = el(m, "x#multiInstanceBody"), *x = el(m, "x"), *timeout = el(m, "timeout");
    CHECK(body && x && timeout);
    if (body && x && timeout) {
        CHECK(body->kind == EL_MI_BODY && body->is_scope && body->parent == m->process);
        CHECK_STR(body->activity_type, "multiInstanceBody");
        CHECK(body->name == NULL);
        CHECK(body->inner == x && body->n_children == 1 && body->children[0] == x);
        CHECK(x->parent == body && x->is_scope && x->mi == NULL);
        CHECK(x->n_incoming == 0 && x->n_outgoing == 0 && x->n_boundary_events == 0);
        CHECK(body->n_incoming == 1 && body->n_outgoing == 1);
        CHECK(body->default_flow == model_flow_by_id(m, "f2"));
        CHECK(body->n_boundary_events == 1 && body->boundary_events[0] == timeout && timeout->attached_to == body);
        CHECK(model_flow_by_id(m, "f1")->target == body);
        CHECK(body->mi && !body->mi->sequential);
        CHECK(body->mi && body->mi->loop_cardinality && strcmp(expr_text(body->mi->loop_cardinality), "3") == 0);
        CHECK(body->mi && body->mi->collection == NULL && body->mi->element_variable == NULL);
        CHECK(body->mi && body->mi->completion_condition);
        /* the body takes the element's place in the scope */
        CHECK(m->process->n_children == 5 && m->process->children[1] == body);
    }
    model_free(m);
}

static void test_multi_instance_collection_name_is_compiled_as_an_expression(void) {
    model *m = ok(AROUND("{'type':'userTask','id':'x','assignee':'${approver}','loopCharacteristics':{'type':'multiInstanceLoopCharacteristics',"
                         "'isSequential':true,'collection':'approvers','elementVariable':'approver'}}"));
    if (!m) return;
    model_element *body = el(m, "x#multiInstanceBody");
    CHECK(body && body->mi && body->mi->sequential);
    CHECK(body && body->mi && body->mi->collection && strcmp(expr_text(body->mi->collection), "${approvers}") == 0);
    CHECK(body && body->mi && body->mi->element_variable && strcmp(body->mi->element_variable, "approver") == 0);
    CHECK(body && body->mi && body->mi->loop_cardinality == NULL);
    model_free(m);

    m = ok(AROUND("{'type':'task','id':'x','loopCharacteristics':{'type':'multiInstanceLoopCharacteristics','collection':'${order.items}'}}"));
    if (!m) return;
    body = el(m, "x#multiInstanceBody");
    CHECK(body && body->mi && body->mi->collection && strcmp(expr_text(body->mi->collection), "${order.items}") == 0);
    model_free(m);
}

static void test_multi_instance_subprocess_body_owns_flows_and_boundary_events(void) {
    model *m = ok(PROCESS(
        "'elements':[" START ",{'type':'subProcess','id':'x','loopCharacteristics':{'type':'multiInstanceLoopCharacteristics',"
        "'isSequential':true,'loopCardinality':'${count}','completionCondition':'${done}'},"
        "'elements':[{'type':'startEvent','id':'s2'},{'type':'userTask','id':'play'},{'type':'endEvent','id':'e2'}],"
        "'flows':[" FLOW("g1", "s2", "play") "," FLOW("g2", "play", "e2") "]},"
        "{'type':'boundaryEvent','id':'msg','attachedTo':'x','cancelActivity':false,'eventDefinitions':[{'type':'messageEventDefinition','messageName':'stop'}]},"
        END ",{'type':'endEvent','id':'e3'}],"
        "'flows':[" FLOW("f1", "start", "x") "," FLOW("f2", "x", "end") "," FLOW("f3", "msg", "e3") "]"));
    if (!m) return;
    model_element *body = el(m, "x#multiInstanceBody"), *x = el(m, "x"), *play = el(m, "play"), *s2 = el(m, "s2");
    CHECK(body && x && play && s2);
    if (body && x && play && s2) {
        CHECK(body->mi && body->mi->sequential && body->mi->completion_condition);
        CHECK(x->kind == EL_SUB_PROCESS && x->parent == body && x->is_scope && x->initial == s2);
        CHECK(play->parent == x);
        CHECK(body->n_outgoing == 1 && x->n_outgoing == 0);
        CHECK(body->n_boundary_events == 1 && el(m, "msg")->attached_to == body);
    }
    model_free(m);
}

static void test_activity_async_flags_wrap_the_multi_instance_body(void) {
    model *m = ok(PROCESS(
        "'elements':[{'type':'startEvent','id':'start','asyncAfter':true},{'type':'task','id':'a','asyncBefore':true},"
        "{'type':'userTask','id':'legacy','async':true},"
        "{'type':'task','id':'mi','asyncBefore':true,'loopCharacteristics':{'type':'multiInstanceLoopCharacteristics','loopCardinality':'2'}},"
        END "],"
        "'flows':[" FLOW("f1", "start", "a") "," FLOW("f2", "a", "legacy") "," FLOW("f3", "legacy", "mi") "," FLOW("f4", "mi", "end") "]"));
    if (!m) return;
    model_element *s = el(m, "start"), *a = el(m, "a"), *legacy = el(m, "legacy"), *mi = el(m, "mi"), *body = el(m, "mi#multiInstanceBody");
    CHECK(s && a && legacy && mi && body);
    if (s && a && legacy && mi && body) {
        CHECK(!s->async_before && s->async_after);
        CHECK(a->async_before && !a->async_after);
        CHECK(legacy->async_before);
        CHECK(body->async_before && !body->async_after);
        CHECK(!mi->async_before && !mi->async_after);
    }
    model_free(m);
}

static void test_async_flags_on_the_loop_characteristics_are_rejected(void) {
    rejected_with(PROCESS("'elements':[" START ",{'type':'task','id':'mi','loopCharacteristics':{'type':"
                          "'multiInstanceLoopCharacteristics','loopCardinality':'2','asyncBefore':true}}," END "],"
                          "'flows':[" FLOW("f1", "start", "mi") "," FLOW("f2", "mi", "end") "]"),
                  "'mi'", "multiInstanceLoopCharacteristics");
}

static void test_input_output_parameters_compile_text_null_list_and_map(void) {
    model *m = ok(AROUND(
        "{'type':'userTask','id':'x','inputOutput':{'inputParameters':["
        "{'name':'literal','value':'hello'},{'name':'doubled','value':'${amount * 2}'},{'name':'nothing'},"
        "{'name':'items','list':[{'value':'a'},{'list':[{'value':'nested'}]},{}]},"
        "{'name':'config','map':[{'key':'mode','value':'fast'},{'key':'tags','list':[{'value':'x'}]}]}],"
        "'outputParameters':[{'name':'result','value':'${doubled}'}]}}"));
    if (!m) return;
    model_element *x = el(m, "x");
    CHECK(x && x->is_scope && x->n_inputs == 5 && x->n_outputs == 1);
    if (x && x->n_inputs == 5 && x->n_outputs == 1) {
        model_io *in = x->inputs;
        CHECK_STR(in[0].name, "literal");
        CHECK(in[0].kind == IO_TEXT && in[0].value && strcmp(expr_text(in[0].value), "hello") == 0);
        CHECK(in[1].value && strcmp(expr_text(in[1].value), "${amount * 2}") == 0);
        CHECK(in[2].kind == IO_TEXT && in[2].value == NULL);
        CHECK(in[3].kind == IO_LIST && in[3].n_items == 3);
        CHECK(in[3].n_items == 3 && in[3].items[0].name == NULL && in[3].items[1].kind == IO_LIST &&
              in[3].items[1].n_items == 1 && in[3].items[2].value == NULL);
        CHECK(in[4].kind == IO_MAP && in[4].n_items == 2);
        CHECK(in[4].n_items == 2 && strcmp(in[4].items[0].name, "mode") == 0 && in[4].items[1].kind == IO_LIST);
        CHECK_STR(x->outputs[0].name, "result");
    }
    model_free(m);
}

static void test_execution_listeners_on_process_elements_and_flows(void) {
    model *m = ok("{" DEFINITION ",'process':{'id':'proc','listeners':[{'event':'start','expression':'${started}'},"
                  "{'event':'end','class':'org.example.End'}],"
                  "'elements':[" START ",{'type':'userTask','id':'x','listeners':[{'event':'start','delegateExpression':'${audit}'},"
                  "{'event':'end','expression':'${done}'}]},{'type':'exclusiveGateway','id':'gw','listeners':[{'event':'start','class':'G'}]},"
                  END "],'flows':[{'id':'f1','sourceRef':'start','targetRef':'x','listeners':[{'event':'take','expression':'${taken}'}]},"
                  FLOW("f2", "x", "gw") "," FLOW("f3", "gw", "end") "]}}");
    if (!m) return;
    model_element *p = m->process, *x = el(m, "x"), *gw = el(m, "gw");
    model_flow *f1 = model_flow_by_id(m, "f1");
    CHECK(x && gw && f1);
    if (x && gw && f1) {
        CHECK(p->n_listeners == 2 && p->listeners[0].kind == LISTENER_EXPRESSION && p->listeners[1].kind == LISTENER_CLASS);
        CHECK_STR(p->listeners[0].event, "start");
        CHECK_STR(p->listeners[1].class_name, "org.example.End");
        CHECK(x->n_listeners == 2 && x->listeners[0].kind == LISTENER_DELEGATE_EXPRESSION);
        CHECK(x->listeners[0].expression && strcmp(expr_text(x->listeners[0].expression), "${audit}") == 0);
        CHECK_STR(x->listeners[1].event, "end");
        CHECK(gw->n_listeners == 1);
        CHECK(f1->n_listeners == 1 && f1->listeners[0].kind == LISTENER_EXPRESSION);
        CHECK_STR(f1->listeners[0].event, "take");
    }
    model_free(m);
}

static void test_is_scope_follows_the_model_rules(void) {
    model *m = ok(PROCESS(
        "'elements':[" START ",{'type':'task','id':'plain'},{'type':'task','id':'mapped','inputOutput':{'inputParameters':[{'name':'a','value':'1'}]}},"
        "{'type':'task','id':'guarded'},{'type':'boundaryEvent','id':'b','attachedTo':'guarded','eventDefinitions':[{'type':'timerEventDefinition','timeDuration':'PT1M'}]},"
        "{'type':'exclusiveGateway','id':'gw'}," END "],"
        "'flows':[" FLOW("f1", "start", "plain") "," FLOW("f2", "plain", "mapped") "," FLOW("f3", "mapped", "guarded") ","
        FLOW("f4", "guarded", "gw") "," FLOW("f5", "gw", "end") "," FLOW("f6", "b", "end") "]"));
    if (!m) return;
    CHECK(!el(m, "plain")->is_scope);
    CHECK(el(m, "mapped")->is_scope);
    CHECK(el(m, "guarded")->is_scope);
    CHECK(!el(m, "b")->is_scope);
    CHECK(!el(m, "gw")->is_scope);
    CHECK(!el(m, "start")->is_scope);
    model_free(m);
}

static void test_lookups_find_elements_flows_and_bodies_and_nothing_else(void) {
    model *m = ok(AROUND("{'type':'task','id':'x','loopCharacteristics':{'type':'multiInstanceLoopCharacteristics','loopCardinality':'2'}}"));
    if (!m) return;
    CHECK(model_element_by_id(m, "proc") == m->process);
    CHECK(model_element_by_id(m, "x#multiInstanceBody") != NULL);
    CHECK(model_element_by_id(m, "f1") == NULL);
    CHECK(model_flow_by_id(m, "x") == NULL);
    CHECK(model_flow_by_id(m, "f2") != NULL);
    CHECK(model_element_by_id(m, "nope") == NULL);
    CHECK(model_element_by_id(m, NULL) == NULL);
    CHECK(model_element_by_id(NULL, "x") == NULL);
    CHECK(model_flow_by_id(NULL, "f1") == NULL);
    model_free(m);
    model_free(NULL);
}

static void test_a_large_model_with_many_ids_compiles(void) {
    /* start → t0 → t1 → ... → t1999 → join(inclusive) → end: stresses the id index and reachability. */
    enum { N = 2000 };
    size_t cap = (size_t)N * 140 + 4096, len = 0;
    char *doc = malloc(cap);
    len += (size_t)snprintf(doc + len, cap - len, "{" DEFINITION ",'process':{'id':'proc','elements':[" START);
    for (int i = 0; i < N; i++) len += (size_t)snprintf(doc + len, cap - len, ",{'type':'task','id':'t%d'}", i);
    len += (size_t)snprintf(doc + len, cap - len, ",{'type':'inclusiveGateway','id':'join'}," END "],'flows':[" FLOW("s", "start", "t0"));
    for (int i = 0; i + 1 < N; i++) len += (size_t)snprintf(doc + len, cap - len, ",{'id':'f%d','sourceRef':'t%d','targetRef':'t%d'}", i, i, i + 1);
    len += (size_t)snprintf(doc + len, cap - len, ",{'id':'last','sourceRef':'t%d','targetRef':'join'}," FLOW("out", "join", "end") "]}}", N - 1);
    CHECK(len < cap);
    model *m = ok(doc);
    free(doc);
    if (!m) return;
    CHECK(m->n_elements == N + 4 && m->n_flows == N + 2);
    model_element *t0 = el(m, "t0"), *join = el(m, "join");
    CHECK(t0 && join && t0->reachable && t0->reachable[join->index]);
    model_free(m);
}

/* ============================================================================ rejections === */

static void test_unsupported_element_types_are_rejected_naming_type_and_id(void) {
    static const char *const types[] = {"callActivity", "scriptTask", "eventBasedGateway", "complexGateway", "transaction",
                                        "adHocSubProcess", "fooTask"};
    for (size_t i = 0; i < sizeof types / sizeof types[0]; i++) {
        char doc[1024], msg[128];
        snprintf(doc, sizeof doc, AROUND("{'type':'%s','id':'x'}"), types[i]);
        snprintf(msg, sizeof msg, "Unsupported BPMN element '%s' with id 'x'", types[i]);
        REJECTED(doc, msg);
    }
}

static void test_unsupported_event_definitions_are_rejected_naming_element_and_definition(void) {
    REJECTED(AROUND("{'type':'intermediateThrowEvent','id':'x','eventDefinitions':[{'type':'signalEventDefinition'}]}"),
             "Unsupported BPMN element 'intermediateThrowEvent' with id 'x': signalEventDefinition is not supported");
    REJECTED(AROUND("{'type':'intermediateThrowEvent','id':'x','eventDefinitions':[{'type':'escalationEventDefinition'}]}"),
             "escalationEventDefinition is not supported");
    REJECTED(AROUND("{'type':'intermediateThrowEvent','id':'x','eventDefinitions':[{'type':'compensateEventDefinition'}]}"),
             "compensateEventDefinition is not supported");
    REJECTED(AROUND("{'type':'intermediateCatchEvent','id':'x','eventDefinitions':[{'type':'conditionalEventDefinition'}]}"),
             "conditionalEventDefinition is not supported");
    REJECTED(AROUND("{'type':'intermediateCatchEvent','id':'x','eventDefinitions':[{'type':'linkEventDefinition'}]}"),
             "Unsupported BPMN element 'intermediateCatchEvent' with id 'x'");
    REJECTED(AROUND("{'type':'intermediateThrowEvent','id':'x','eventDefinitions':[{'type':'messageEventDefinition','messageName':'m'}]}"),
             "Unsupported BPMN element 'intermediateThrowEvent' with id 'x'");
    REJECTED(AROUND("{'type':'intermediateCatchEvent','id':'x','eventDefinitions':[{'type':'errorEventDefinition'}]}"),
             "Unsupported BPMN element 'intermediateCatchEvent' with id 'x'");
    REJECTED(AROUND("{'type':'intermediateCatchEvent','id':'x'}"), "Unsupported BPMN element 'intermediateCatchEvent' with id 'x'");
    REJECTED(AROUND("{'type':'intermediateCatchEvent','id':'x','eventDefinitions':[{'type':'timerEventDefinition','timeDuration':'PT1M'},"
                    "{'type':'messageEventDefinition','messageName':'m'}]}"),
             "multiple event definitions");
    REJECTED(PROCESS("'elements':[" START ",{'type':'endEvent','id':'x','eventDefinitions':[{'type':'messageEventDefinition','messageName':'done'}]}],"
                     "'flows':[" FLOW("f1", "start", "x") "]"),
             "Unsupported BPMN element 'endEvent' with id 'x'");
    REJECTED(PROCESS("'elements':[" START ",{'type':'endEvent','id':'x','eventDefinitions':[{'type':'signalEventDefinition'}]}],"
                     "'flows':[" FLOW("f1", "start", "x") "]"),
             "signalEventDefinition");
    REJECTED(PROCESS("'elements':[" START ",{'type':'task','id':'t'},{'type':'boundaryEvent','id':'x','attachedTo':'t'}," END "],"
                     "'flows':[" FLOW("f1", "start", "t") "," FLOW("f2", "t", "end") "," FLOW("f3", "x", "end") "]"),
             "Unsupported BPMN element 'boundaryEvent' with id 'x'");
}

static void test_process_level_start_events_must_be_none_start_events(void) {
    REJECTED(PROCESS("'elements':[{'type':'startEvent','id':'ts','eventDefinitions':[{'type':'timerEventDefinition','timeCycle':'R/PT1H'}]}," END "],"
                     "'flows':[" FLOW("f1", "ts", "end") "]"),
             "Unsupported BPMN element 'startEvent' with id 'ts': only none start events are supported at the process level");
    REJECTED(PROCESS("'elements':[{'type':'startEvent','id':'ms','eventDefinitions':[{'type':'messageEventDefinition','messageName':'go'}]}," END "],"
                     "'flows':[" FLOW("f1", "ms", "end") "]"),
             "Unsupported BPMN element 'startEvent' with id 'ms'");
    REJECTED(PROCESS("'elements':[" START ",{'type':'startEvent','id':'es','eventDefinitions':[{'type':'errorEventDefinition'}]}," END "],"
                     "'flows':[" FLOW("f1", "start", "end") "]"),
             "Unsupported BPMN element 'startEvent' with id 'es'");
    REJECTED(PROCESS("'elements':[" END "]"), "Process 'proc' has no none start event");
    REJECTED(PROCESS("'elements':[]"), "has no none start event");
    REJECTED("{" DEFINITION ",'process':{'id':'proc'}}", "has no none start event");
    REJECTED(PROCESS("'elements':[" START ",{'type':'startEvent','id':'start2'}," END "],'flows':[" FLOW("f1", "start", "end") "," FLOW("f2", "start2", "end") "]"),
             "multiple none start events or timer start events not supported on process definition");
}

static void test_subprocess_start_events_are_checked(void) {
    REJECTED(AROUND("{'type':'subProcess','id':'x','elements':[{'type':'startEvent','id':'s2','eventDefinitions':[{'type':'timerEventDefinition','timeDuration':'PT1M'}]}]}"),
             "only none start events are supported in an embedded subprocess");
    REJECTED(AROUND("{'type':'subProcess','id':'x','elements':[{'type':'task','id':'t'}]}"), "Subprocess 'x' has no start event");
    REJECTED(AROUND("{'type':'subProcess','id':'x','elements':[{'type':'startEvent','id':'a'},{'type':'startEvent','id':'b'}]}"),
             "multiple start events not supported for subprocess 'x'");
    REJECTED(AROUND("{'type':'task','id':'x'},{'type':'subProcess','id':'ev','triggeredByEvent':true,'elements':[{'type':'startEvent','id':'s2'}]}"),
             "Start event 's2' of event subprocess 'ev' needs a timer, message or error event definition");
    REJECTED(AROUND("{'type':'task','id':'x'},{'type':'subProcess','id':'ev','triggeredByEvent':true,'elements':[{'type':'task','id':'t'}]}"),
             "Event subprocess 'ev' has no start event");
    REJECTED(AROUND("{'type':'task','id':'x'},{'type':'subProcess','id':'ev','triggeredByEvent':true,'elements':["
                    "{'type':'startEvent','id':'s2','isInterrupting':false,'eventDefinitions':[{'type':'errorEventDefinition'}]}]}"),
             "Error start event 's2' of an event subprocess must be interrupting");
    REJECTED(PROCESS("'elements':[" START ",{'type':'subProcess','id':'ev','triggeredByEvent':true,'elements':["
                     "{'type':'startEvent','id':'s2','eventDefinitions':[{'type':'messageEventDefinition','messageName':'m'}]}]}," END "],"
                     "'flows':[" FLOW("f1", "start", "ev") "," FLOW("f2", "ev", "end") "]"),
             "Event subprocess 'ev' cannot have incoming sequence flows");
}

static void test_loop_and_compensation_features_are_rejected(void) {
    REJECTED(AROUND("{'type':'task','id':'x','loopCharacteristics':{'type':'standardLoopCharacteristics'}}"),
             "Unsupported BPMN element 'task' with id 'x': standardLoopCharacteristics is not supported");
    REJECTED(AROUND("{'type':'exclusiveGateway','id':'x','loopCharacteristics':{'type':'multiInstanceLoopCharacteristics','loopCardinality':'2'}}"),
             "multi-instance is only supported on tasks and embedded subprocesses");
    REJECTED(AROUND("{'type':'task','id':'x','isForCompensation':true}"), "compensation handlers are not supported");
    REJECTED(AROUND("{'type':'userTask','id':'x','taskListeners':[{'event':'create','class':'C'}]}"),
             "Unsupported BPMN element 'userTask' with id 'x': camunda:taskListener is not supported");
}

static void test_service_tasks_need_a_supported_implementation(void) {
    REJECTED(AROUND("{'type':'serviceTask','id':'x'}"),
             "One of the attributes 'class', 'delegateExpression', 'type', or 'expression' is mandatory on serviceTask 'x'");
    REJECTED(AROUND("{'type':'sendTask','id':'x','class':''}"), "is mandatory on sendTask 'x'");
    REJECTED(AROUND("{'type':'businessRuleTask','id':'x','decisionRef':'approve'}"), "camunda:decisionRef");
    REJECTED(AROUND("{'type':'serviceTask','id':'x','connectorId':'http-connector'}"), "camunda:connector is not supported");
    REJECTED(AROUND("{'type':'serviceTask','id':'x','camundaType':'mail'}"), "camunda:type 'mail' is not supported");
    REJECTED(AROUND("{'type':'serviceTask','id':'x','camundaType':'external'}"),
             "External tasks must specify a 'topic' attribute in the camunda namespace (serviceTask 'x')");
}

static void test_multi_instance_needs_cardinality_or_collection(void) {
    REJECTED(AROUND("{'type':'userTask','id':'x','loopCharacteristics':{'type':'multiInstanceLoopCharacteristics'}}"),
             "Either loopCardinality or loopDataInputRef/camunda:collection must be set (activity 'x')");
    REJECTED(AROUND("{'type':'userTask','id':'x','loopCharacteristics':{'type':'multiInstanceLoopCharacteristics','loopCardinality':''}}"),
             "Either loopCardinality");
    REJECTED(AROUND("{'type':'userTask','id':'x','loopCharacteristics':{'type':'multiInstanceLoopCharacteristics','loopCardinality':'2','elementVariable':'v'}}"),
             "camunda:collection must be set when using inputDataItem or camunda:elementVariable");
}

static void test_sequence_flows_must_connect_known_elements_of_their_scope(void) {
    REJECTED(PROCESS("'elements':[" START "," END "],'flows':[" FLOW("f1", "start", "missing") "]"),
             "Invalid destination 'missing' of sequence flow 'f1'");
    REJECTED(PROCESS("'elements':[" START "," END "],'flows':[" FLOW("f1", "ghost", "end") "]"),
             "Invalid source 'ghost' of sequence flow 'f1'");
    REJECTED(PROCESS("'elements':[" START "," END "],'flows':[{'id':'f1','targetRef':'end'}]"), "Invalid source '' of sequence flow 'f1'");
    REJECTED(PROCESS("'elements':[" START "," END "],'flows':[" FLOW("f1", "start", "proc") "]"), "Invalid destination 'proc'");
    REJECTED(PROCESS("'elements':[" START "," END "],'flows':[" FLOW("f0", "start", "end") "," FLOW("f1", "start", "f0") "]"),
             "Invalid destination 'f0'");
    REJECTED(PROCESS("'elements':[" START ",{'type':'task','id':'x','loopCharacteristics':{'type':'multiInstanceLoopCharacteristics',"
                     "'loopCardinality':'2'}}],'flows':[" FLOW("g", "start", "x#multiInstanceBody") "]"),
             "Invalid destination 'x#multiInstanceBody'");
    REJECTED(PROCESS("'elements':[" START ",{'type':'task','id':'x','loopCharacteristics':{'type':'multiInstanceLoopCharacteristics',"
                     "'loopCardinality':'2'}}],'flows':[" FLOW("g", "x#multiInstanceBody", "start") "]"),
             "Invalid source 'x#multiInstanceBody'");
    /* a flow from the process scope into a subprocess */
    REJECTED(PROCESS("'elements':[" START ",{'type':'subProcess','id':'sub','elements':[{'type':'startEvent','id':'s2'},{'type':'task','id':'inner'}],"
                     "'flows':[" FLOW("g1", "s2", "inner") "]}," END "],'flows':[" FLOW("f1", "start", "inner") "]"),
             "Sequence flow 'f1' connects 'start' and 'inner', which are not both in scope 'proc'");
    REJECTED(PROCESS("'elements':[" START "," END "],"
                     "'flows':[{'id':'f1','sourceRef':'start','targetRef':'end','conditionLanguage':'groovy','condition':'x > 1'}]"),
             "Script conditions are not supported (sequence flow 'f1', language 'groovy')");
}

static void test_where_tokens_cannot_flow_is_rejected(void) {
    REJECTED(PROCESS("'elements':[" START ",{'type':'task','id':'t'}," END "],'flows':[" FLOW("f1", "start", "t") "," FLOW("f2", "t", "end") ","
                     FLOW("f3", "t", "start") "]"),
             "startEvent 'start' cannot have incoming sequence flows (found 'f3')");
    REJECTED(PROCESS("'elements':[" START ",{'type':'task','id':'t'}," END "],'flows':[" FLOW("f1", "start", "end") "," FLOW("f2", "end", "t") "]"),
             "noneEndEvent 'end' cannot have outgoing sequence flows (found 'f2')");
}

static void test_ids_must_be_present_and_unique(void) {
    REJECTED(AROUND("{'type':'task'}"), "'id' of 'element 1 of 'proc'' is missing");
    REJECTED(AROUND("{'type':'task','id':''}"), "is missing");
    REJECTED(AROUND("{'id':'x'}"), "'type' of 'element 1 of 'proc'' is missing");
    REJECTED(PROCESS("'elements':[" START "," END "],'flows':[{'sourceRef':'start','targetRef':'end'}]"), "'id' of 'flow 0 of 'proc'' is missing");
    REJECTED("{" DEFINITION ",'process':{'elements':[" START "]}}", "'id' of 'process' is missing");
    REJECTED("{'definition':{'key':'k'},'process':{'id':'k','elements':[" START "]}}", "'id' of 'definition' is missing");
    REJECTED("{'definition':{'id':'d'},'process':{'id':'k','elements':[" START "]}}", "'key' of 'definition' is missing");
    REJECTED(AROUND("{'type':'task','id':'x'},{'type':'task','id':'x'}"), "Duplicate id 'x'");
    REJECTED(AROUND("{'type':'task','id':'x'},{'type':'task','id':'f1'}"), "Duplicate id 'f1'");
    REJECTED(AROUND("{'type':'task','id':'proc'}"), "Duplicate id 'proc'");
    REJECTED(PROCESS("'elements':[" START "," END "],'flows':[" FLOW("f1", "start", "end") "," FLOW("f1", "start", "end") "]"), "Duplicate id 'f1'");
    REJECTED(AROUND("{'type':'task','id':'x','loopCharacteristics':{'type':'multiInstanceLoopCharacteristics','loopCardinality':'2'}},"
                    "{'type':'task','id':'x#multiInstanceBody'}"),
             "Duplicate id 'x#multiInstanceBody'");
}

static void test_boundary_events_must_attach_to_an_activity_of_their_scope(void) {
#define WITH_BOUNDARY(extra, attached)                                                                                        \
    PROCESS("'elements':[" START ",{'type':'task','id':'t'},{'type':'exclusiveGateway','id':'gw'}," extra                     \
            "{'type':'boundaryEvent','id':'b','attachedTo':'" attached "','eventDefinitions':[{'type':'timerEventDefinition',"  \
            "'timeDuration':'PT1M'}]}," END "],'flows':[" FLOW("f1", "start", "t") "," FLOW("f2", "t", "gw") ","                \
            FLOW("f3", "gw", "end") "," FLOW("f4", "b", "end") "]")
    REJECTED(WITH_BOUNDARY("", "nowhere"), "Invalid reference in boundary event 'b': attachedToRef 'nowhere'");
    REJECTED(WITH_BOUNDARY("", "gw"), "Invalid reference in boundary event 'b': attachedToRef 'gw'");
    REJECTED(WITH_BOUNDARY("", "start"), "Invalid reference in boundary event 'b'");
    REJECTED(WITH_BOUNDARY("", "f1"), "Invalid reference in boundary event 'b'");
    REJECTED(WITH_BOUNDARY("", ""), "Invalid reference in boundary event 'b'");
    REJECTED(WITH_BOUNDARY("{'type':'subProcess','id':'ev','triggeredByEvent':true,'elements':[{'type':'startEvent','id':'es',"
                           "'eventDefinitions':[{'type':'errorEventDefinition'}]}]},", "ev"),
             "Invalid reference in boundary event 'b'");
    REJECTED(WITH_BOUNDARY("{'type':'subProcess','id':'sub','elements':[{'type':'startEvent','id':'s2'},{'type':'task','id':'deep'}],"
                           "'flows':[" FLOW("g", "s2", "deep") "]},", "deep"),
             "must be an activity defined in the same scope as the boundary event");
    REJECTED(PROCESS("'elements':[" START ",{'type':'task','id':'t'},{'type':'boundaryEvent','id':'b','attachedTo':'t','cancelActivity':false,"
                     "'eventDefinitions':[{'type':'errorEventDefinition','errorCode':'E'}]}," END "],"
                     "'flows':[" FLOW("f1", "start", "t") "," FLOW("f2", "t", "end") "," FLOW("f3", "b", "end") "]"),
             "Error boundary event 'b' must be interrupting");
#undef WITH_BOUNDARY
}

static void test_event_details_are_required(void) {
    REJECTED(AROUND("{'type':'intermediateCatchEvent','id':'x','eventDefinitions':[{'type':'timerEventDefinition'}]}"),
             "Timer event 'x' needs exactly one non-empty timeDate, timeDuration or timeCycle");
    REJECTED(AROUND("{'type':'intermediateCatchEvent','id':'x','eventDefinitions':[{'type':'timerEventDefinition','timeDate':'2026-01-01','timeDuration':'PT1M'}]}"),
             "needs exactly one");
    REJECTED(AROUND("{'type':'intermediateCatchEvent','id':'x','eventDefinitions':[{'type':'timerEventDefinition','timeDuration':''}]}"),
             "needs exactly one");
    REJECTED(AROUND("{'type':'intermediateCatchEvent','id':'x','eventDefinitions':[{'type':'messageEventDefinition','messageRef':'M'}]}"),
             "Message event 'x' has no message name (messageRef 'M')");
    REJECTED(PROCESS("'elements':[" START ",{'type':'endEvent','id':'x','eventDefinitions':[{'type':'errorEventDefinition'}]}],"
                     "'flows':[" FLOW("f1", "start", "x") "]"),
             "Error end event 'x' needs an error code");
}

static void test_default_flows_must_be_unconditional_outgoing_flows(void) {
    REJECTED(PROCESS("'elements':[" START ",{'type':'exclusiveGateway','id':'gw','default':'f1'}," END "],"
                     "'flows':[" FLOW("f1", "start", "gw") "," FLOW("f2", "gw", "end") "]"),
             "Default sequence flow 'f1' of 'gw' is not one of its outgoing sequence flows");
    REJECTED(PROCESS("'elements':[" START ",{'type':'exclusiveGateway','id':'gw','default':'nope'}," END "],"
                     "'flows':[" FLOW("f1", "start", "gw") "," FLOW("f2", "gw", "end") "]"),
             "Default sequence flow 'nope'");
    REJECTED(PROCESS("'elements':[" START ",{'type':'exclusiveGateway','id':'gw','default':'f2'}," END "],"
                     "'flows':[" FLOW("f1", "start", "gw") ",{'id':'f2','sourceRef':'gw','targetRef':'end','condition':'${x}'}]"),
             "Element 'gw' has outgoing sequence flow 'f2' which is the default flow but has a condition too");
    REJECTED(PROCESS("'elements':[" START ",{'type':'parallelGateway','id':'gw','default':'f2'}," END "],"
                     "'flows':[" FLOW("f1", "start", "gw") "," FLOW("f2", "gw", "end") "]"),
             "Element 'gw' of type 'parallelGateway' cannot have a default sequence flow");
}

static void test_input_output_mappings_are_rejected_where_camunda_rejects_them(void) {
    REJECTED(PROCESS("'elements':[{'type':'startEvent','id':'start','inputOutput':{'inputParameters':[{'name':'a','value':'1'}]}}]"),
             "camunda:inputOutput mapping unsupported for element type 'startEvent'");
    REJECTED(AROUND("{'type':'exclusiveGateway','id':'x','inputOutput':{'inputParameters':[{'name':'a','value':'1'}]}}"),
             "camunda:inputOutput mapping unsupported for element type 'exclusiveGateway'");
    REJECTED(AROUND("{'type':'task','id':'x'},{'type':'subProcess','id':'ev','triggeredByEvent':true,'inputOutput':{'inputParameters':[{'name':'a'}]},"
                    "'elements':[{'type':'startEvent','id':'es','eventDefinitions':[{'type':'errorEventDefinition'}]}]}"),
             "'triggeredByEvent = true'");
    REJECTED(PROCESS("'elements':[" START ",{'type':'endEvent','id':'x','inputOutput':{'outputParameters':[{'name':'a','value':'1'}]}}],"
                     "'flows':[" FLOW("f1", "start", "x") "]"),
             "camunda:outputParameter not allowed for element type 'endEvent'");
    REJECTED(AROUND("{'type':'task','id':'x','inputOutput':{'outputParameters':[{'name':'a','value':'1'}]},"
                    "'loopCharacteristics':{'type':'multiInstanceLoopCharacteristics','loopCardinality':'2'}}"),
             "camunda:outputParameter not allowed for multi-instance constructs");
    REJECTED(AROUND("{'type':'task','id':'x','inputOutput':{'inputParameters':[{'name':'s','script':{'scriptFormat':'groovy'}}]}}"),
             "Script input/output parameters are not supported (parameter 's' of 'x')");
    REJECTED(AROUND("{'type':'task','id':'x','inputOutput':{'inputParameters':[{'value':'1'}]}}"), "'name' of 'x' is missing");
    REJECTED(AROUND("{'type':'task','id':'x','inputOutput':{'inputParameters':[{'name':'m','map':[{'value':'1'}]}]}}"), "'key' of 'x' is missing");
}

static void test_listeners_must_be_runnable(void) {
    REJECTED(AROUND("{'type':'task','id':'x','listeners':[{'event':'start','script':{'scriptFormat':'groovy'}}]}"),
             "Script execution listeners are not supported (on 'x')");
    REJECTED(AROUND("{'type':'task','id':'x','listeners':[{'event':'start'}]}"),
             "Execution listener on 'x' needs one of 'class', 'expression' or 'delegateExpression'");
    REJECTED(AROUND("{'type':'task','id':'x','listeners':[{'event':'take','class':'C'}]}"),
             "Unsupported execution listener event 'take' on 'x'");
    REJECTED(PROCESS("'elements':[" START "," END "],'flows':[{'id':'f1','sourceRef':'start','targetRef':'end','listeners':[{'event':'start','class':'C'}]}]"),
             "Unsupported execution listener event 'start' on 'f1'");
    REJECTED(AROUND("{'type':'task','id':'x','listeners':[{'class':'C'}]}"), "'event' of 'x' is missing");
}

static void test_malformed_expressions_are_rejected_naming_the_element(void) {
    REJECTED(PROCESS("'elements':[" START "," END "],'flows':[{'id':'f1','sourceRef':'start','targetRef':'end','condition':'${a +}'}]"),
             "Invalid condition in element 'f1'");
    REJECTED(AROUND("{'type':'userTask','id':'x','assignee':'${unclosed'}"), "Invalid assignee in element 'x'");
    REJECTED(AROUND("{'type':'userTask','id':'x','priority':'${)}'}"), "Invalid priority in element 'x'");
    REJECTED(AROUND("{'type':'task','id':'x','listeners':[{'event':'end','expression':'${a b}'}]}"), "Invalid listener expression in element 'x'");
    REJECTED(AROUND("{'type':'task','id':'x','inputOutput':{'inputParameters':[{'name':'a','value':'${}'}]}}"),
             "Invalid input/output value in element 'x'");
    REJECTED(AROUND("{'type':'task','id':'x','inputOutput':{'inputParameters':[{'name':'a','map':[{'key':'k','list':[{'value':'${'}]}]}]}}"),
             "Invalid input/output value in element 'x'");
    REJECTED(AROUND("{'type':'intermediateCatchEvent','id':'x','eventDefinitions':[{'type':'timerEventDefinition','timeDuration':'${ }'}]}"),
             "Invalid timer value in element 'x'");
    REJECTED(AROUND("{'type':'task','id':'x','loopCharacteristics':{'type':'multiInstanceLoopCharacteristics','loopCardinality':'${+}'}}"),
             "Invalid loopCardinality in element 'x'");
    REJECTED(AROUND("{'type':'task','id':'x','loopCharacteristics':{'type':'multiInstanceLoopCharacteristics','collection':'${a b}'}}"),
             "Invalid collection in element 'x'");
    REJECTED(AROUND("{'type':'task','id':'x','loopCharacteristics':{'type':'multiInstanceLoopCharacteristics','collection':'a b'}}"),
             "Invalid collection in element 'x'");
    REJECTED(AROUND("{'type':'task','id':'x','loopCharacteristics':{'type':'multiInstanceLoopCharacteristics','loopCardinality':'2','completionCondition':'${'}}"),
             "Invalid completionCondition in element 'x'");
    REJECTED(AROUND("{'type':'serviceTask','id':'x','delegateExpression':'${'}"), "Invalid delegateExpression in element 'x'");
    REJECTED(AROUND("{'type':'serviceTask','id':'x','expression':'#{'}"), "Invalid expression in element 'x'");
    REJECTED(AROUND("{'type':'serviceTask','id':'x','camundaType':'external','topic':'t','taskPriority':'${'}"), "Invalid task priority in element 'x'");
}

/* ================================================================== hostile documents === */

static void test_documents_of_the_wrong_shape_are_errors(void) {
    error err = {0};
    CHECK(model_compile(NULL, &err) == NULL && error_is_set(&err));
    error_clear(&err);
    fails("[]");
    fails("'definition'");
    fails("{}");
    fails("{'definition':[],'process':{}}");
    fails("{" DEFINITION "}");
    fails("{" DEFINITION ",'process':[]}");
    fails("{" DEFINITION ",'process':{'id':7}}");
    fails("{" DEFINITION ",'process':{'id':'p','elements':{}}}");
    fails("{" DEFINITION ",'process':{'id':'p','elements':['start']}}");
    fails("{" DEFINITION ",'process':{'id':'p','elements':[" START "],'flows':'none'}}");
    fails("{" DEFINITION ",'process':{'id':'p','elements':[" START "],'flows':[3]}}");
    fails("{" DEFINITION ",'process':{'id':'p','listeners':{},'elements':[" START "]}}");
    fails("{" DEFINITION ",'process':{'id':'p','listeners':[1],'elements':[" START "]}}");
    fails("{'definition':{'id':'d','key':'k','version':'1'},'process':{'id':'k','elements':[" START "]}}");
    fails("{'definition':{'id':'d','key':'k','version':0},'process':{'id':'k','elements':[" START "]}}");
    fails("{'definition':{'id':'d','key':'k','version':1.5},'process':{'id':'k','elements':[" START "]}}");
    fails("{'definition':{'id':'d','key':'k','version':1e300},'process':{'id':'k','elements':[" START "]}}");
    fails("{'definition':{'id':'d','key':'k','name':5},'process':{'id':'k','elements':[" START "]}}");
    fails(AROUND("{'type':'task','id':'x','name':{}}"));
    fails(AROUND("{'type':7,'id':'x'}"));
    fails(AROUND("{'type':'task','id':'x','asyncBefore':'yes'}"));
    fails(AROUND("{'type':'task','id':'x','inputOutput':[]}"));
    fails(AROUND("{'type':'task','id':'x','inputOutput':{'inputParameters':{}}}"));
    fails(AROUND("{'type':'task','id':'x','inputOutput':{'inputParameters':[[]]}}"));
    fails(AROUND("{'type':'task','id':'x','inputOutput':{'inputParameters':[{'name':'a','list':{}}]}}"));
    fails(AROUND("{'type':'task','id':'x','inputOutput':{'inputParameters':[{'name':'a','value':3}]}}"));
    fails(AROUND("{'type':'intermediateCatchEvent','id':'x','eventDefinitions':{}}"));
    fails(AROUND("{'type':'intermediateCatchEvent','id':'x','eventDefinitions':['timer']}"));
    fails(AROUND("{'type':'intermediateCatchEvent','id':'x','eventDefinitions':[{'type':'timerEventDefinition','timeDuration':5}]}"));
    fails(AROUND("{'type':'task','id':'x','loopCharacteristics':'multi'}"));
    fails(AROUND("{'type':'task','id':'x','loopCharacteristics':{'type':'multiInstanceLoopCharacteristics','isSequential':'no','loopCardinality':'2'}}"));
    fails(AROUND("{'type':'subProcess','id':'x','triggeredByEvent':1}"));
    fails(AROUND("{'type':'boundaryEvent','id':'x','attachedTo':['t']}"));
}

static char *nested_subprocesses(int depth) {
    size_t cap = (size_t)depth * 120 + 1024, len = 0;
    char *doc = malloc(cap);
    len += (size_t)snprintf(doc + len, cap - len, "{" DEFINITION ",'process':{'id':'proc','elements':[" START);
    for (int i = 0; i < depth; i++)
        len += (size_t)snprintf(doc + len, cap - len, ",{'type':'subProcess','id':'s%d','elements':[{'type':'startEvent','id':'st%d'}", i, i);
    for (int i = 0; i < depth; i++) len += (size_t)snprintf(doc + len, cap - len, "]}");
    snprintf(doc + len, cap - len, "]}}");
    return doc;
}

static void test_deeply_nested_subprocesses_are_an_error_not_a_stack_overflow(void) {
    char *doc = nested_subprocesses(40);
    model *m = ok(doc);
    free(doc);
    if (m) CHECK(el(m, "st39") && el(m, "st39")->parent == el(m, "s39"));
    model_free(m);

    doc = nested_subprocesses(300);
    REJECTED(doc, "Subprocesses nested deeper than 64 levels");
    free(doc);
}

static void test_deeply_nested_io_lists_are_an_error_not_a_stack_overflow(void) {
    enum { DEPTH = 200 };
    size_t cap = DEPTH * 16 + 2048, len = 0;
    char *doc = malloc(cap);
    len += (size_t)snprintf(doc + len, cap - len, "{" DEFINITION ",'process':{'id':'proc','elements':[" START
                            ",{'type':'task','id':'x','inputOutput':{'inputParameters':[{'name':'deep','list':[");
    for (int i = 0; i < DEPTH; i++) len += (size_t)snprintf(doc + len, cap - len, "{'list':[");
    len += (size_t)snprintf(doc + len, cap - len, "{'value':'v'}");
    for (int i = 0; i < DEPTH; i++) len += (size_t)snprintf(doc + len, cap - len, "]}");
    snprintf(doc + len, cap - len, "]}]}}]}}");
    REJECTED(doc, "nested deeper than 32 levels");
    free(doc);
}

/* Every node of a valid, feature-rich document replaced by every JSON type in turn: each variant
 * must compile or fail cleanly (ASan/UBSan watch for the rest). */
static const char *const RICH = PROCESS(
    "'name':'Rich','listeners':[{'event':'start','expression':'${a}'}],"
    "'elements':[" START ",{'type':'userTask','id':'x','assignee':'${who}','priority':'5','asyncBefore':true,'asyncAfter':true,'default':'f2',"
    "'listeners':[{'event':'end','class':'C'}],'inputOutput':{'inputParameters':[{'name':'l','list':[{'value':'1'},{'map':[{'key':'k','value':'v'}]}]}]},"
    "'loopCharacteristics':{'type':'multiInstanceLoopCharacteristics','collection':'items',"
    "'elementVariable':'item','completionCondition':'${done}'}},"
    "{'type':'boundaryEvent','id':'b','attachedTo':'x','cancelActivity':false,'eventDefinitions':[{'type':'timerEventDefinition','timeCycle':'R2/PT1M'}]},"
    "{'type':'inclusiveGateway','id':'gw','default':'f4'},"
    "{'type':'subProcess','id':'sub','elements':[{'type':'startEvent','id':'s2'},{'type':'serviceTask','id':'ext','camundaType':'external','topic':'t'},"
    "{'type':'endEvent','id':'e2','eventDefinitions':[{'type':'errorEventDefinition','errorCode':'E'}]}],"
    "'flows':[" FLOW("g1", "s2", "ext") "," FLOW("g2", "ext", "e2") "]},"
    "{'type':'boundaryEvent','id':'be','attachedTo':'sub','eventDefinitions':[{'type':'errorEventDefinition','errorCode':'E'}]},"
    "{'type':'subProcess','id':'ev','triggeredByEvent':true,'elements':[{'type':'startEvent','id':'ms','isInterrupting':false,"
    "'eventDefinitions':[{'type':'messageEventDefinition','messageName':'m'}]},{'type':'endEvent','id':'e3'}],'flows':[" FLOW("h1", "ms", "e3") "]},"
    "{'type':'receiveTask','id':'r','messageName':'go','inputOutput':{'outputParameters':[{'name':'o','value':'${x}'}]}}," END "],"
    "'flows':[" FLOW("f1", "start", "x") ",{'id':'f2','sourceRef':'x','targetRef':'gw','listeners':[{'event':'take','delegateExpression':'${d}'}]},"
    "{'id':'f3','sourceRef':'gw','targetRef':'sub','condition':'${c}'}," FLOW("f4", "gw", "r") "," FLOW("f5", "sub", "end") ","
    FLOW("f6", "r", "end") "," FLOW("f7", "b", "end") "," FLOW("f8", "be", "end") "]");

static int mutations_tried, mutations_compiled;

static void try_document(const cJSON *doc) {
    error err = {0};
    model *m = model_compile(doc, &err);
    mutations_tried++;
    if (m) {
        mutations_compiled++;
        cJSON_Delete(model_summary(m));
        CHECK(!error_is_set(&err));
    } else {
        CHECK(error_is_set(&err));
    }
    model_free(m);
    error_clear(&err);
}

/* The n-th node below `node` in preorder (counting down *n), with its parent. */
static cJSON *nth_node(cJSON *node, int *n, cJSON **parent) {
    for (cJSON *child = node->child; child; child = child->next) {
        if ((*n)-- == 0) {
            *parent = node;
            return child;
        }
        cJSON *found = nth_node(child, n, parent);
        if (found) return found;
    }
    return NULL;
}

/* Each node of a copy of `doc` replaced by each replacement, or removed; each variant compiled. */
static void mutate_all(const cJSON *doc) {
    static const char *const replacements[] = {NULL /* removed */, "null", "0", "-1", "\"\"", "\"x\"", "[]", "{}",
                                               "true", "[{}]", "\"${\""};
    for (int k = 0;; k++) {
        bool found = false;
        for (size_t r = 0; r < sizeof replacements / sizeof replacements[0]; r++) {
            cJSON *copy = cJSON_Duplicate(doc, 1), *parent = NULL;
            int n = k;
            cJSON *target = copy ? nth_node(copy, &n, &parent) : NULL;
            if (!target) {
                cJSON_Delete(copy);
                break;
            }
            found = true;
            if (!replacements[r]) {
                cJSON_Delete(cJSON_DetachItemViaPointer(parent, target));
            } else {
                cJSON *replacement = cJSON_Parse(replacements[r]);
                if (!replacement || !cJSON_ReplaceItemViaPointer(parent, target, replacement)) cJSON_Delete(replacement);
            }
            try_document(copy);
            cJSON_Delete(copy);
        }
        if (!found) break;
    }
}

static void test_every_mutation_of_a_valid_document_compiles_or_fails_cleanly(void) {
    char *json = quoted(RICH);
    cJSON *doc = cJSON_Parse(json);
    free(json);
    CHECK(doc != NULL);
    if (!doc) return;
    {
        error err = {0};
        model *m = model_compile(doc, &err);
        if (!m) fprintf(stderr, "rich document rejected: %s\n", err.message ? err.message : "");
        CHECK(m != NULL);
        model_free(m);
        error_clear(&err);
    }
    mutations_tried = mutations_compiled = 0;
    mutate_all(doc);
    CHECK(mutations_tried > 1000);
    CHECK(mutations_compiled > 0 && mutations_compiled < mutations_tried);
    cJSON_Delete(doc);
}

int main(void) {
    RUN(test_a_one_task_process_compiles_to_start_task_and_end_with_camunda_activity_types);
    RUN(test_definition_fields_are_copied_from_the_document);
    RUN(test_summary_lists_elements_with_type_and_parent_and_flows);
    RUN(test_exclusive_gateway_keeps_conditions_and_its_default_flow);
    RUN(test_parallel_gateway_fork_and_join_link_incoming_and_outgoing_flows);
    RUN(test_inclusive_join_knows_which_elements_can_still_reach_it);
    RUN(test_reachability_follows_loops_without_running_forever);
    RUN(test_embedded_subprocess_is_a_scope_with_its_own_initial_start_event);
    RUN(test_event_subprocesses_are_listed_on_their_scope_with_their_trigger);
    RUN(test_boundary_events_attach_to_their_activity_which_becomes_a_scope);
    RUN(test_intermediate_events_get_camunda_activity_types);
    RUN(test_end_events_distinguish_none_terminate_and_error);
    RUN(test_tasks_keep_camunda_activity_types);
    RUN(test_receive_task_keeps_its_message_name);
    RUN(test_service_task_implementations_external_class_delegate_expression_and_expression);
    RUN(test_user_task_assignee_and_priority_are_expressions);
    RUN(test_multi_instance_task_is_split_into_body_and_inner_activity);
    RUN(test_multi_instance_collection_name_is_compiled_as_an_expression);
    RUN(test_multi_instance_subprocess_body_owns_flows_and_boundary_events);
    RUN(test_activity_async_flags_wrap_the_multi_instance_body);
    RUN(test_async_flags_on_the_loop_characteristics_are_rejected);
    RUN(test_input_output_parameters_compile_text_null_list_and_map);
    RUN(test_execution_listeners_on_process_elements_and_flows);
    RUN(test_is_scope_follows_the_model_rules);
    RUN(test_lookups_find_elements_flows_and_bodies_and_nothing_else);
    RUN(test_a_large_model_with_many_ids_compiles);
    RUN(test_unsupported_element_types_are_rejected_naming_type_and_id);
    RUN(test_unsupported_event_definitions_are_rejected_naming_element_and_definition);
    RUN(test_process_level_start_events_must_be_none_start_events);
    RUN(test_subprocess_start_events_are_checked);
    RUN(test_loop_and_compensation_features_are_rejected);
    RUN(test_service_tasks_need_a_supported_implementation);
    RUN(test_multi_instance_needs_cardinality_or_collection);
    RUN(test_sequence_flows_must_connect_known_elements_of_their_scope);
    RUN(test_where_tokens_cannot_flow_is_rejected);
    RUN(test_ids_must_be_present_and_unique);
    RUN(test_boundary_events_must_attach_to_an_activity_of_their_scope);
    RUN(test_event_details_are_required);
    RUN(test_default_flows_must_be_unconditional_outgoing_flows);
    RUN(test_input_output_mappings_are_rejected_where_camunda_rejects_them);
    RUN(test_listeners_must_be_runnable);
    RUN(test_malformed_expressions_are_rejected_naming_the_element);
    RUN(test_documents_of_the_wrong_shape_are_errors);
    RUN(test_deeply_nested_subprocesses_are_an_error_not_a_stack_overflow);
    RUN(test_deeply_nested_io_lists_are_an_error_not_a_stack_overflow);
    RUN(test_every_mutation_of_a_valid_document_compiles_or_fails_cleanly);
    return CHECK_SUMMARY();
}
