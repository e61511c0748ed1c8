/*
 * common.c - pieces every reporter shares: alias lists as JSON arrays.
 */
#include "report/report.h"
#include "core/jsonw.h"


void report_json_list(struct jw *w, const char *csv)
{
	jw_array_begin(w, JW_COMPACT);
	const char *p = csv ? csv : "";
	while (*p) {
		while (*p == ',' || *p == ' ')
			p++;
		if (!*p)
			break;
		const char *e = p;
		while (*e && *e != ',')
			e++;
		const char *t = e;
		while (t > p && t[-1] == ' ')
			t--;
		jw_stringn(w, p, (size_t)(t - p));
		p = e;
	}
	jw_array_end(w);
}
