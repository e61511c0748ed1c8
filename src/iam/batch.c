/*
 * batch.c - IAM requests as JSON objects, each carrying its own policies
 * (see batch.h): what `rampart iam eval-batch`, the differential test
 * against the reference simulator and the evaluation benchmark read.
 */
#include "iam/batch.h"
#include "core/arena.h"
#include "load/load.h"

#include <stdio.h>
#include <string.h>

/* A case as evaluated: every array sized to what the case holds (no limit but memory). */
struct iam_batch_case {
	const struct iam_policy **identity;
	size_t nidentity;
	const struct iam_policy *resource, *boundary, *session, *vpce;
	struct iam_level *scp, *rcp;
	size_t nscp, nrcp;
	struct iam_request req;
};

static const struct iam_policy *one_policy(const struct node *n, const char *name, enum iam_policy_kind kind,
					   struct arena *a, struct diags *d)
{
	if (!n || n->kind == NODE_NULL)
		return NULL;
	return iam_policy_parse(n, name, kind, a, d);
}

/* SCP or RCP levels: a list of levels, each a list of policies; -1 if not that shape or a policy fails. */
static int levels(const struct node *n, struct iam_level **out, size_t *nlv, enum iam_policy_kind kind,
		  struct arena *a, struct diags *d)
{
	*out = NULL;
	*nlv = 0;
	if (!n || n->kind == NODE_NULL)
		return 0;
	if (n->kind != NODE_SEQ)
		return -1;
	struct iam_level *lv = arena_array(a, n->n ? n->n : 1, sizeof *lv);
	for (size_t i = 0; i < n->n; i++) {
		const struct node *l = n->items[i];
		if (l->kind != NODE_SEQ)
			return -1;
		const struct iam_policy **pol = arena_array(a, l->n ? l->n : 1, sizeof *pol);
		for (size_t k = 0; k < l->n; k++) {
			pol[k] = iam_policy_parse(l->items[k], kind == IAM_SCP ? "scp" : "rcp", kind, a, d);
			if (!pol[k])
				return -1;
		}
		lv[i].policies = pol;
		lv[i].n = l->n;
	}
	*out = lv;
	*nlv = n->n;
	return 0;
}

static const char *str_of(const struct node *n)
{
	return n && node_is_scalar(n) && n->kind != NODE_NULL ? n->str : NULL;
}

/* Parse one case; returns NULL with a message in *err. */
static struct iam_batch_case *parse_case(const struct node *root, struct arena *a, struct diags *d, const char **err)
{
	if (!root || root->kind != NODE_MAP) {
		*err = "a case must be a JSON object";
		return NULL;
	}
	struct iam_batch_case *c = arena_alloc(a, sizeof *c);
	const struct node *id = node_get(root, "identity");
	if (id && id->kind == NODE_SEQ) {
		c->identity = arena_array(a, id->n ? id->n : 1, sizeof *c->identity);
		for (size_t i = 0; i < id->n; i++) {
			const struct iam_policy *p = one_policy(id->items[i], "identity", IAM_IDENTITY, a, d);
			if (p)
				c->identity[c->nidentity++] = p;
		}
	}
	enum iam_policy_kind rk = IAM_RESOURCE;
	const char *kind = str_of(node_get(root, "resource_policy_kind"));
	if (kind && !strcmp(kind, "trust"))
		rk = IAM_TRUST;
	else if (kind && !strcmp(kind, "kms"))
		rk = IAM_KMS_KEY;
	c->resource = one_policy(node_get(root, "resource_policy"), "resource", rk, a, d);
	c->boundary = one_policy(node_get(root, "boundary"), "boundary", IAM_BOUNDARY, a, d);
	c->session = one_policy(node_get(root, "session"), "session", IAM_SESSION, a, d);
	c->vpce = one_policy(node_get(root, "vpce"), "vpce", IAM_RESOURCE, a, d);
	if (levels(node_get(root, "scp"), &c->scp, &c->nscp, IAM_SCP, a, d) ||
	    levels(node_get(root, "rcp"), &c->rcp, &c->nrcp, IAM_RCP, a, d)) {
		*err = "scp/rcp must be a list of levels, each a list of policies";
		return NULL;
	}
	c->req.principal = str_of(node_get(root, "principal"));
	c->req.action = str_of(node_get(root, "action"));
	c->req.resource = str_of(node_get(root, "resource"));
	c->req.resource_account = str_of(node_get(root, "resource_account"));
	if (!c->req.principal || !c->req.action) {
		*err = "principal and action are required";
		return NULL;
	}
	if (!c->req.resource)
		c->req.resource = "*";
	const struct node *ctx = node_get(root, "context");
	if (ctx && ctx->kind == NODE_MAP) {
		struct iam_context_entry *entries = arena_array(a, ctx->n ? ctx->n : 1, sizeof *entries);
		for (size_t i = 0; i < ctx->n; i++) {
			struct iam_context_entry *e = &entries[c->req.ncontext++];
			e->key = ctx->pairs[i].key->str;
			const struct node *v = ctx->pairs[i].value;
			size_t nv = v->kind == NODE_SEQ ? v->n : 1;
			const char **vals = arena_array(a, nv ? nv : 1, sizeof *vals);
			e->nvalues = 0;
			for (size_t k = 0; k < nv; k++) {
				const struct node *x = v->kind == NODE_SEQ ? v->items[k] : v;
				if (node_is_scalar(x) && x->kind != NODE_NULL)
					vals[e->nvalues++] = x->str;
			}
			e->values = vals;
		}
		c->req.context = entries;
	}
	return c;
}


const struct iam_batch_case *iam_batch_parse(const char *name, const char *text, size_t len, struct arena *a,
					     char *err, size_t errsize)
{
	struct diags d = {0};
	struct node *root = load_buffer(name, text, len, a, &d);
	const char *why = NULL;
	struct iam_batch_case *c = root ? parse_case(root, a, &d, &why) : NULL;
	if (!c || diag_count(&d, DIAG_ERROR)) {
		snprintf(err, errsize, "%s", why ? why : "unreadable case");
		for (size_t i = 0; !why && i < d.n; i++)
			if (d.v[i].level == DIAG_ERROR) {
				diag_format(&d.v[i], err, errsize);
				break;
			}
		c = NULL;
	}
	diags_free(&d);
	return c;
}

void iam_batch_eval(const struct iam_batch_case *c, struct iam_result *r)
{
	struct iam_policy_set set = {c->identity, c->nidentity, c->resource, c->boundary, c->session,
				     c->nscp ? c->scp : NULL, c->nscp, c->nrcp ? c->rcp : NULL, c->nrcp, c->vpce};
	iam_evaluate(&set, &c->req, r);
}
