/*
 * common.c - pieces every reporter shares: alias lists as JSON arrays.
 */
#include "report/report.h"

#include <string.h>

void report_json_list(struct strbuf *out, const char *csv)
{
	sb_putc(out, '[');
	int first = 1;
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
		if (!first)
			sb_putc(out, ',');
		sb_json_strn(out, p, (size_t)(t - p));
		first = 0;
		p = e;
	}
	sb_putc(out, ']');
}
